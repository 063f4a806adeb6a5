"""Loading definition files into form versions: created, unchanged, replaced, refused."""

from __future__ import annotations

import sys

import pytest

from ssoz.definitions.form import cache as form_cache
from ssoz.definitions.loader import parse_definition
from ssoz.definitions.models import FormDefinition, FormVersion, has_related_rows
from ssoz.definitions.services import LoadStatus, load_definition

from .conftest import definition

FORM = definition(
    """\
    sections:
      - code: A1
        title: {pl: Obszar 1, en: Area 1}
        fields:
          - {code: Q1, type: integer, label: {pl: Liczba, en: Number}, required: true}
    """
)
CHANGED = FORM.replace("Liczba, en: Number", "Liczba osób, en: Number of persons")


@pytest.fixture(autouse=True)
def _fresh_cache():
    form_cache.clear_cache()


def test_a_new_file_creates_the_form_and_its_version(db, celina):
    result = load_definition(FORM, filename="test-1/2025.yaml", actor=celina)
    assert result.status == LoadStatus.CREATED and result.ok
    assert result.message_pl == "Wczytano nową wersję 2025 formularza TEST-1."
    version = FormVersion.objects.get()
    assert version.definition.code == "TEST-1"
    assert version.definition.title_pl == "Formularz testowy"
    assert (version.version, version.kind, version.period) == ("2025", "periodic", "year")
    assert version.source == FORM
    assert version.source_format == "yaml"
    assert len(version.checksum) == 64
    assert version.loaded_by == celina
    assert version.data["sections"][0]["fields"][0]["code"] == "Q1"


def test_loading_the_same_file_again_changes_nothing(db, celina):
    load_definition(FORM, filename="a.yaml", actor=celina)
    loaded_at = FormVersion.objects.get().loaded_at
    result = load_definition(FORM.encode(), filename="a.yaml")
    assert result.status == LoadStatus.UNCHANGED and result.ok
    assert result.message_pl.startswith("Bez zmian")
    assert FormVersion.objects.get().loaded_at == loaded_at


def test_a_changed_file_replaces_a_version_no_report_uses(db):
    load_definition(FORM, filename="a.yaml")
    result = load_definition(CHANGED, filename="a.yaml")
    assert result.status == LoadStatus.REPLACED
    assert "Zastąpiono wersję 2025" in result.message_pl
    version = FormVersion.objects.get()
    assert version.source == CHANGED
    assert version.compiled().field("Q1").label.pl == "Liczba osób"


def test_a_changed_file_is_refused_for_a_version_in_use(db, monkeypatch):
    load_definition(FORM, filename="a.yaml")
    monkeypatch.setattr(FormVersion, "is_in_use", lambda self: True)
    result = load_definition(CHANGED, filename="a.yaml")
    assert result.status == LoadStatus.REFUSED and not result.ok
    assert "jest już używana w sprawozdaniach" in result.message_pl
    assert FormVersion.objects.get().source == FORM
    # The identical file is still fine: nothing would change.
    assert load_definition(FORM, filename="a.yaml").status == LoadStatus.UNCHANGED


def test_a_new_version_of_a_form_in_use_is_a_new_row(db, monkeypatch):
    load_definition(FORM, filename="a.yaml")
    monkeypatch.setattr(FormVersion, "is_in_use", lambda self: True)
    result = load_definition(CHANGED.replace('version: "2025"', 'version: "2026"'), filename="b")
    assert result.status == LoadStatus.CREATED
    assert FormDefinition.objects.get().versions.count() == 2


def test_a_version_is_in_use_when_any_relation_points_at_it(db, celina):
    # FormVersion has no reverse relations until the reports app adds one, so the generic
    # check is shown on a relation that exists: users are referred to by loaded versions.
    relation = FormVersion._meta.get_field("loaded_by").remote_field
    assert relation in celina._meta.related_objects
    assert not has_related_rows(celina, [relation])
    load_definition(FORM, filename="a.yaml", actor=celina)
    assert has_related_rows(celina, [relation])
    assert has_related_rows(celina)
    version = FormVersion.objects.get()
    assert not version.is_in_use()


def test_checking_only_stores_nothing(db):
    result = load_definition(FORM, filename="a.yaml", check_only=True)
    assert result.status == LoadStatus.CHECKED and result.ok
    assert result.message_pl == (
        "Plik jest poprawny: formularz TEST-1, wersja 2025 (1 dział, 1 pole do wypełnienia, "
        "0 reguł). Niczego nie wczytano."
    )
    assert not FormVersion.objects.exists()


def test_a_broken_file_stores_nothing_and_lists_its_problems(db):
    broken = FORM.replace("type: integer", "type: number")
    result = load_definition(broken, filename="broken.yaml")
    assert result.status == LoadStatus.INVALID and not result.ok
    assert result.message_pl == "Plik zawiera 1 błąd; nic nie wczytano."
    assert [p.item for p in result.problems] == ["field Q1"]
    assert not FormDefinition.objects.exists()


def test_a_file_not_in_utf8_is_named_so(db):
    result = load_definition(FORM.replace("testowy", "testowy ąę").encode("cp1250"), filename="a")
    assert result.status == LoadStatus.INVALID
    assert "UTF-8" in result.problems[0].message_pl


def test_the_compiled_form_is_cached_per_checksum(db, monkeypatch):
    load_definition(FORM, filename="a.yaml")
    version = FormVersion.objects.select_related("definition").get()
    form_cache.clear_cache()
    calls = []
    real = form_cache.compile_definition

    def counting(data, *, filename):
        calls.append(filename)
        return real(data, filename=filename)

    monkeypatch.setattr(form_cache, "compile_definition", counting)
    first = version.compiled()
    again = FormVersion.objects.select_related("definition").get().compiled()
    assert first is again
    assert calls == ["a.yaml"]
    assert first.check({"Q1": "3"}, stage="verify").is_sendable


def test_a_form_compiled_while_loading_is_cached(db):
    result = load_definition(FORM, filename="a.yaml")
    assert FormVersion.objects.get().compiled() is result.form


def test_an_xlsx_workbook_loads_like_its_yaml(db):
    xlsx = pytest.importorskip("ssoz.definitions.spreadsheet")
    workbook = xlsx.write_xlsx(dict(parse_definition(FORM, filename="a.yaml")))
    result = load_definition(workbook, filename="test-1.xlsx")
    assert result.status == LoadStatus.CREATED, result.problems
    version = FormVersion.objects.get()
    assert version.source_format == "xlsx"
    assert parse_definition(version.source, filename="x") == version.data
    again = load_definition(workbook, filename="test-1.xlsx")
    assert again.status == LoadStatus.UNCHANGED


def test_a_damaged_workbook_is_a_problem_not_a_crash(db):
    pytest.importorskip("ssoz.definitions.spreadsheet")
    result = load_definition(b"PK\x03\x04 not really a zip", filename="zepsuty.xlsx")
    assert result.status == LoadStatus.INVALID
    assert result.problems


def test_without_the_spreadsheet_reader_an_xlsx_file_is_explained(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "ssoz.definitions.spreadsheet", None)
    result = load_definition(b"PK\x03\x04", filename="a.xlsx")
    assert result.status == LoadStatus.INVALID
    assert "XLSX nie jest jeszcze dostępne" in result.problems[0].message_pl
