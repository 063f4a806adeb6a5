"""Readable YAML of a definition, in the layout of docs/form-format.md: what the converter
writes and what is kept of a spreadsheet upload. The loader (:mod:`.loader`) reads it back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from .keys import KEY_ORDER

# Which kind of mapping sits under a key: the key names tell the nesting.
_CHILD: dict[tuple[str, str], str] = {
    ("top", "deadline"): "deadline",
    ("top", "sections"): "section",
    ("top", "reads"): "read",
    ("top", "rules"): "rule",
    ("top", "records"): "records",
    ("records", "sections"): "section",
    ("records", "rules"): "rule",
    ("section", "fields"): "field",
    ("section", "table"): "table",
    ("section", "rules"): "rule",
    ("field", "choices"): "choice",
    ("table", "columns"): "column",
    ("table", "rows"): "row",
}
_TEXT_KEYS_BY_KIND: dict[str, frozenset[str]] = {
    "top": frozenset({"title", "intro", "footer"}),
    "records": frozenset({"name", "title", "help"}),
    "section": frozenset({"title", "help"}),
    "field": frozenset({"label", "help", "unit"}),
    "choice": frozenset({"label"}),
    "column": frozenset({"label", "help", "unit"}),
    "row": frozenset({"label", "help"}),
    "rule": frozenset({"message"}),
}
# Items short enough for one line are written as flow mappings, as in docs/form-format.md.
_FLOW_KINDS = frozenset({"text", "choice", "column", "row", "deadline"})
FLOW_WIDTH = 100


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping to be written on one line: {code: K1, label: {...}}."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list of scalars to be written on one line: [entity, unit]."""


def canonical_order(data: Any, kind: str = "top") -> Any:
    """A copy of a definition with every mapping's keys in the order of docs/form-format.md
    (unknown keys after the known ones, in their own order)."""
    if isinstance(data, Mapping):
        order = KEY_ORDER.get(kind, ())
        keys = [key for key in order if key in data] + [key for key in data if key not in order]
        texts = _TEXT_KEYS_BY_KIND.get(kind, frozenset())
        return {
            key: canonical_order(data[key], "text" if key in texts else _CHILD.get((kind, key), ""))
            for key in keys
        }
    if isinstance(data, list):
        return [canonical_order(item, kind) for item in data]
    return data


def _styled(data: Any, kind: str, inline: int, block: int) -> Any:
    """Wrap short mappings and lists in the classes the YAML dumper writes on one line.

    ``inline`` is the column where the value would start on its key's line, ``block`` the
    column of its content when written as a block (the dumper indents by two).
    """
    if isinstance(data, Mapping):
        if kind in _FLOW_KINDS and _fits(data, inline):
            return _Flow(data)
        texts = _TEXT_KEYS_BY_KIND.get(kind, frozenset())
        return {
            key: _styled(
                value,
                "text" if key in texts else _CHILD.get((kind, key), ""),
                block + len(str(key)) + 2,
                block + (4 if isinstance(value, list) else 2),
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        if all(not isinstance(item, Mapping | list) for item in data) and _fits(data, inline):
            return _FlowList(data)
        return [_styled(item, kind, block, block) for item in data]
    return data


def _fits(data: Any, column: int) -> bool:
    """Whether ``data`` written on one line from ``column`` stays within FLOW_WIDTH."""
    if _has_newline(data):
        return False
    line = yaml.dump(data, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=10**9)
    return column + len(line.strip()) <= FLOW_WIDTH


def _has_newline(data: Any) -> bool:
    if isinstance(data, str):
        return "\n" in data or bool(_ODD_BREAKS.search(data))
    if isinstance(data, Mapping):
        return any(_has_newline(value) for value in data.values())
    if isinstance(data, list):
        return any(_has_newline(item) for item in data)
    return False


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # "sections:\n  - code: D1", as people write it, rather than PyYAML's flush "- ".
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        if style == "'" and self.analysis is not None and self.analysis.multiline:
            # PyYAML's single-quoted multi-line strings fold lines; double quotes keep them.
            return '"'
        return style


# Line breaks other than LF: PyYAML's block and single-quoted styles mangle them (NEL, for one,
# comes back as LF), so texts with them are double-quoted, where they are escapes.
_ODD_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = None
    if _ODD_BREAKS.search(text):
        style = '"'
    elif "\n" in text:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Readable YAML of a definition: block style, keys in the canonical order, short texts,
    items and code lists on one line, multi-line texts as literal blocks; loads back equal."""
    styled = _styled(canonical_order(data), "top", 0, 0)
    return yaml.dump(
        styled,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**9,  # never fold long lines: one text, one line
    )
