"""A streaming XLSX writer: rows go straight into the zip as they come, so memory stays flat
however many there are, and each cell costs a few bytes of XML.

SSOZ writes exports of tens of millions of cells. XlsxWriter's constant-memory mode spends
about 4.7 µs a cell here (30× the CSV of the same rows), and the Rust-backed writers on PyPI
keep the whole sheet in memory until it is saved (docs/architecture.md). An export needs only
numbers and text, so this writer writes only those: a number as `<c><v>…</v></c>`, text as an
inline string, no cell references (they are optional: a cell without one follows the cell
before it), one bold style for the header, and the header rows frozen. openpyxl reads the
result back in the tests.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO
from xml.sax.saxutils import escape, quoteattr

# The most rows a sheet holds (Excel's limit); an export with more goes on in the next sheet.
MAX_ROWS = 1_048_576
# The most characters a cell holds; longer text is cut, as Excel would refuse the file.
MAX_CELL_CHARS = 32_767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def text_cell(value: str, style: str = "") -> str:
    if len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return f'<c{style} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


class Text(str):
    """A value written as text even in a column of numbers (a hidden figure, say)."""


class Workbook:
    """An XLSX file written sheet by sheet into `file` (opened for binary writing).

    `numeric` in `rows` says, per column, which values are numbers: given as text that is
    already a plain number ("1234.5"), they are written as they are; a `Text` among them is
    written as text.
    """

    def __init__(self, file: IO[bytes], *, compresslevel: int = 1) -> None:
        # Level 1 compresses the repetitive XML about as well as level 6, four times faster.
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[str] = []

    def sheet(
        self,
        name: str,
        header: Sequence[Sequence[str]],
        rows: Iterable[Sequence[str | None]],
        *,
        numeric: Sequence[bool],
    ) -> int:
        """Write one sheet (and, past Excel's row limit, its continuations): bold header rows,
        frozen, then `rows`. Returns how many rows of data it wrote."""
        written = 0
        remaining: Iterator | None = iter(rows)
        part = 1
        while remaining is not None:
            title = name if part == 1 else f"{name} ({part})"
            count, remaining = self._write_sheet(title, header, remaining, numeric)
            written += count
            part += 1
        return written

    def _write_sheet(self, title, header, rows, numeric) -> tuple[int, Iterator | None]:
        """One sheet of at most Excel's rows; the rows left over, if any."""
        self._sheets.append(_sheet_name(title, len(self._sheets) + 1))
        path = f"xl/worksheets/sheet{len(self._sheets)}.xml"
        frozen = len(header)
        limit = MAX_ROWS - frozen
        count = 0
        left_over = None
        with self._zip.open(path, "w", force_zip64=True) as out:
            view = (
                f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen}" '
                f'topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
                "</sheetView></sheetViews>"
                if frozen
                else ""
            )
            out.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
                f"{view}<sheetData>".encode()
            )
            for line in header:
                cells = "".join(text_cell(value, ' s="1"') for value in line)
                out.write(f"<row>{cells}</row>".encode())
            kinds = tuple(numeric)
            chunk: list[str] = []
            for row in rows:
                if count == limit:
                    # The row that did not fit starts the next sheet.
                    left_over = itertools.chain((row,), rows)
                    break
                cells = []
                for is_number, value in zip(kinds, row, strict=False):
                    if value is None or value == "":
                        cells.append("<c/>")
                    elif is_number and not isinstance(value, Text):
                        cells.append(f"<c><v>{value}</v></c>")
                    else:
                        cells.append(text_cell(value))
                chunk.append("<row>" + "".join(cells) + "</row>")
                count += 1
                if len(chunk) == 200:
                    out.write("".join(chunk).encode())
                    chunk.clear()
            out.write("".join(chunk).encode())
            out.write(b"</sheetData></worksheet>")
        return count, left_over

    def close(self) -> None:
        """Write the workbook's parts that name its sheets, and finish the file."""
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{number}"/>'
            for number, name in enumerate(self._sheets, start=1)
        )
        self._write(
            "xl/workbook.xml", f"<workbook {_NS} {_REL_NS}><sheets>{sheets}</sheets></workbook>"
        )
        relations = "".join(
            f'<Relationship Id="rId{number}" Type="{_DOCUMENT}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        styles_id = len(self._sheets) + 1
        relations += (
            f'<Relationship Id="rId{styles_id}" Type="{_DOCUMENT}/styles" Target="styles.xml"/>'
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}">{relations}</Relationships>',
        )
        self._write("xl/styles.xml", _STYLES)
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
            f'ContentType="{_CONTENT}.worksheet+xml"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CONTENT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CONTENT}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self._zip.close()

    def _write(self, path: str, xml: str) -> None:
        self._zip.writestr(path, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)


# Two cell formats: the default, and bold for the header rows.
_STYLES = (
    f"<styleSheet {_NS}>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _sheet_name(name: str, number: int) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, not blank."""
    cleaned = _SHEET_NAME_FORBIDDEN.sub(" ", name).strip().strip("'")[:31]
    return cleaned or f"Arkusz{number}"
