"""What a definition workbook may hold, so that no upload makes the worker unpack or parse
more than a definition ever needs.

A definition is a few hundred kilobytes unpacked (the largest shipped one, ANKIETA-CYBER, is
320 KB in 37 parts, none over 110 KB nor packed more than 15 times, with 2,700 cells in its
sheets), yet a ZIP archive of a few hundred kilobytes can unpack to gigabytes. The archive is
refused by what its directory declares, before anything is unpacked: :mod:`zipfile` never gives
more bytes than a part declares, so the declared sizes bound what openpyxl can read. The
parts openpyxl reads whole when it opens a workbook (shared strings, styles) cost about 0.3 s
and 7 MB per megabyte, hence the limit per part. The sheets are then read row by row
(openpyxl's read-only mode) and refused past :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS`
columns or :data:`MAX_CELLS` cells, so that what they hold, and not only their size, is bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

from ssoz.lib.archives import ArchiveBounds, excess

from .problems import Problem, XlsxDefinitionError

MB = 1024 * 1024
MAX_UNPACKED = 10 * MB  # all parts together
MAX_PART = 2 * MB
MAX_PARTS = 500
# Sheet XML packs 10 to 20 times; a part packed much better is a repetition made to be unpacked.
MAX_RATIO = 100
RATIO_FROM = 256 * 1024  # small parts may pack as well as they like
MAX_ROWS = 20_000  # in one sheet
MAX_COLUMNS = 100
# In all sheets together: the shipped definitions have 2,700 at most, and reading 100,000
# takes under a second.
MAX_CELLS = 100_000


def _polish(number: int) -> str:
    return f"{number:,}".replace(",", " ")  # 20 000, as Polish writes it


def _megabytes(size: int) -> tuple[str, str]:
    shown = f"{size / MB:.1f}"
    return shown.replace(".", ","), shown


BOUNDS = ArchiveBounds(
    max_parts=MAX_PARTS,
    max_unpacked=MAX_UNPACKED,
    max_part=MAX_PART,
    max_ratio=MAX_RATIO,
    ratio_from=RATIO_FROM,
)


def check_archive(content: bytes) -> None:
    """Refuse a workbook whose ZIP directory declares more than a definition can hold: too many
    parts, too many bytes in all or in one part, or a part packed beyond any real workbook.
    One reason is given, the first found: the file is refused either way. A file that is no
    readable archive passes: openpyxl says so, as for any damaged file."""
    found = excess(content, BOUNDS)
    if found is None:
        return
    if found.kind == "parts":
        _refuse(
            f"skoroszyt ma {found.parts} części (plików w archiwum ZIP), a może mieć "
            f"najwyżej {MAX_PARTS}",
            f"the workbook has {found.parts} parts (files in the ZIP archive), at most "
            f"{MAX_PARTS} are allowed",
        )
    if found.kind == "unpacked":
        pl, en = _megabytes(found.unpacked)
        _refuse(
            f"skoroszyt po rozpakowaniu zajmowałby {pl} MB, a może najwyżej "
            f"{MAX_UNPACKED // MB} MB; definicja formularza to zwykle kilkaset kilobajtów",
            f"the workbook would take {en} MB unpacked, at most {MAX_UNPACKED // MB} MB are "
            "allowed; a form definition is usually a few hundred kilobytes",
        )
    if found.kind == "part":
        pl, en = _megabytes(found.part_size)
        _refuse(
            f"część skoroszytu «{found.part}» zajmowałaby po rozpakowaniu {pl} MB, "
            f"a może najwyżej {MAX_PART // MB} MB",
            f"the part «{found.part}» of the workbook would take {en} MB unpacked, at "
            f"most {MAX_PART // MB} MB are allowed",
        )
    _refuse(
        f"część skoroszytu «{found.part}» rozpakowuje się do {found.ratio:.0f} razy "
        f"większej (dozwolone najwyżej {MAX_RATIO}); to nie jest zwykły skoroszyt",
        f"the part «{found.part}» of the workbook unpacks to {found.ratio:.0f} times its "
        f"size (at most {MAX_RATIO} allowed); this is no ordinary workbook",
    )


def _refuse(pl: str, en: str, *, sheet: str | None = None, row: int | None = None) -> NoReturn:
    raise XlsxDefinitionError([Problem(pl, en, sheet=sheet, row=row)])


def _too_many_rows(sheet: str) -> NoReturn:
    _refuse(
        f"arkusz ma za dużo wierszy: może mieć najwyżej {_polish(MAX_ROWS)} wierszy razem "
        "z nagłówkiem; usuń puste wiersze pod danymi",
        f"the sheet has too many rows: it may have at most {MAX_ROWS:,} rows, the header "
        "included; delete the empty rows below the data",
        sheet=sheet,
    )


def _too_many_columns(sheet: str, row: int | None) -> NoReturn:
    _refuse(
        f"arkusz ma za dużo kolumn: może mieć najwyżej {MAX_COLUMNS} kolumn; usuń puste "
        "kolumny obok danych",
        f"the sheet has too many columns: it may have at most {MAX_COLUMNS} columns; delete "
        "the empty columns beside the data",
        sheet=sheet,
        row=row,
    )


def _too_many_cells(sheet: str) -> NoReturn:
    _refuse(
        f"skoroszyt ma za dużo komórek: arkusze mogą mieć razem najwyżej "
        f"{_polish(MAX_CELLS)} komórek; usuń puste wiersze i kolumny poza danymi",
        f"the workbook has too many cells: its sheets may have at most {MAX_CELLS:,} cells "
        "together; delete the empty rows and columns beyond the data",
        sheet=sheet,
    )


def check_dimensions(sheet: Any) -> None:
    """Refuse a sheet whose declared size is over the bounds, before its rows are read; then
    forget that size, so that a sheet whose declaration is too small is still read whole."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS:
        _too_many_rows(sheet.title)
    if columns > MAX_COLUMNS:
        _too_many_columns(sheet.title, None)
    if rows * columns > MAX_CELLS:
        _too_many_cells(sheet.title)
    sheet.reset_dimensions()


@dataclass
class CellBudget:
    """The cells that may still be read, in all sheets of one workbook together."""

    left: int = MAX_CELLS


def numbered_rows(
    sheet: Any, budget: CellBudget, min_row: int = 1
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of a read-only sheet from ``min_row``, with their numbers; refused past
    :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns or the cells of ``budget``, whatever
    the sheet declares."""
    for number, cells in enumerate(sheet.iter_rows(min_row=min_row), start=min_row):
        if number > MAX_ROWS:
            _too_many_rows(sheet.title)
        if len(cells) > MAX_COLUMNS:
            _too_many_columns(sheet.title, number)
        budget.left -= len(cells)
        if budget.left < 0:
            _too_many_cells(sheet.title)
        yield number, cells
