"""Compiling the repeating records of a definition (``records:``): the record is a small form
of its own, compiled by the same builders from its sections and rules, so that a record's
problems name the lines of the file as every other problem does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...loader import Definition, DefinitionError, ItemPath, Locations, locations_of
from ..structure import Records, Text
from .state import Build, text_of

# A report holds at most this many records unless the definition says fewer (records.max):
# a month of a large psychiatric hospital's discharges fits many times over.
DEFAULT_MAX_RECORDS = 10_000

# What a record shares with its form: the code and period, for its messages and dates.
_SHARED_KEYS = ("format", "code", "version", "kind", "period", "cumulative", "levels")


def compile_records(build: Build, compile_form: Callable[[Build], Any]) -> Records | None:
    """The form's records, compiled by `compile_form` (the builder of a whole form), or None
    when the definition has none; their problems join the form's."""
    data = build.data
    spec = data.get("records")
    if not isinstance(spec, Mapping):
        return None
    record_data = Definition(
        {
            **{key: data[key] for key in _SHARED_KEYS if key in data},
            "title": spec["title"],
            "sections": spec["sections"],
            "rules": spec.get("rules") or [],
        },
        _moved(locations_of(data), ("records",)),
    )
    try:
        form = compile_form(Build(record_data, build.filename))
    except DefinitionError as error:
        build.problems.extend(error.problems)
        return None
    path: ItemPath = ("records",)
    if form.needs_previous("verify"):
        build.problem(
            path,
            "Reguły i pola rekordów (records) nie mogą czytać wartości poprzedniego okresu "
            "(prev()): rekord nie ma odpowiednika w poprzednim sprawozdaniu.",
            "The rules and fields of records may not read last period's values (prev()): a "
            "record has no counterpart in the previous report.",
        )
    summary = tuple(str(ref) for ref in spec.get("summary") or ())
    for i, ref in enumerate(summary):
        if ref not in form.fields or not form.fields[ref].is_input:
            build.problem(
                (*path, "summary", i),
                f"Klucz „summary”: rekord nie ma pola „{ref}”.",
                f'Key "summary": the record has no field "{ref}".',
            )
    if not summary:
        summary = form.refs[:4]
    return Records(
        name=text_of(spec["name"]) or Text("", ""),
        title=text_of(spec["title"]) or Text("", ""),
        help=text_of(spec.get("help")),
        summary=summary,
        max=int(spec.get("max") or DEFAULT_MAX_RECORDS),
        form=form,
    )


def _moved(locations: Locations, prefix: ItemPath) -> Locations:
    """The locations of the items under `prefix`, with paths relative to it."""

    def under(found: Mapping[ItemPath, Any]) -> dict[ItemPath, Any]:
        n = len(prefix)
        return {path[n:]: value for path, value in found.items() if path[:n] == prefix}

    return Locations(
        values=under(locations.values), keys=under(locations.keys), blocks=under(locations.blocks)
    )
