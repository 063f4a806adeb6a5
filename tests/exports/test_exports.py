"""„Eksport danych”: an administrator asks for a publication's data as a file; the worker
writes it in one pass, and she alone downloads it until it expires. Each format is read back
and checked against the reports."""

import csv
import datetime
import io
import zipfile

import cast
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from exports.conftest import FIGURE
from pysdmx.io import read_sdmx
from reports.conftest import CARD

from ssoz.exports.models import Export, ExportFormat, ExportKind
from ssoz.exports.services import start_export
from ssoz.jobs.models import JobState


def ask(client, publication, capture, **fields) -> Export:
    data = {"zawartosc": "dane", "format": "csv-pl", "naglowek": "pl", **fields}
    with capture(execute=True):
        response = client.post(reverse("exports:publication", args=[publication.pk]), data)
    export = Export.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[export.job_id])
    export.refresh_from_db()
    return export


def download(client, export) -> bytes:
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_the_central_administrator_downloads_the_microdata_for_polish_excel(
    client, celina, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks)
    assert export.job.state == JobState.SUCCEEDED
    job_page = client.get(reverse("jobs:detail", args=[export.job_id])).content.decode()
    assert reverse("exports:download", args=[export.pk]) in job_page
    assert "Plik jest gotowy. Wierszy danych: 4." in job_page
    content = download(client, export)
    assert content.startswith("\ufeff".encode())
    codes, labels, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert codes[:2] == ["regon", "regon14"] and FIGURE in codes
    assert labels[0] == "REGON podmiotu"
    assert "Lekarze – Umowa o pracę" in labels[codes.index(FIGURE)] or labels[codes.index(FIGURE)]
    by_regon = {row[0]: row for row in rows}
    # Approved reports only: the fifth clinic's is only sent.
    assert len(rows) == 4
    figures = sorted(row[codes.index(FIGURE)] for row in rows)
    # "1 234" as typed becomes a number Excel reads.
    assert figures == ["120", "1234", "5", "6"]
    hospital_row = next(row for row in by_regon.values() if row[codes.index(FIGURE)] == "120")
    # A remark that Excel would take for a formula is kept as text.
    assert hospital_row[codes.index("A_NOTE")] == "'=1+2 zespół"
    assert "D1.W01.K1" not in codes  # computed, not reported


def test_the_plain_csv_is_for_software(
    client, celina, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    export = ask(
        client,
        approved,
        django_capture_on_commit_callbacks,
        format="csv",
        naglowek="kody",
        wszystkie="on",
    )
    content = download(client, export).decode()
    assert not content.startswith("\ufeff")
    codes, *rows = list(csv.reader(io.StringIO(content)))
    assert codes[0] == "regon"
    # With the sent, not yet approved, report too; the remark as it was typed.
    assert len(rows) == 5
    assert "=1+2 zespół" in [row[codes.index("A_NOTE")] for row in rows]


def test_the_xlsx_opens_with_numbers_as_numbers(
    client, celina, approved, django_capture_on_commit_callbacks, tmp_path
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks, format="xlsx", naglowek="en")
    path = tmp_path / "export.xlsx"
    path.write_bytes(download(client, export))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    codes, labels, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert labels[0] == "Entity REGON"
    column = codes.index(FIGURE)
    assert sorted(row[column] for row in rows) == [5, 6, 120, 1234]
    assert all(isinstance(row[column], int) for row in rows)
    assert {row[codes.index("A_TEAM")] for row in rows} == {"nie"}


def test_the_sdmx_export_has_a_structure_that_the_standard_s_schemas_accept(
    client, celina, approved, django_capture_on_commit_callbacks, tmp_path
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks, format="sdmx")
    archive = zipfile.ZipFile(io.BytesIO(download(client, export)))
    assert sorted(archive.namelist()) == ["data.csv", "structure.xml"]
    structure_file = tmp_path / "structure.xml"
    structure_file.write_bytes(archive.read("structure.xml"))
    message = read_sdmx(str(structure_file), validate=True)
    (dsd,) = message.get_data_structure_definitions()
    dimensions = [component.id for component in dsd.components.dimensions]
    assert dimensions == ["REGON", "REGON14", "CELL", "TIME_PERIOD"]
    cells = {code.id for code in dsd.components["CELL"].local_codes}
    header, *lines = list(csv.reader(io.StringIO(archive.read("data.csv").decode())))
    assert header == ["STRUCTURE", "STRUCTURE_ID", "ACTION", *dimensions, "OBS_VALUE", "OBS_STATUS"]
    assert {line[0] for line in lines} == {"dataflow"}
    assert {line[1] for line in lines} == {f"SSOZ:DF_TEST-1({dsd.version})"}
    assert {line[5] for line in lines} <= cells
    assert {line[6] for line in lines} == {"2023"}
    physicians = sorted(line[7] for line in lines if line[5] == "D1_W01_K2")
    assert physicians == ["120", "1234", "5", "6"]
    # A collective report has no unit: SDMX's "not applicable".
    assert {line[4] for line in lines} == {"_Z"}


def test_a_regional_administrator_exports_only_her_voivodeship(
    client, olaf, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, olaf)
    export = ask(client, approved, django_capture_on_commit_callbacks, format="csv")
    codes, _labels, *rows = list(csv.reader(io.StringIO(download(client, export).decode())))
    assert {row[codes.index("wojewodztwo")] for row in rows} == {"24"}
    assert len(rows) == 3


def test_the_rule_results_list_each_warning_with_its_explanation(
    client, celina, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks, zawartosc="reguly")
    codes, _labels, *rows = list(
        csv.reader(io.StringIO(download(client, export).decode("utf-8-sig")), delimiter=";")
    )
    found = sorted((row[codes.index("regula")], row[codes.index("wyjasnienie")]) for row in rows)
    assert found == [("R1", "Duży szpital."), ("R1", "Sieć przychodni.")]
    assert all("Ponad 100 lekarzy" in row[codes.index("komunikat")] for row in rows)


def test_the_cards_export_has_a_row_per_card_with_the_pesel_masked_even_for_the_central_one(
    client, celina, piotr, card_report, django_capture_on_commit_callbacks
):
    from ssoz.reports import records, workflow

    workflow.save_report(
        report=card_report, actor=piotr, changes={"D0_DISCHARGED": "2"}, base_revision=None
    )
    records.add_record(report=card_report, actor=piotr, values=CARD)
    records.add_record(
        report=card_report,
        actor=piotr,
        values={**CARD, "PESEL": "02270803624", "SEX": "K", "BIRTH_DATE": "2002-07-08"},
    )
    card_report.refresh_from_db()
    workflow.send_report(report=card_report, actor=piotr)
    cast.log_in(client, celina)
    page = client.get(reverse("exports:publication", args=[card_report.publication.pk]))
    assert "karty: wiersz na kartę" in page.content.decode()
    export = ask(
        client,
        card_report.publication,
        django_capture_on_commit_callbacks,
        zawartosc="karty",
        wszystkie="on",
    )
    codes, _labels, *rows = list(
        csv.reader(io.StringIO(download(client, export).decode("utf-8-sig")), delimiter=";")
    )
    assert codes[:5] == ["regon", "regon14", "nazwa", "jednostka", "karta"]
    assert [row[codes.index("karta")] for row in rows] == ["1", "2"]
    assert [row[codes.index("PESEL")] for row in rows] == ["•••••••1359", "•••••••3624"]
    assert [row[codes.index("DIAGNOSIS")] for row in rows] == ["F20-F29", "F20-F29"]


def test_a_form_without_cards_offers_no_cards_export(client, celina, approved):
    cast.log_in(client, celina)
    page = client.get(reverse("exports:publication", args=[approved.pk])).content.decode()
    assert "karty: wiersz na kartę" not in page
    response = client.post(
        reverse("exports:publication", args=[approved.pk]),
        {"zawartosc": "karty", "format": "csv-pl", "naglowek": "pl"},
    )
    assert response.status_code == 400
    assert not Export.objects.exists()


def test_rule_results_are_not_offered_as_sdmx(client, celina, approved):
    cast.log_in(client, celina)
    response = client.post(
        reverse("exports:publication", args=[approved.pk]),
        {"zawartosc": "reguly", "format": "sdmx", "naglowek": "pl"},
    )
    assert response.status_code == 400
    assert "wybierz CSV albo XLSX" in response.content.decode()
    assert not Export.objects.exists()


def test_the_results_table_is_exported_as_shown_with_hidden_figures_hidden(
    client, wanda, approved, django_capture_on_commit_callbacks, tmp_path
):
    """Wanda sees the country under statistical confidentiality: Mazowieckie's one entity is
    hidden on the page, and in the file."""
    cast.log_in(client, wanda)
    query = {"cecha": FIGURE, "wedlug": "wojewodztwo", "zakres": "", "format": "sdmx"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:table", args=[approved.pk]), query)
    export = Export.objects.get()
    assert response.url == reverse("jobs:detail", args=[export.job_id])
    assert export.kind == ExportKind.AGGREGATE
    archive = zipfile.ZipFile(io.BytesIO(download(client, export)))
    header, *lines = list(csv.reader(io.StringIO(archive.read("data.csv").decode())))
    by_key = {(line[3], line[4]): (line[6], line[7]) for line in lines}
    assert by_key[("14", "suma")] == ("", "C")
    (tmp_path / "s.xml").write_bytes(archive.read("structure.xml"))
    (dsd,) = read_sdmx(str(tmp_path / "s.xml"), validate=True).get_data_structure_definitions()
    assert [c.id for c in dsd.components.dimensions] == ["KLUCZ", "STATISTIC", "TIME_PERIOD"]


def test_a_hidden_figure_is_text_in_the_xlsx_and_a_shown_one_a_number(
    client, wanda, celina, approved, django_capture_on_commit_callbacks
):
    """Wanda sees the country under confidentiality, where one Silesian clinic gives most of
    every figure; Celina sees it unsuppressed."""
    query = {"cecha": FIGURE, "wedlug": "wojewodztwo", "zakres": "", "format": "xlsx"}

    def table_for(user) -> dict:
        cast.log_in(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("exports:table", args=[approved.pk]), query)
        export = Export.objects.filter(requested_by=user).get()
        workbook = openpyxl.load_workbook(io.BytesIO(download(client, export)))
        codes, _labels, *rows = workbook.active.iter_rows(values_only=True)
        return {row[0]: dict(zip(codes, row, strict=True)) for row in rows}

    hidden = table_for(wanda)
    assert {key: row["suma"] for key, row in hidden.items()} == {
        "14": "×",
        "24": "×",
        "__total__": "×",
    }
    shown = table_for(celina)
    assert shown["__total__"]["suma"] == 120 + 5 + 1234 + 6
    assert shown["24"]["liczba"] == 3  # the clinic and two of the three others


def test_a_table_export_for_another_voivodeship_alone_is_refused(client, wanda, approved):
    cast.log_in(client, wanda)
    response = client.post(
        reverse("exports:table", args=[approved.pk]),
        {"cecha": FIGURE, "wedlug": "wojewodztwo", "zakres": "24", "format": "xlsx"},
    )
    assert response.status_code == 400
    assert not Export.objects.exists()


def test_only_the_administrator_who_asked_downloads_the_file(
    client, celina, wanda, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks)
    cast.log_in(client, wanda)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


def test_an_expired_export_is_gone_and_the_periodic_run_removes_its_file(
    client, celina, approved, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    export = ask(client, approved, django_capture_on_commit_callbacks)
    assert export.path.exists()
    Export.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 410
    assert "Plik eksportu wygasł" in response.content.decode()
    call_command("run_periodic", stdout=io.StringIO())
    assert not export.path.exists()
    assert not Export.objects.filter(pk=export.pk).exists()


def test_reporters_ask_for_no_export(client, alice, approved):
    cast.log_in(client, alice)
    response = client.post(
        reverse("exports:publication", args=[approved.pk]),
        {"zawartosc": "dane", "format": "csv", "naglowek": "pl"},
    )
    assert response.status_code == 403
    with pytest.raises(Exception):  # noqa: B017, PT011
        start_export(
            actor=alice,
            publication_id=approved.pk,
            kind=ExportKind.MICRODATA,
            file_format=ExportFormat.CSV,
        )
    assert not Export.objects.exists()
