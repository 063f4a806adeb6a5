"""Reading a definition file: YAML → plain data checked against the published JSON Schema.

Statisticians write the files, so every problem must point at a line and an item. PyYAML's
composer gives a node tree with positions; we build plain Python from it ourselves, recording
the line of every value and every key, instead of letting PyYAML construct objects (which
forgets positions, accepts duplicate keys silently and turns dates into ``datetime.date``).
The line map travels with the data as :class:`Definition`, a ``dict`` with one extra attribute,
so that the compiler (:mod:`ssoz.definitions.form`) can point at lines too.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ssoz.lib.polish import plural

SCHEMA_PATH = Path(__file__).parent / "schema" / "form.schema.json"
FORMAT = "ssoz-form/1"

# A definition of even the largest form has some tens of thousands of nodes; more means an
# alias bomb ("billion laughs") or a file that is not a definition at all.
MAX_NODES = 300_000
MAX_DEPTH = 40

ItemPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    """One problem found in a definition file, with where it is and what it concerns."""

    file: str
    line: int | None
    item: str | None  # "rule R03", "field A1_Q3", "cell D1.W01.K1", … or None for the form
    message_pl: str
    message_en: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        if self.item:
            where += f" ({self.item})"
        return f"{where}: {self.message_pl}"

    def message(self, language: str | None = None) -> str:
        """The message in ``language``, by default the active one."""
        if language is None:
            from django.utils.translation import get_language

            language = get_language()
        return self.message_en if (language or "pl").startswith("en") else self.message_pl

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return (self.line if self.line is not None else 10**9, self.item or "", self.message_pl)


class DefinitionError(Exception):
    """A definition that cannot be used; ``problems`` lists everything found, by line."""

    def __init__(self, problems: Iterable[DefinitionProblem]) -> None:
        self.problems: list[DefinitionProblem] = sorted(
            dict.fromkeys(problems), key=lambda problem: problem.sort_key
        )
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(slots=True)
class Locations:
    """Where the items of a parsed definition stand in their file (1-based lines).

    Paths are tuples of keys and list indices, as in ``("rules", 2, "expression")``.
    ``values`` holds the line where each value starts; ``keys`` the line of the key that
    introduces it; ``literal`` the paths of ``|`` block scalars, whose text starts on the line
    after the key, line for line (so a position inside an expression maps to a file line).
    """

    values: dict[ItemPath, int] = field(default_factory=dict)
    keys: dict[ItemPath, int] = field(default_factory=dict)
    blocks: dict[ItemPath, str] = field(default_factory=dict)

    def line(self, path: ItemPath) -> int | None:
        """The line of the value at ``path``, or of its nearest known ancestor."""
        while True:
            found = self.values.get(path)
            if found is not None or not path:
                return found
            path = path[:-1]

    def key_line(self, path: ItemPath) -> int | None:
        found = self.keys.get(path)
        return found if found is not None else self.line(path)

    def expression_line(self, path: ItemPath, inner_line: int | None) -> int | None:
        """The file line of line ``inner_line`` of the expression at ``path``."""
        base = self.values.get(path)
        if base is None:
            return self.line(path)
        style = self.blocks.get(path)
        if style is None:
            return base  # a flow scalar folds its lines into one
        if style == "|" and inner_line:
            return base + inner_line  # the text starts on the line after "|"
        return base + 1


class Definition(dict):
    """A parsed definition: a plain ``dict`` (JSON-ready) that also knows its lines."""

    __slots__ = ("locations",)

    def __init__(self, data: Mapping[str, Any] = (), locations: Locations | None = None) -> None:
        super().__init__(data)
        self.locations = locations if locations is not None else Locations()


def locations_of(data: Mapping[str, Any]) -> Locations:
    found = getattr(data, "locations", None)
    return found if isinstance(found, Locations) else Locations()


# ---------------------------------------------------------------------------------------------
# Naming items for messages


def describe_item(data: Any, path: ItemPath) -> str | None:
    """The item a path lies in, as shown in problems: "rule R03", "field A1_Q3", "row D1.W02"…"""

    def code_of(container: Any, index: Any, key: str = "code") -> str | None:
        try:
            value = container[index][key]
        except (KeyError, IndexError, TypeError):
            return None
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None

    def numbered(kind: str, code: str | None, index: Any) -> str:
        return (
            f"{kind} {code}" if code else f"{kind} #{index + 1 if isinstance(index, int) else '?'}"
        )

    if len(path) >= 2 and path[0] == "rules":
        return numbered("rule", code_of(_get(data, "rules"), path[1], "id"), path[1])
    if len(path) < 2 or path[0] != "sections":
        return None
    sections = _get(data, "sections")
    section = code_of(sections, path[1])
    section_item = numbered("section", section, path[1])
    rest = path[2:]
    container = _get(_get(sections, path[1]), rest[0]) if rest else None
    if len(rest) >= 2 and rest[0] == "fields":
        return numbered("field", code_of(container, rest[1]), rest[1])
    if len(rest) >= 2 and rest[0] == "rules":
        return numbered("rule", code_of(container, rest[1], "id"), rest[1])
    if len(rest) >= 3 and rest[0] == "table" and rest[1] in ("rows", "columns"):
        kind = "row" if rest[1] == "rows" else "column"
        code = code_of(_get(container, rest[1]), rest[2])
        if code and section:
            return f"{kind} {section}.{code}"
        return numbered(kind, code, rest[2])
    if rest and rest[0] == "table":
        return f"table {section}" if section else section_item
    return section_item


def _get(container: Any, key: Any) -> Any:
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None


# ---------------------------------------------------------------------------------------------
# YAML → plain data with lines

_YAML_TAG = "tag:yaml.org,2002:"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's and libyaml's most common complaints, in the words a statistician needs; matched by
# a fragment because the two word them differently.
_YAML_MESSAGES = (
    (
        "mapping values are not allowed",
        "w tym miejscu nie może stać dwukropek; sprawdź wcięcia, a tekst zawierający "
        "dwukropek ujmij w cudzysłów",
        "a colon is not allowed here; check the indentation and quote texts that contain a colon",
    ),
    (
        "could not find expected ':'",
        "brak dwukropka po kluczu (klucz: wartość)",
        "a colon is missing after a key (key: value)",
    ),
    (
        "found unexpected end of stream",
        "plik kończy się w środku wartości; sprawdź, czy zamknięto cudzysłów",
        "the file ends inside a value; check that every quote is closed",
    ),
    ("found undefined alias", "nieznany odnośnik (*alias)", "an undefined alias (*alias)"),
    (
        "found another document",
        "plik zawiera kilka dokumentów YAML (---); jedna wersja formularza to jeden dokument",
        "the file holds several YAML documents (---); one form version is one document",
    ),
    (
        "expected '-' indicator",
        "niespójne wcięcia elementów listy (-)",
        "inconsistent indentation of list items (-)",
    ),
    (
        "did not find expected key",
        "niespójne wcięcia albo brak klucza w tym miejscu",
        "inconsistent indentation or a key is missing here",
    ),
    (
        "expected <block end>",
        "niespójne wcięcia albo brak klucza w tym miejscu",
        "inconsistent indentation or a key is missing here",
    ),
    (
        "expected ',' or ']'",
        "brak przecinka albo nawiasu zamykającego „]”",
        'a comma or the closing "]" is missing',
    ),
    (
        "expected ',' or '}'",
        "brak przecinka albo nawiasu zamykającego „}”",
        'a comma or the closing "}" is missing',
    ),
    (
        "unknown escape character",
        "nieznana sekwencja ze znakiem \\ w tekście w cudzysłowie; użyj apostrofów '…' "
        "albo napisz \\\\",
        "an unknown escape sequence in a double-quoted text; use single quotes or write \\\\",
    ),
)


def _translate_yaml(raw: str, character: str) -> tuple[str, str]:
    if "cannot start any token" in raw:
        if character == "\t":
            return (
                "znak tabulacji; w YAML wcięcia robi się spacjami",
                "a tab character; YAML is indented with spaces",
            )
        return (
            f"znak „{character}” nie może rozpoczynać wartości; ujmij tekst w cudzysłów",
            f'the character "{character}" cannot start a value; put the text in quotes',
        )
    for fragment, pl, en in _YAML_MESSAGES:
        if fragment in raw:
            return pl, en
    return raw, raw


class _Builder:
    """Turns a composed YAML node tree into plain data, recording positions and problems."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.locations = Locations()
        # (path, line, Polish, English): items are named once the whole tree is built.
        self.found: list[tuple[ItemPath, int | None, str, str]] = []
        self.nodes = 0
        self.active: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def problem(self, path: ItemPath, line: int | None, message_pl: str, message_en: str) -> None:
        self.found.append((path, line, message_pl, message_en))

    def problems(self, data: Any) -> list[DefinitionProblem]:
        return [
            DefinitionProblem(self.filename, line, describe_item(data, path), pl, en)
            for path, line, pl, en in self.found
        ]

    def build(self, node: yaml.Node, path: ItemPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig
        line = node.start_mark.line + 1
        self.locations.values.setdefault(path, line)
        if len(path) > MAX_DEPTH or id(node) in self.active:
            self.problem(
                path,
                line,
                "Zbyt głęboko zagnieżdżona albo odwołująca się do siebie struktura.",
                "A structure nested too deeply or referring to itself.",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                self.locations.blocks[path] = node.style
            return self.scalar(node, path, line)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: ItemPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    path,
                    key_line,
                    "Kluczem mapy może być tylko zwykły tekst.",
                    "A mapping key can only be plain text.",
                )
                continue
            # Keys are taken as written: "no:" or "1:" stay the texts "no" and "1".
            key = key_node.value
            if key in first_line:
                self.problem(
                    path,
                    key_line,
                    f"Klucz „{key}” powtarza się (pierwszy raz w wierszu {first_line[key]}).",
                    f'The key "{key}" is repeated (first on line {first_line[key]}).',
                )
            else:
                first_line[key] = key_line
            child = (*path, key)
            self.locations.keys[child] = key_line
            out[key] = self.build(value_node, child)
        return out

    def scalar(self, node: yaml.ScalarNode, path: ItemPath, line: int) -> Any:
        tag = node.tag
        if not tag.startswith(_YAML_TAG):
            self.problem(
                path,
                line,
                f"Nieobsługiwany znacznik YAML „{tag}”.",
                f'Unsupported YAML tag "{tag}".',
            )
            return None
        kind = tag.removeprefix(_YAML_TAG)
        try:
            if kind == "str":
                return node.value
            if kind == "null":
                return None
            if kind == "bool":
                return self.constructor.construct_yaml_bool(node)
            if kind == "int":
                return self.constructor.construct_yaml_int(node)
            if kind == "float":
                value = self.constructor.construct_yaml_float(node)
                if not math.isfinite(value):
                    self.problem(
                        path,
                        line,
                        f"Wartość „{node.value}” nie jest liczbą skończoną.",
                        f'"{node.value}" is not a finite number.',
                    )
                    return None
                return value
            if kind == "timestamp":
                return node.value  # dates stay text (RRRR-MM-DD); the schema checks them
        except (ValueError, yaml.YAMLError):
            pass
        self.problem(
            path,
            line,
            f"Nie można odczytać wartości „{node.value[:60]}” (typ YAML {kind}).",
            f'Cannot read the value "{node.value[:60]}" (YAML type {kind}).',
        )
        return None


class _TooBig(Exception):
    pass


def _yaml_problem(filename: str, text: str, error: yaml.YAMLError) -> DefinitionProblem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    character = ""
    if mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            character = lines[mark.line][mark.column]
    raw = getattr(error, "problem", None) or str(error)
    pl, en = _translate_yaml(raw, character)
    where_pl = f" (kolumna {column})" if column else ""
    where_en = f" (column {column})" if column else ""
    return DefinitionProblem(
        filename,
        line,
        None,
        f"Błąd składni YAML: {pl}{where_pl}.",
        f"YAML syntax error: {en}{where_en}.",
    )


def _read_yaml(text: str, filename: str) -> tuple[Any, Locations, list[DefinitionProblem]]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        return None, Locations(), [_yaml_problem(filename, text, error)]
    except RecursionError:
        problem = DefinitionProblem(
            filename,
            None,
            None,
            "Plik jest zbyt głęboko zagnieżdżony, by był definicją formularza.",
            "The file is nested too deeply to be a form definition.",
        )
        return None, Locations(), [problem]
    if node is None:
        problem = DefinitionProblem(filename, 1, None, "Plik jest pusty.", "The file is empty.")
        return None, Locations(), [problem]
    builder = _Builder(filename)
    try:
        data = builder.build(node, ())
    except _TooBig:
        problem = DefinitionProblem(
            filename,
            None,
            None,
            f"Plik ma ponad {MAX_NODES} elementów (czy nie zawiera pętli aliasów YAML?).",
            f"The file has more than {MAX_NODES} items (does it hold a loop of YAML aliases?).",
        )
        return None, Locations(), [problem]
    return data, builder.locations, builder.problems(data)


# ---------------------------------------------------------------------------------------------
# JSON Schema


@functools.cache
def form_schema() -> dict[str, Any]:
    """The published JSON Schema of the format (Draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(form_schema())


_TYPE_GEN = {
    "string": ("tekstu", "a text"),
    "integer": ("liczby całkowitej", "a whole number"),
    "number": ("liczby", "a number"),
    "boolean": ("wartości logicznej (true albo false)", "a boolean (true or false)"),
    "object": ("mapy (klucz: wartość)", "a mapping (key: value)"),
    "array": ("listy", "a list"),
    "null": ("pustej wartości", "an empty value"),
}


def _shown(value: Any) -> tuple[str, str]:
    """A value as named in a message (accusative in Polish)."""
    if value is None:
        return "pustą wartość", "an empty value"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return f"wartość logiczną {text}", f"the boolean {text}"
    if isinstance(value, int | float):
        return f"liczbę {value}", f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 60 else value[:59] + "…"
        return f"tekst „{short}”", f'the text "{short}"'
    if isinstance(value, list):
        return "listę", "a list"
    return "mapę", "a mapping"


def _key_name(path: ItemPath) -> tuple[str, str]:
    """How the offending key is named: „type” or „levels”, element 2."""
    if not path:
        return "Plik", "The file"
    last = path[-1]
    if isinstance(last, int):
        parent = next((p for p in reversed(path) if isinstance(p, str)), "")
        return (
            f"Element {last + 1} listy „{parent}”",
            f'Item {last + 1} of the list "{parent}"',
        )
    return f"Klucz „{last}”", f'The key "{last}"'


def _suggest(word: str, options: Iterable[Any]) -> tuple[str, str]:
    candidates = [str(option) for option in options]
    close = difflib.get_close_matches(str(word), candidates, n=1, cutoff=0.6)
    if not close:
        return "", ""
    return f" Czy chodziło o „{close[0]}”?", f' Did you mean "{close[0]}"?'


def _schema_problems(data: Any, locations: Locations, filename: str) -> list[DefinitionProblem]:
    problems: list[DefinitionProblem] = []

    def add(path: ItemPath, line: int | None, pl: str, en: str) -> None:
        problems.append(DefinitionProblem(filename, line, describe_item(data, path), pl, en))

    for error in _validator().iter_errors(data):
        path: ItemPath = tuple(error.absolute_path)
        keyword = error.validator
        schema = error.schema if isinstance(error.schema, dict) else {}
        instance = error.instance
        key_pl, key_en = _key_name(path)
        line = locations.line(path)
        if keyword == "required":
            for name in error.validator_value:
                if isinstance(instance, dict) and name not in instance:
                    add(
                        path,
                        line,
                        f"Brak wymaganego klucza „{name}”.",
                        f'The required key "{name}" is missing.',
                    )
        elif keyword == "additionalProperties":
            known = schema.get("properties", {})
            for name in instance:
                if name not in known:
                    hint_pl, hint_en = _suggest(name, known)
                    add(
                        path,
                        locations.key_line((*path, name)),
                        f"Nieznany klucz „{name}”.{hint_pl}",
                        f'Unknown key "{name}".{hint_en}',
                    )
        elif keyword == "dependentRequired":
            for name, needed in error.validator_value.items():
                for other in needed:
                    if name in instance and other not in instance:
                        add(
                            path,
                            locations.key_line((*path, name)),
                            f"Klucz „{name}” wymaga także klucza „{other}”.",
                            f'The key "{name}" also needs the key "{other}".',
                        )
        elif keyword == "not" and "x-forbidden" in schema:
            forbidden = schema["x-forbidden"]
            names = [forbidden] if isinstance(forbidden, str) else forbidden
            for name in names:
                if isinstance(instance, dict) and name in instance:
                    add(
                        path,
                        locations.key_line((*path, name)),
                        schema.get("x-message-pl", f"Klucz „{name}” jest tu niedozwolony."),
                        schema.get("x-message-en", f'The key "{name}" is not allowed here.'),
                    )
        elif "x-message-pl" in schema:
            add(path, line, schema["x-message-pl"], schema.get("x-message-en", error.message))
        elif keyword == "type":
            expected = error.validator_value
            expected = [expected] if isinstance(expected, str) else list(expected)
            want_pl = " lub ".join(_TYPE_GEN[t][0] for t in expected)
            want_en = " or ".join(_TYPE_GEN[t][1] for t in expected)
            got_pl, got_en = _shown(instance)
            tip_pl = tip_en = ""
            if "string" in expected and isinstance(instance, bool | int | float):
                tip_pl = (
                    " Ujmij wartość w cudzysłów (w YAML yes, no, on i off oznaczają true i false)."
                )
                tip_en = (
                    " Put the value in quotes (in YAML yes, no, on and off mean true and false)."
                )
            add(
                path,
                line,
                f"{key_pl}: oczekiwano {want_pl}, a podano {got_pl}.{tip_pl}",
                f"{key_en}: expected {want_en}, got {got_en}.{tip_en}",
            )
        elif keyword in ("enum", "const"):
            allowed = error.validator_value if keyword == "enum" else [error.validator_value]
            got_pl, got_en = _shown(instance)
            listed = ", ".join(str(option) for option in allowed)
            hint_pl, hint_en = (
                _suggest(instance, allowed) if isinstance(instance, str) else ("", "")
            )
            add(
                path,
                line,
                f"{key_pl}: niedozwolona wartość – podano {got_pl}; dozwolone: {listed}.{hint_pl}",
                f"{key_en}: the value is not allowed – got {got_en}; allowed: {listed}.{hint_en}",
            )
        elif keyword == "pattern":
            got_pl, got_en = _shown(instance)
            hint_pl = schema.get("x-hint-pl", f"wzorzec {error.validator_value}")
            hint_en = schema.get("x-hint-en", f"pattern {error.validator_value}")
            add(
                path,
                line,
                f"{key_pl}: niewłaściwa postać – podano {got_pl}; oczekiwano: {hint_pl}.",
                f"{key_en}: wrong form – got {got_en}; expected: {hint_en}.",
            )
        elif keyword in ("minimum", "exclusiveMinimum"):
            add(
                path,
                line,
                f"{key_pl}: wartość {instance} jest za mała; najmniejsza dozwolona to "
                f"{error.validator_value}.",
                f"{key_en}: {instance} is too small; the smallest allowed is "
                f"{error.validator_value}.",
            )
        elif keyword in ("maximum", "exclusiveMaximum"):
            add(
                path,
                line,
                f"{key_pl}: wartość {instance} jest za duża; największa dozwolona to "
                f"{error.validator_value}.",
                f"{key_en}: {instance} is too large; the largest allowed is "
                f"{error.validator_value}.",
            )
        elif keyword == "minLength":
            add(path, line, f"{key_pl}: tekst nie może być pusty.", f"{key_en}: cannot be empty.")
        elif keyword == "maxLength":
            limit = error.validator_value
            add(
                path,
                line,
                f"{key_pl}: tekst jest za długi ({len(instance)} znaków; najwyżej {limit}).",
                f"{key_en}: the text is too long ({len(instance)} characters; at most {limit}).",
            )
        elif keyword == "minItems":
            n = error.validator_value
            word = plural(n, "element", "elementy", "elementów")
            add(
                path,
                line,
                f"{key_pl}: lista musi mieć co najmniej {n} {word}.",
                f"{key_en}: the list needs at least {n} item{'s' if n != 1 else ''}.",
            )
        elif keyword == "uniqueItems":
            seen: set[str] = set()
            repeated = []
            for item in instance:
                marker = json.dumps(item, sort_keys=True, default=str)
                if marker in seen:
                    repeated.append(item)
                seen.add(marker)
            listed = ", ".join(str(item) for item in repeated)
            add(
                path,
                line,
                f"{key_pl}: elementy listy powtarzają się ({listed}).",
                f"{key_en}: the list repeats items ({listed}).",
            )
        else:
            add(
                path,
                line,
                f"{key_pl}: niezgodność ze schematem ({keyword}): {error.message}",
                f"{key_en}: does not match the schema ({keyword}): {error.message}",
            )
    return problems


def _normalise(data: dict[str, Any]) -> None:
    """Give the few values YAML may read as numbers their text form (version 2025, code 3)."""
    if isinstance(data.get("version"), int):
        data["version"] = str(data["version"])
    for section in data.get("sections", []):
        for question in section.get("fields", []):
            for choice in question.get("choices", []):
                if isinstance(choice.get("code"), int):
                    choice["code"] = str(choice["code"])


def validate_definition(
    data: Any, *, filename: str, locations: Locations | None = None
) -> Definition:
    """Check plain data (from YAML or a spreadsheet) against the schema.

    Raises :class:`DefinitionError` listing every problem.
    """
    locations = locations if locations is not None else locations_of(data)
    if not isinstance(data, dict):
        raise DefinitionError(
            [
                DefinitionProblem(
                    filename,
                    locations.line(()),
                    None,
                    "Plik musi zawierać mapę klucz: wartość (format, code, version, …).",
                    "The file must hold a mapping of keys to values (format, code, version, …).",
                )
            ]
        )
    problems = _schema_problems(data, locations, filename)
    if problems:
        raise DefinitionError(problems)
    definition = Definition(data, locations)
    _normalise(definition)
    return definition


def parse_definition(text: str, *, filename: str) -> Definition:
    """Read a YAML definition into plain data checked against the published schema.

    The result is a ``dict`` with keys in document order; its ``locations`` attribute tells
    the line of every item. Raises :class:`DefinitionError` with every problem found: YAML
    syntax, repeated keys, and every schema violation, each at the line of the offending item.
    """
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark left by some Windows editors
    data, locations, problems = _read_yaml(text, filename)
    if data is None and problems:
        raise DefinitionError(problems)
    try:
        definition = validate_definition(data, filename=filename, locations=locations)
    except DefinitionError as error:
        raise DefinitionError([*problems, *error.problems]) from None
    if problems:
        raise DefinitionError(problems)
    return definition
