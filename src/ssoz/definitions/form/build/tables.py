"""Building a section's table: its columns and rows, their totals and "of which" parents, and
one cell per row and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...loader import ItemPath
from ..structure import Column, Field, FieldType, Row, Table, Text
from .fields import bounds, precision_of
from .state import Build, text_of


def table_structure(build: Build, section: str, raw: Mapping[str, Any], path: ItemPath) -> Table:
    columns_data = list(raw["columns"])
    rows_data = list(raw["rows"])
    column_codes = axis_codes(build, columns_data, (*path, "columns"), ("kolumny", "column"))
    row_codes = axis_codes(build, rows_data, (*path, "rows"), ("wiersza", "row"))
    columns: list[Column] = []
    seen_columns: set[str] = set()
    for k, column in enumerate(columns_data):
        cpath: ItemPath = (*path, "columns", k)
        code = column["code"]
        if code in seen_columns:
            continue
        seen_columns.add(code)
        total = ()
        if "total" in column:
            total = resolve_total(
                build, column["total"], column_codes, (*cpath, "total"), code, ("kolumny", "column")
            )
            build.total_paths["column", section, code] = (*cpath, "total")
        of_which = parent_code(
            build,
            column,
            column_codes,
            cpath,
            "column",
            unknown_pl="Kolumna „w tym” wskazuje nieistniejącą kolumnę nadrzędną „{}”.",
            itself_pl="Kolumna „w tym” nie może wskazywać samej siebie.",
        )
        columns.append(
            Column(
                code=code,
                label=text_of(column["label"]) or Text("", ""),
                help=text_of(column.get("help")),
                unit=text_of(column.get("unit")),
                type=FieldType(column.get("type", "integer")),
                total=total,
                of_which=of_which,
                line=build.locations.line(cpath),
            )
        )
    of_which_rows = {row["code"] for row in rows_data if row.get("of_which")}
    of_which_columns = {c.code for c in columns if c.of_which}
    rows: list[Row] = []
    seen_rows: set[str] = set()
    for k, row in enumerate(rows_data):
        rpath: ItemPath = (*path, "rows", k)
        code = row["code"]
        if code in seen_rows:
            continue
        seen_rows.add(code)
        total = ()
        if "total" in row:
            total = resolve_total(
                build, row["total"], row_codes, (*rpath, "total"), code, ("wiersza", "row")
            )
            build.total_paths["row", section, code] = (*rpath, "total")
            doubled = [r for r in total if r in of_which_rows]
            if doubled:
                build.problem(
                    (*rpath, "total"),
                    f"Suma w wierszu „{code}” obejmuje wiersz „w tym” „{doubled[0]}”, "
                    "który już jest liczony w swoim wierszu nadrzędnym; podaj listę wierszy "
                    "składowych, np. [W02, W04].",
                    f'The total in row "{code}" includes the "of which" row "{doubled[0]}", '
                    "already counted in its parent row; list the component rows instead.",
                )
        of_which = parent_code(
            build,
            row,
            row_codes,
            rpath,
            "row",
            unknown_pl="Wiersz „w tym” wskazuje nieistniejący wiersz nadrzędny „{}”.",
            itself_pl="Wiersz „w tym” nie może wskazywać samego siebie.",
        )
        blocked = row.get("blocked") or []
        for name in blocked:
            if name not in column_codes:
                build.problem(
                    (*rpath, "blocked"),
                    f"Przekreślona komórka wskazuje nieistniejącą kolumnę „{name}”.",
                    f'A blocked cell names a column "{name}" that does not exist.',
                )
        rows.append(
            Row(
                code=code,
                label=text_of(row["label"]) or Text("", ""),
                help=text_of(row.get("help")),
                total=total,
                of_which=of_which,
                blocked=frozenset(blocked),
                indent=int(row.get("indent", 1 if of_which else 0)),
                line=build.locations.line(rpath),
            )
        )
    for column in columns:
        doubled = [c for c in column.total if c in of_which_columns]
        if doubled:
            index = column_codes.index(column.code)
            build.problem(
                (*path, "columns", index, "total"),
                f"Suma w kolumnie „{column.code}” obejmuje kolumnę „w tym” „{doubled[0]}”, "
                "która już jest liczona w swojej kolumnie nadrzędnej.",
                f'The total in column "{column.code}" includes the "of which" column '
                f'"{doubled[0]}", already counted in its parent column.',
            )
    return cells(build, section, raw, path, rows, columns)


def resolve_total(
    build: Build,
    spec: Any,
    codes: Sequence[str],
    path: ItemPath,
    own: str,
    word: tuple[str, str],
) -> tuple[str, ...]:
    """The codes a total sums: "K2:K5" (by position) or a list."""
    pl, en = word
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
    build: Build, items: list[Mapping[str, Any]], path: ItemPath, word: tuple[str, str]
) -> list[str]:
    """The codes of a table's columns or rows, in order; each repeat is reported."""
    pl, en = word
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
    build: Build,
    item: Mapping[str, Any],
    codes: list[str],
    path: ItemPath,
    en: str,
    *,
    unknown_pl: str,
    itself_pl: str,
) -> str | None:
    """The parent an "of which" column or row names; None, reported, when the parent is
    not in the table or is the item itself. Polish needs the whole sentence per gender."""
    of_which = item.get("of_which")
    if of_which is None or (of_which in codes and of_which != item["code"]):
        return of_which
    if of_which == item["code"]:
        build.problem((*path, "of_which"), itself_pl, f'An "of which" {en} cannot point at itself.')
    else:
        build.problem(
            (*path, "of_which"),
            unknown_pl.format(of_which),
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
