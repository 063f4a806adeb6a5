"""A workbook is refused by what its ZIP archive declares, before it is unpacked, and by the
rows and columns of its sheets: no upload makes the worker unpack or parse more than a
definition ever needs."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from collections.abc import Iterable, Mapping

import cast
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ssoz.definitions.models import FormVersion
from ssoz.definitions.services import LoadStatus, load_definition
from ssoz.definitions.spreadsheet import XlsxDefinitionError, limits, read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MB = 1024 * 1024


def workbook(sheets: Mapping[str, Iterable[bytes]], *, extra: int = 0) -> bytes:
    """A minimal workbook of ``sheets`` (name → chunks of the sheet's XML), written as a stream
    so that a sheet of any size costs the test no memory; ``extra`` adds empty parts."""
    names = list(sheets)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
            for n in range(1, len(names) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
            + "".join(
                f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{DOCUMENT}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for n, name in enumerate(names, start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                for chunk in sheets[name]:
                    part.write(chunk)
        for n in range(extra):
            archive.writestr(f"xl/notes/note{n}.xml", "")
    return buffer.getvalue()


def text_row(*values: str, number: int | None = None) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    numbered = f' r="{number}"' if number is not None else ""
    return f"<row{numbered}>{cells}</row>".encode()


def sheet(rows: Iterable[bytes], dimension: str | None = None) -> Iterable[bytes]:
    yield f'<worksheet xmlns="{MAIN}">'.encode()
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


FORM_SHEET = [text_row("key", "value"), text_row("code", "TEST-1")]


def bomb_rows() -> Iterable[bytes]:
    """About 100 MB of one repeated row, in chunks of 1 MB."""
    yield text_row("code", "title_pl", "title_en")
    chunk = text_row("D1", "Dział", "Section") * (MB // len(text_row("D1", "Dział", "Section")))
    for _ in range(100):
        yield chunk


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbook({"form": sheet(FORM_SHEET), "sections": sheet(bomb_rows())})


def refusal(content: bytes) -> str:
    """The one problem for which ``content`` is refused, in Polish."""
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(content)
    [problem] = caught.value.problems
    return problem.text("pl")


def test_the_bomb_is_a_small_file_of_a_large_sheet(bomb):
    assert len(bomb) < 1 * MB
    declared = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert declared > 100_000_000


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, celina, bomb):
    cast.log_in(client, celina)
    upload = SimpleUploadedFile("bomba.xlsx", bomb)
    tracemalloc.start()
    try:
        response = client.post(reverse("definitions:list"), {"file": upload})
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    page = response.content.decode()
    assert "Plik zawiera 1 błąd; nic nie wczytano." in page
    assert "skoroszyt po rozpakowaniu zajmowałby" in page
    assert "a może najwyżej 10 MB" in page
    assert not FormVersion.objects.exists()
    assert peak < 50 * MB, f"{peak / MB:.1f} MB"


def test_the_refusal_is_explained_in_english_too(bomb):
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(bomb)
    assert "the workbook would take" in caught.value.text("en")
    assert "at most 10 MB" in caught.value.text("en")


def test_one_part_too_large_is_refused_even_when_the_whole_is_not(db):
    # Stored, not compressed: only the size of the part is wrong.
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (3 * MB))
    result = load_definition(big.getvalue(), filename="duza.xlsx")
    assert result.status == LoadStatus.INVALID
    message = result.problems[0].message_pl
    assert "«xl/worksheets/sheet1.xml»" in message and "najwyżej 2 MB" in message


def test_a_part_packed_beyond_any_real_workbook_is_refused():
    rows = sheet([text_row("code", "title_pl", "title_en") * 10_000])  # 1 MB of one repeated row
    message = refusal(workbook({"form": sheet(FORM_SHEET), "sections": rows}))
    assert "«xl/worksheets/sheet2.xml»" in message
    assert "razy większej (dozwolone najwyżej 100)" in message


def test_a_workbook_of_too_many_parts_is_refused():
    message = refusal(workbook({"form": sheet(FORM_SHEET)}, extra=500))
    assert "ma 505 części" in message and "najwyżej 500" in message


def many_rows(count: int) -> Iterable[bytes]:
    yield text_row("code", number=1)
    for n in range(2, count + 1):
        yield text_row(f"D{n}", number=n)


def unpacked(content: bytes) -> list[int]:
    return [part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist()]


@pytest.mark.parametrize("dimension", ["A1:A25000", None], ids=["declared", "undeclared"])
def test_a_sheet_of_too_many_rows_is_refused(dimension):
    content = workbook({"form": sheet(FORM_SHEET), "sections": sheet(many_rows(25_000), dimension)})
    assert max(unpacked(content)) < limits.MAX_PART
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(content)
    [problem] = caught.value.problems
    assert problem.sheet == "sections"
    assert "najwyżej 20 000 wierszy" in problem.message
    assert "at most 20,000 rows" in problem.message_en


def test_a_sheet_of_too_many_columns_is_refused():
    wide = [text_row("code", *(f"#note{n}" for n in range(120)))]
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(workbook({"form": sheet(FORM_SHEET), "sections": sheet(wide)}))
    [problem] = caught.value.problems
    assert problem.sheet == "sections"
    assert "najwyżej 100 kolumn" in problem.message


def test_a_workbook_of_too_many_cells_is_refused():
    numbers = random.Random(1)

    def row() -> bytes:
        return (
            b"<row>"
            + b"".join(b"<c><v>%d</v></c>" % numbers.randrange(10**4) for _ in range(100))
            + b"</row>"
        )

    content = workbook(
        {"form": sheet(FORM_SHEET), "sections": sheet([row() for _ in range(1_010)])}
    )
    assert max(unpacked(content)) < limits.MAX_PART
    message = refusal(content)
    assert "Arkusz sections" in message and "najwyżej 100 000 komórek" in message


def test_a_workbook_within_the_limits_is_read_as_before():
    rows = [text_row("code", "title_pl", "title_en"), text_row("D1", "Dział", "Section")]
    data = read_xlsx(workbook({"form": sheet(FORM_SHEET), "sections": sheet(rows)}))
    assert data == {"code": "TEST-1", "sections": [{"code": "D1", "title": TITLE}]}


TITLE = {"pl": "Dział", "en": "Section"}
