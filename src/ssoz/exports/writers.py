"""Writing an export's table to its file: CSV in two variants, XLSX, or SDMX.

The Polish CSV opens in Polish Excel as it is: UTF-8 with a byte order mark, ";" between
values, a decimal comma; a text that Excel would read as a formula (=, +, -, @ first) is
preceded by an apostrophe. The plain CSV is for software: "," and a decimal point, values as
they are. Both end their lines with "\n", as PostgreSQL's COPY writes them, and both, and the
XLSX, start with a row of codes and, unless only codes are asked for, a row of labels in the
chosen language.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils import translation

from ssoz.exports import sdmx
from ssoz.exports.models import ExportFormat
from ssoz.exports.tables import ExportTable
from ssoz.lib import xlsx

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows between two reports of progress (the job writes at most one a second).
PROGRESS_EVERY = 500


def header_rows(table: ExportTable, labels: str | None) -> list[list[str]]:
    """The codes, and the labels in `labels`' language (None: codes only)."""
    codes = [column.code for column in table.columns]
    if not labels:
        return [codes]
    with translation.override(labels):
        return [codes, [str(column.label) for column in table.columns]]


def write(
    table: ExportTable,
    file_format: ExportFormat,
    path: Path,
    labels: str | None,
    *,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write `table` to `path`; returns how many rows of data (observations for SDMX).
    `progress` is told, every few hundred rows, how many are written."""
    if progress is not None:
        table.rows = _counted(table.rows, progress)
    if file_format == ExportFormat.XLSX:
        with path.open("wb") as out:
            workbook = xlsx.Workbook(out)
            count = workbook.sheet(
                table.name, header_rows(table, labels), table.rows, numeric=table.numeric
            )
            workbook.close()
        return count
    if file_format == ExportFormat.SDMX:
        return _write_sdmx(table, path)
    polish = file_format == ExportFormat.CSV_POLISH
    delimiter = ";" if polish else ","
    if table.copy is not None:
        return _write_copied(
            table, path, labels, delimiter=delimiter, polish=polish, progress=progress
        )
    with path.open("w", encoding="utf-8-sig" if polish else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerows(header_rows(table, labels))
        rows = _guarded(table) if polish else table.rows
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_copied(
    table: ExportTable,
    path: Path,
    labels: str | None,
    *,
    delimiter: str,
    polish: bool,
    progress: Callable[[int], object] | None,
) -> int:
    """The CSV with its rows written by PostgreSQL (`pgcopy`), the same file as `write`'s."""
    assert table.copy is not None
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator="\n").writerows(
        header_rows(table, labels)
    )
    with path.open("wb") as out:
        out.write(header.getvalue().encode("utf-8-sig" if polish else "utf-8"))
        return table.copy.write(
            out,
            delimiter=delimiter,
            guard_formulas=polish,
            progress=progress,
            every=PROGRESS_EVERY,
        )


def _counted[T](rows: Iterator[T], progress: Callable[[int], object]) -> Iterator[T]:
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done)
        yield row


def _guarded(table: ExportTable):
    """The rows with each text that starts like a formula preceded by an apostrophe."""
    texts = [index for index, column in enumerate(table.columns) if not column.numeric]
    for row in table.rows:
        for index in texts:
            value = row[index]
            if value and value.startswith(_FORMULA_START):
                row[index] = "'" + value
        yield row


def _write_sdmx(table: ExportTable, path: Path) -> int:
    """A ZIP of the data (data.csv, SDMX-CSV 2.0) and its structure (structure.xml)."""
    structure = sdmx.Structure(table, table.measure_dimension)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("structure.xml", structure.message())
        raw = archive.open("data.csv", "w", force_zip64=True)
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
            return sdmx.write_data(structure, out)
