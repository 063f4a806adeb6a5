"""manage.py load_definitions: one line per file, every problem as file:line (item): message."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ssoz.definitions.models import FormVersion

from .conftest import definition, line_of

GOOD = definition(
    """\
    sections:
      - code: A1
        title: {pl: Obszar 1, en: Area 1}
        fields:
          - {code: Q1, type: integer, label: {pl: Liczba, en: Number}}
    """
)
BROKEN = GOOD.replace(
    "type: integer, label: {pl: Liczba, en: Number}}",
    'type: integer, label: {pl: Liczba, en: Number}, relevant: "Q2 > 0"}',
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_definitions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_folder_is_searched_for_yaml_files(db, tmp_path):
    (tmp_path / "test-1").mkdir()
    (tmp_path / "test-1" / "2025.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "test-1" / "2026.yaml").write_text(
        GOOD.replace('version: "2025"', 'version: "2026"'), encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("nie definicja", encoding="utf-8")
    out, err = run(str(tmp_path))
    assert out.splitlines() == [
        f"{tmp_path}/test-1/2025.yaml: Wczytano nową wersję 2025 formularza TEST-1.",
        f"{tmp_path}/test-1/2026.yaml: Wczytano nową wersję 2026 formularza TEST-1.",
    ]
    assert err == ""
    assert FormVersion.objects.count() == 2
    out, _ = run(str(tmp_path))
    assert all("Bez zmian" in line for line in out.splitlines())


def test_check_only_stores_nothing(db, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    out, _ = run(str(path), "--check")
    assert "Plik jest poprawny: formularz TEST-1, wersja 2025" in out
    assert not FormVersion.objects.exists()


def test_problems_are_printed_with_file_line_and_item_and_the_command_fails(db, tmp_path):
    good, broken = tmp_path / "good.yaml", tmp_path / "broken.yaml"
    good.write_text(GOOD, encoding="utf-8")
    broken.write_text(BROKEN, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Pliki z błędami: 1 z 2"):
        call_command("load_definitions", str(good), str(broken), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == f"{broken}: Plik zawiera 1 błąd; nic nie wczytano."
    assert lines[1].startswith(
        f"{broken}:{line_of(BROKEN, 'Q2 > 0')} (field Q1): Nieznane pole „Q2”"
    )
    # The good file was loaded all the same.
    assert FormVersion.objects.count() == 1


def test_a_missing_path_is_reported(db, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "nie-ma.yaml"))
