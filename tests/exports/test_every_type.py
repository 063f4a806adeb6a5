"""Microdata of a form with a field of every type, typed as clerks type them: each value is
written once, as the form reads it, whichever way the file is written. On PostgreSQL the CSV
comes from the database's COPY; read back, it holds what the rows written here hold."""

import csv
import datetime
import io
import threading

import cast
import pytest
from django.conf import settings
from django.db import connection
from review.conftest import load

from ssoz.exports import tables, writers
from ssoz.exports.models import ExportFormat
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Report

EVERY_TYPE = """
format: ssoz-form/1
code: TEST-ALL
version: "1"
title: {pl: "Każdy typ pola", en: "Every type of field"}
kind: one_time
period: year
levels: [entity]
deadline: 2024-03-31
sections:
  - code: A
    title: {pl: "Dział A", en: "Section A"}
    fields:
      - {code: INT, type: integer, label: {pl: Liczba, en: Number}}
      - {code: DEC, type: decimal, precision: 2, label: {pl: Etaty, en: FTE}}
      - {code: PCT, type: percentage, label: {pl: Odsetek, en: Share}}
      - {code: PLN, type: money, label: {pl: Kwota, en: Amount}}
      - {code: TXT, type: text, label: {pl: Nazwa, en: Name}}
      - {code: LONG, type: long_text, label: {pl: Opis, en: Description}}
      - code: ONE
        type: single_choice
        label: {pl: Zespół, en: Team}
        choices:
          - {code: wewnetrzny, label: {pl: wewnętrzny, en: internal}}
          - {code: brak, label: {pl: brak, en: none}}
      - code: MANY
        type: multiple_choice
        label: {pl: Zabezpieczenia, en: Safeguards}
        choices:
          - {code: av, label: {pl: antywirus, en: antivirus}}
          - {code: fw, label: {pl: zapora, en: firewall}}
          - {code: inne, label: {pl: inne, en: other}}
      - {code: YN, type: yes_no, label: {pl: Czy, en: Whether}}
      - {code: DAY, type: date, label: {pl: Data, en: Date}}
      - {code: MAIL, type: email, label: {pl: E-mail, en: E-mail}}
      - {code: TEL, type: phone, label: {pl: Telefon, en: Phone}}
"""

SENDINGS = [
    {
        "INT": "1 234",
        "DEC": "12,5",
        "PCT": "7,25%",
        "PLN": "1 000 zł",
        "TXT": '=HYPERLINK("x");"cudzysłów"',
        "LONG": 'Dwie linie;\nz średnikiem, przecinkiem i "cudzysłowem"',
        "ONE": "brak",
        "MANY": ["inne", "av"],
        "YN": "TAK",
        "DAY": "31.12.2023",
        "MAIL": "sekretariat@szpital.pl",
        "TEL": "+48 600 123 456",
    },
    {"INT": "-5", "DEC": "0,01", "TXT": "-minus", "YN": "nie", "MANY": ["fw"], "LONG": "@"},
    {},  # a report with nothing filled in
]


@pytest.fixture
def every_type(db, hospital, clinic, celina, wanda, olaf):
    form_version = load(EVERY_TYPE, "test-all.yaml")
    third = cast.make_entity(name="Przychodnia Trzecia", teryt="2469011", city="Katowice")
    entities = [hospital, clinic, third]
    publication = publish_form(
        form_version=form_version,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[e.pk for e in entities]),
        actor=celina,
    )
    for number, (entity, values) in enumerate(zip(entities, SENDINGS, strict=True)):
        clerk = cast.make_user(f"clerk-all-{number}", entity=entity)
        obligation = publication.obligations.get(entity=entity)
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        workflow.save_report(report=report, actor=clerk, changes=values, base_revision=None)
        workflow.send_report(report=report, actor=clerk)
    return publication


def rows_of(path, polish: bool) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig" if polish else "utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if polish else ","))


def written(celina, publication, file_format, path, *, by_copy: bool) -> list[list[str]]:
    polish = file_format == ExportFormat.CSV_POLISH
    table = tables.microdata(celina, publication, final_only=False, decimal_comma=polish)
    if not by_copy:
        table.copy = None
    count = writers.write(table, file_format, path, "pl")
    rows = rows_of(path, polish)
    assert count == len(rows) - 2
    return rows


@pytest.mark.parametrize("file_format", [ExportFormat.CSV_POLISH, ExportFormat.CSV])
def test_each_value_of_every_type_is_written_as_the_form_reads_it(
    celina, every_type, tmp_path, file_format
):
    polish = file_format == ExportFormat.CSV_POLISH
    codes, _labels, *rows = written(
        celina, every_type, file_format, tmp_path / "out.csv", by_copy=False
    )
    first = dict(zip(codes, rows[0], strict=True))
    comma = "," if polish else "."
    assert first["INT"] == "1234" and first["PLN"] == "1000"
    assert first["DEC"] == f"12{comma}5" and first["PCT"] == f"7{comma}25"
    assert first["MANY"] == "av|inne" and first["YN"] == "tak" and first["DAY"] == "2023-12-31"
    assert first["LONG"] == SENDINGS[0]["LONG"]
    assert first["TXT"] == ("'" if polish else "") + SENDINGS[0]["TXT"]
    second = dict(zip(codes, rows[1], strict=True))
    assert second["INT"] == "-5"  # a number, never taken for a formula
    assert second["TXT"] == ("'-minus" if polish else "-minus")
    assert second["LONG"] == ("'@" if polish else "@")
    empty = dict(zip(codes, rows[2], strict=True))
    assert all(empty[ref] == "" for ref in SENDINGS[0])


@pytest.mark.parametrize("file_format", [ExportFormat.CSV_POLISH, ExportFormat.CSV])
def test_postgresql_writes_the_same_csv_as_the_rows_written_here(
    celina, every_type, tmp_path, file_format
):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    here = written(celina, every_type, file_format, tmp_path / "here.csv", by_copy=False)
    copied = written(celina, every_type, file_format, tmp_path / "copied.csv", by_copy=True)
    assert copied == here
    assert len(here) == 2 + len(SENDINGS)


@pytest.mark.django_db(transaction=True)
def test_the_worker_copies_in_parts_on_connections_of_its_own_while_it_writes_its_progress(
    celina, every_type, tmp_path, monkeypatch
):
    """Mid-COPY a connection can run nothing else: the job's progress, written every few
    hundred rows, would wait for the COPY, which waits for the file to be written. The parts,
    copied at the same time, are put together in order."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 1)
    here = written(
        celina, every_type, ExportFormat.CSV_POLISH, tmp_path / "here.csv", by_copy=False
    )
    told: list[int] = []
    finished = threading.Event()

    def tell(done: int) -> None:
        Report.objects.exists()  # a query, as the job's progress is
        told.append(done)

    def worker() -> None:
        try:
            table = tables.microdata(celina, every_type, final_only=False, decimal_comma=True)
            assert table.copy is not None and not table.copy.shares_connection
            assert len(table.copy._parts(settings.EXPORT_COPY_PARTS)) == 2
            count = writers.write(
                table, ExportFormat.CSV_POLISH, tmp_path / "worker.csv", "pl", progress=tell
            )
            assert count == len(SENDINGS)
            finished.set()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=60)
    assert finished.is_set(), "the export never finished"
    assert told and told == sorted(told) and told[-1] <= len(SENDINGS)
    assert rows_of(tmp_path / "worker.csv", polish=True) == here
