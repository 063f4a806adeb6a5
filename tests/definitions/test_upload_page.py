"""„Definicje formularzy”: the central administrator uploads definition files; others may not."""

from __future__ import annotations

import cast
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ssoz.definitions.models import FormVersion
from ssoz.definitions.services import load_definition

from .conftest import definition, line_of

GOOD = definition(
    """\
    sections:
      - code: A1
        title: {pl: Obszar 1, en: Area 1}
        fields:
          - {code: Q1, type: integer, label: {pl: Liczba łóżek, en: Beds}}
    rules:
      - {id: R01, expression: "Q1 >= 0", message: {pl: "Ujemne", en: "Negative"}}
    """
)
BROKEN = GOOD.replace('"Q1 >= 0"', '"Q1 >= D1.W10.K1"')


def list_url() -> str:
    return reverse("definitions:list")


def upload(client, text: str | bytes, name: str = "test-1.yaml", **extra):
    content = text.encode() if isinstance(text, str) else text
    return client.post(list_url(), {"file": SimpleUploadedFile(name, content), **extra})


def test_the_central_administrator_uploads_a_valid_file(client, celina):
    cast.log_in(client, celina)
    response = upload(client, GOOD)
    assert response.status_code == 302
    version = FormVersion.objects.get()
    assert version.loaded_by == celina and version.filename == "test-1.yaml"
    page = client.get(response["Location"]).content.decode()
    assert "Wczytano nową wersję 2025 formularza TEST-1." in page
    assert "TEST-1" in page and "Formularz testowy" in page


def test_a_broken_file_shows_its_problems_with_line_numbers(client, celina):
    cast.log_in(client, celina)
    response = upload(client, BROKEN)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Plik zawiera 1 błąd; nic nie wczytano." in page
    assert "<caption" in page and 'scope="col"' in page
    assert f"<td>{line_of(BROKEN, 'D1.W10.K1')}</td>" in page
    assert "<td>rule R01</td>" in page
    assert "D1.W10.K1" in page
    assert not FormVersion.objects.exists()


def test_check_only_reports_without_storing(client, celina):
    cast.log_in(client, celina)
    response = upload(client, GOOD, check_only="on")
    assert response.status_code == 200
    assert "Plik jest poprawny: formularz TEST-1, wersja 2025" in response.content.decode()
    assert not FormVersion.objects.exists()


def test_a_changed_version_in_use_is_refused(client, celina, monkeypatch):
    load_definition(GOOD, filename="test-1.yaml")
    monkeypatch.setattr(FormVersion, "is_in_use", lambda self: True)
    cast.log_in(client, celina)
    response = upload(client, GOOD.replace("Liczba łóżek", "Łóżka"))
    assert response.status_code == 409
    assert "jest już używana w sprawozdaniach" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("definicja.txt", b"format: ssoz-form/1", "Wybierz plik .yaml albo .xlsx."),
        ("duzy.yaml", b"#" * (2 * 1024 * 1024 + 1), "Plik jest za duży"),
    ],
)
def test_wrong_files_are_refused_by_the_form(client, celina, name, content, message):
    cast.log_in(client, celina)
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_version_page_shows_its_structure_and_source(client, celina):
    load_definition(GOOD, filename="test-1.yaml")
    version = FormVersion.objects.get()
    cast.log_in(client, celina)
    page = client.get(reverse("definitions:version_detail", args=[version.pk])).content.decode()
    assert "Liczba łóżek" in page and "R01" in page
    source = client.get(reverse("definitions:version_source", args=[version.pk]))
    assert source["Content-Disposition"] == 'attachment; filename="test-1-2025.yaml"'
    assert source.content.decode() == GOOD


def test_a_regional_administrator_may_look_but_not_load(client, wanda):
    load_definition(GOOD, filename="test-1.yaml")
    cast.log_in(client, wanda)
    page = client.get(list_url())
    assert page.status_code == 200
    assert 'type="file"' not in page.content.decode()
    assert upload(client, GOOD).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reporter_gets_403(client, alice, method):
    load_definition(GOOD, filename="test-1.yaml")
    version = FormVersion.objects.get()
    cast.log_in(client, alice)
    assert getattr(client, method)(list_url()).status_code == 403
    detail = reverse("definitions:version_detail", args=[version.pk])
    assert client.get(detail).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(list_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert upload(client, GOOD).status_code == 302
    assert not FormVersion.objects.exists()


def test_the_menu_links_administrators_to_the_definitions(client, celina):
    cast.log_in(client, celina)
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{list_url()}"' in page


def test_posting_without_a_file_asks_for_one(client, celina):
    cast.log_in(client, celina)
    response = client.post(list_url(), {})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_the_json_schema_of_the_format_is_published(client, db):
    response = client.get("/definicje/form.schema.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = response.json()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "sections" in schema["properties"]
