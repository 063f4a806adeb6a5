"""Building a section's table: its columns and rows, their totals and "of which" parents, and
one cell per row and column. Rows and columns are read by one builder, :func:`axis_items`,
told apart only by their :class:`Axis`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...loader import ItemPath
from ..structure import Column, Field, FieldType, Row, Table, Text
from .fields import bounds, precision_of
from .state import Build, text_of


@dataclass(frozen=True, slots=True)
class Axis:
    """The rows or the columns of a table: their key in a definition and their words in
    messages. Polish needs whole sentences per gender (wiersz, kolumna)."""

    key: str  # "rows" or "columns"
    name: str  # "row" or "column", in English and in the origins of totals
    nominative: str  # wiersz, kolumna
    genitive: str  # wiersza, kolumny
    plural_genitive: str  # wierszy, kolumn
    greater: str  # większy, większa: "cannot exceed"
    unknown_parent: str
    parent_itself: str
    doubled: tuple[str, str]  # a total counting an "of which" item: {code}, {part}


ROWS = Axis(
    "rows",
    "row",
    "wiersz",
    "wiersza",
    "wierszy",
    "większy",
    unknown_parent="Wiersz „w tym” wskazuje nieistniejący wiersz nadrzędny „{}”.",
    parent_itself="Wiersz „w tym” nie może wskazywać samego siebie.",
    doubled=(
        "Suma w wierszu „{code}” obejmuje wiersz „w tym” „{part}”, który już jest liczony "
        "w swoim wierszu nadrzędnym; podaj listę wierszy składowych, np. [W02, W04].",
        'The total in row "{code}" includes the "of which" row "{part}", already counted in '
        "its parent row; list the component rows instead.",
    ),
)
COLUMNS = Axis(
    "columns",
    "column",
    "kolumna",
    "kolumny",
    "kolumn",
    "większa",
    unknown_parent="Kolumna „w tym” wskazuje nieistniejącą kolumnę nadrzędną „{}”.",
    parent_itself="Kolumna „w tym” nie może wskazywać samej siebie.",
    doubled=(
        "Suma w kolumnie „{code}” obejmuje kolumnę „w tym” „{part}”, która już jest liczona "
        "w swojej kolumnie nadrzędnej.",
        'The total in column "{code}" includes the "of which" column "{part}", already '
        "counted in its parent column.",
    ),
)


@dataclass(frozen=True, slots=True)
class AxisItem:
    """What rows and columns have in common, read from one item of a definition."""

    raw: Mapping[str, Any]
    path: ItemPath
    code: str
    label: Text
    help: Text | None
    total: tuple[str, ...]
    of_which: str | None
    line: int | None


def table_structure(build: Build, section: str, raw: Mapping[str, Any], path: ItemPath) -> Table:
    column_codes, column_items = axis_items(build, section, COLUMNS, raw["columns"], path)
    _row_codes, row_items = axis_items(build, section, ROWS, raw["rows"], path)
    columns = [
        Column(
            code=item.code,
            label=item.label,
            help=item.help,
            unit=text_of(item.raw.get("unit")),
            type=FieldType(item.raw.get("type", "integer")),
            total=item.total,
            of_which=item.of_which,
            line=item.line,
        )
        for item in column_items
    ]
    rows: list[Row] = []
    for item in row_items:
        blocked = item.raw.get("blocked") or []
        for name in blocked:
            if name not in column_codes:
                build.problem(
                    (*item.path, "blocked"),
                    f"Przekreślona komórka wskazuje nieistniejącą kolumnę „{name}”.",
                    f'A blocked cell names a column "{name}" that does not exist.',
                )
        rows.append(
            Row(
                code=item.code,
                label=item.label,
                help=item.help,
                total=item.total,
                of_which=item.of_which,
                blocked=frozenset(blocked),
                indent=int(item.raw.get("indent", 1 if item.of_which else 0)),
                line=item.line,
                number=item.raw.get("number"),
            )
        )
    return cells(build, section, raw, path, rows, columns)


def axis_items(
    build: Build, section: str, axis: Axis, data: Sequence[Mapping[str, Any]], path: ItemPath
) -> tuple[list[str], list[AxisItem]]:
    """The codes of a table's rows or columns in order, and each first occurrence with its
    total and its "of which" parent resolved; every repeat and bad reference is reported."""
    base: ItemPath = (*path, axis.key)
    codes = axis_codes(build, data, base, axis)
    items: list[AxisItem] = []
    seen: set[str] = set()
    for k, raw in enumerate(data):
        item_path: ItemPath = (*base, k)
        code = raw["code"]
        if code in seen:
            continue
        seen.add(code)
        total: tuple[str, ...] = ()
        if "total" in raw:
            total = resolve_total(build, raw["total"], codes, (*item_path, "total"), code, axis)
            build.total_paths[axis.name, section, code] = (*item_path, "total")
        items.append(
            AxisItem(
                raw=raw,
                path=item_path,
                code=code,
                label=text_of(raw["label"]) or Text("", ""),
                help=text_of(raw.get("help")),
                total=total,
                of_which=parent_code(build, raw, codes, item_path, axis),
                line=build.locations.line(item_path),
            )
        )
    # An "of which" item is already counted in its parent: a total must not count it again.
    parents = {item.code for item in items if item.of_which}
    for item in items:
        doubled = [part for part in item.total if part in parents]
        if doubled:
            pl, en = axis.doubled
            build.problem(
                (*item.path, "total"),
                pl.format(code=item.code, part=doubled[0]),
                en.format(code=item.code, part=doubled[0]),
            )
    return codes, items


def resolve_total(
    build: Build,
    spec: Any,
    codes: Sequence[str],
    path: ItemPath,
    own: str,
    axis: Axis,
) -> tuple[str, ...]:
    """The codes a total sums: "K2:K5" (by position) or a list."""
    pl, en = axis.genitive, axis.name
    if isinstance(spec, str):
        start, _, end = spec.partition(":")
        missing = [c for c in (start, end) if c not in codes]
        if missing:
            build.problem(
                path,
                f"Suma odwołuje się do nieistniejącego {pl} „{missing[0]}”.",
                f'The total refers to a {en} "{missing[0]}" that does not exist.',
            )
            return ()
        i, j = codes.index(start), codes.index(end)
        if i > j:
            build.problem(
                path,
                f"Zakres sumy „{spec}” biegnie wstecz; napisz „{end}:{start}”.",
                f'The total\'s range "{spec}" runs backwards; write "{end}:{start}".',
            )
            return ()
        parts = tuple(codes[i : j + 1])
    else:
        unknown = [c for c in spec if c not in codes]
        if unknown:
            build.problem(
                path,
                f"Suma odwołuje się do nieistniejącego {pl} „{unknown[0]}”.",
                f'The total refers to a {en} "{unknown[0]}" that does not exist.',
            )
            return ()
        parts = tuple(spec)
    if own in parts:
        build.problem(
            path,
            f"Suma w „{own}” obejmuje samą siebie.",
            f'The total in "{own}" includes itself.',
        )
        return ()
    return parts


def axis_codes(
    build: Build, items: Sequence[Mapping[str, Any]], path: ItemPath, axis: Axis
) -> list[str]:
    """The codes of a table's columns or rows, in order; each repeat is reported."""
    pl, en = axis.genitive, axis.name
    codes: list[str] = []
    for k, item in enumerate(items):
        code = item["code"]
        if code in codes:
            build.problem(
                (*path, k, "code"),
                f"Kod {pl} „{code}” powtarza się.",
                f'The {en} code "{code}" is repeated.',
            )
        codes.append(code)
    return codes


def parent_code(
    build: Build, item: Mapping[str, Any], codes: list[str], path: ItemPath, axis: Axis
) -> str | None:
    """The parent an "of which" column or row names; None, reported, when the parent is
    not in the table or is the item itself."""
    en = axis.name
    of_which = item.get("of_which")
    if of_which is None or (of_which in codes and of_which != item["code"]):
        return of_which
    if of_which == item["code"]:
        build.problem(
            (*path, "of_which"), axis.parent_itself, f'An "of which" {en} cannot point at itself.'
        )
    else:
        build.problem(
            (*path, "of_which"),
            axis.unknown_parent.format(of_which),
            f'The "of which" {en} points at a parent {en} "{of_which}" that does not exist.',
        )
    return None


def cells(
    build: Build,
    section: str,
    raw: Mapping[str, Any],
    path: ItemPath,
    rows: list[Row],
    columns: list[Column],
) -> Table:
    table_required = bool(raw.get("required", False))
    columns_data = {c["code"]: (c, k) for k, c in enumerate(raw["columns"])}
    rows_index = {r["code"]: k for k, r in enumerate(raw["rows"])}
    cells: dict[tuple[str, str], Field] = {}
    for row in rows:
        for column in columns:
            column_data, k = columns_data[column.code]
            kind = column.type
            precision = precision_of(kind, column_data)
            limits = dict(column_data)
            limits.setdefault("min", raw.get("min"))
            limits.setdefault("max", raw.get("max"))
            limits = {key: value for key, value in limits.items() if value is not None}
            minimum, maximum = bounds(build, limits, kind, (*path, "columns", k))
            ref = f"{section}.{row.code}.{column.code}"
            blocked = column.code in row.blocked
            computed = not blocked and bool(row.total or column.total)
            spec = Field(
                ref=ref,
                type=kind,
                label=Text(
                    f"{row.label.pl} – {column.label.pl}", f"{row.label.en} – {column.label.en}"
                ),
                section=section,
                help=row.help or column.help,
                unit=column.unit,
                required=bool(column_data.get("required", table_required)),
                min=minimum,
                max=maximum,
                precision=precision,
                blocked=blocked,
                computed=computed,
                row=row.code,
                column=column.code,
                line=row.line,
            )
            cell_path: ItemPath = (*path, "rows", rows_index[row.code])
            if build.add_field(spec, cell_path, f"cell {ref}"):
                cells[row.code, column.code] = spec
            if blocked:
                build.blocked.add(ref)
    # A cell in both a total row and a total column is the sum of the rows; it equals the
    # sum of the columns whenever every component row adds up.
    for row in rows:
        for column in columns:
            ref = f"{section}.{row.code}.{column.code}"
            if ref in build.blocked or ref not in build.fields:
                continue
            if row.total:
                parts = tuple(f"{section}.{r}.{column.code}" for r in row.total)
                origin: tuple[str, ...] = ("row", section, row.code)
            elif column.total:
                parts = tuple(f"{section}.{row.code}.{c}" for c in column.total)
                origin = ("column", section, column.code)
            else:
                continue
            build.totals[ref] = (origin, tuple(p for p in parts if p not in build.blocked))
    return Table(section=section, rows=tuple(rows), columns=tuple(columns), cells=cells)
