"""A definition written as a workbook reads back unchanged, and a broken workbook is explained."""

from __future__ import annotations

import copy
import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssoz.definitions.dumper import dump_yaml
from ssoz.definitions.form import compile_definition
from ssoz.definitions.loader import validate_definition
from ssoz.definitions.spreadsheet import XlsxDefinitionError, read_xlsx, write_xlsx
from ssoz.definitions.spreadsheet.spec import (
    COLUMN_TYPES,
    FIELD_TYPES,
    MISSING_POLICIES,
    SEVERITIES,
)


def typed(value: Any) -> Any:
    """``value`` with the type of every scalar spelled out, so that 2 and 2.0 (or 1 and True)
    compare unequal: the round trip must keep types, not only values."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def assert_round_trip(data: dict[str, Any]) -> dict[str, Any]:
    original = copy.deepcopy(data)
    back = read_xlsx(write_xlsx(data))
    assert back == original
    assert typed(back) == typed(original)
    assert data == original, "write_xlsx must not change its argument"
    return back


def text(pl: str, en: str) -> dict[str, str]:
    return {"pl": pl, "en": en}


def rich_definition() -> dict[str, Any]:
    return {
        "format": "ssoz-form/1",
        "code": "MZ-88",
        "version": "2025",
        "title": text(
            "Sprawozdanie o pracujących w podmiotach wykonujących działalność leczniczą",
            "Report on persons working in entities performing medical activity",
        ),
        "kind": "periodic",
        "period": "year",
        "levels": ["entity", "unit"],
        "entity_types": ["podmiot_leczniczy", "praktyka_lekarska"],
        "accounts": ["non_financial", "financial"],
        "deadline": {"month": 3, "day": 11, "years_after_period": 1},
        "header": ["entity.name", "entity.regon", "unit.name", "unit.regon14"],
        "intro": text(
            "Stan w dniu 31 XII.\nZażółć gęślą jaźń — wypełnij wszystkie działy.\n",
            "As of 31 December.\nFill in every section.\n",
        ),
        "footer": text("Dziękujemy.", "Thank you."),
        "sections": [
            {
                "code": "A1",
                "title": text("Dział A1. Cyberbezpieczeństwo", "Section A1. Cybersecurity"),
                "help": text("Odpowiedz na każde pytanie.", "Answer every question."),
                "fields": [
                    {
                        "code": "A1_Q1",
                        "type": "single_choice",
                        "label": text("Czy podmiot ma zespół ds. bezpieczeństwa?", "A team?"),
                        "help": text("Wielowierszowa\npomoc", "Multi-line\nhelp"),
                        "required": True,
                        "choices": [
                            {"code": "0", "label": text("0 – brak", "0 – none"), "score": 0},
                            {"code": "1", "label": text("częściowo", "partly"), "score": 0.5},
                            {"code": "2", "label": text("tak", "yes"), "score": 1.0},
                            {"code": "nd", "label": text("nie dotyczy", "not applicable")},
                            {"code": 3, "label": text("kod liczbowy", "numeric code")},
                        ],
                    },
                    {
                        "code": "A1_Q2",
                        "type": "multiple_choice",
                        "label": text("Które narzędzia?", "Which tools?"),
                        "required": False,
                        "relevant": "selected(A1_Q1, '2')",
                        "choices": [
                            {"code": "fw", "label": text("zapora", "firewall")},
                            {"code": "av", "label": text("antywirus", "antivirus")},
                        ],
                    },
                    {
                        "code": "A1_Q3",
                        "type": "decimal",
                        "label": text("Wydatki na bezpieczeństwo", "Security spending"),
                        "unit": text("tys. zł", "thousand PLN"),
                        "min": 0,
                        "max": 1000000.5,
                        "precision": 2,
                    },
                    {
                        "code": "A1_Q4",
                        "type": "percentage",
                        "label": text("Udział", "Share"),
                        "min": 0.0,
                        "max": 100,
                    },
                    {
                        "code": "A1_Q5",
                        "type": "date",
                        "label": text("Data audytu", "Audit date"),
                        "min": datetime.date(2020, 1, 1),
                        "max": datetime.date(2025, 12, 31),
                    },
                    {
                        "code": "A1_Q6",
                        "type": "long_text",
                        "label": text("Uwagi", "Remarks"),
                        "max_length": 2000,
                    },
                    {
                        "code": "A1_Q7",
                        "type": "decimal",
                        "label": text("Średnia ocena", "Average score"),
                        "calculation": "avg(score(A1_Q1), score(A1_Q1))",
                    },
                    {"code": "A1.e", "type": "email", "label": text("E-mail", "E-mail")},
                    {"code": "A1_t", "type": "phone", "label": text("Telefon", "Phone")},
                    {"code": "A1_y", "type": "yes_no", "label": text("=TAK?", "=YES?")},
                    {"code": "A1_m", "type": "money", "label": text("Kwota", "Amount")},
                    {"code": "A1_i", "type": "integer", "label": text("Liczba", "Number")},
                    {"code": "A1_x", "type": "text", "label": text("Nazwa", "Name")},
                ],
            },
            {
                "code": "D1",
                "title": text("Dział 1. Pracujący", "Section 1. Staff"),
                "relevant": "A1_Q1 != 'nd'",
                "table": {
                    "columns": [
                        {
                            "code": "K1",
                            "label": text("Ogółem", "Total"),
                            "help": text("Suma kolumn 2 i 3.", "Columns 2 and 3."),
                            "type": "integer",
                            "total": "K2:K3",
                        },
                        {
                            "code": "K2",
                            "label": text("Umowa o pracę", "Employment"),
                            "type": "integer",
                        },
                        {
                            "code": "K3",
                            "label": text("Umowa cywilnoprawna", "Civil"),
                            "type": "integer",
                        },
                        {
                            "code": "K4",
                            "label": text("w tym kobiety", "of which women"),
                            "type": "integer",
                            "of_which": "K1",
                        },
                        {
                            "code": "K5",
                            "label": text("Etaty", "FTE"),
                            "type": "decimal",
                            "precision": 2,
                            "unit": text("etaty", "FTE"),
                            "min": 0.5,
                            "max": 99999,
                            "required": True,
                        },
                        {
                            "code": "K6",
                            "label": text("Razem K2 i K5", "K2 and K5"),
                            "type": "money",
                            "total": ["K2", "K5"],
                        },
                    ],
                    "rows": [
                        {
                            "code": "W01",
                            "label": text("Ogółem (w. 02–09)", "Total (rows 02–09)"),
                            "total": "W02:W04",
                        },
                        {
                            "code": "W02",
                            "label": text("Lekarze", "Physicians"),
                            "help": text("Bez stażystów.", "Without interns."),
                        },
                        {
                            "code": "W03",
                            "label": text("w tym specjaliści", "of which specialists"),
                            "of_which": "W02",
                            "indent": 1,
                        },
                        {
                            "code": "W04",
                            "label": text("Lekarze dentyści", "Dentists"),
                            "blocked": ["K5", "K6"],
                            "indent": 0,
                        },
                        {
                            "code": "W05",
                            "label": text("Suma wybranych", "Selected sum"),
                            "total": ["W02"],
                        },
                    ],
                    "min": 0,
                    "max": 1e9,
                    "required": False,
                },
                "rules": [
                    {
                        "id": "D1_R1",
                        "severity": "info",
                        "expression": "D1.W02.K1 >= D1.W03.K1",
                        "message": text("Specjaliści?", "Specialists?"),
                    }
                ],
            },
        ],
        "rules": [
            {
                "id": "R01",
                "severity": "error",
                "expression": "D1.W01.K5 <= D1.W01.K1",
                "message": text(
                    "Etaty ({D1.W01.K5}) nie mogą przekraczać liczby osób ({D1.W01.K1}).",
                    "FTE ({D1.W01.K5}) cannot exceed persons ({D1.W01.K1}).",
                ),
                "missing": "skip_if_any_blank",
                "fields": ["D1.W01.K5"],
            },
            {
                "id": "R02",
                "severity": "warning",
                "expression": "A1_Q3 < 500000",
                "message": text("Duże wydatki?\nSprawdź.", "Large spending?\nCheck."),
                "missing": "blank_as_zero",
            },
            {"id": "R03", "expression": "true", "message": text("Info", "Info")},
            {
                "id": "R04",
                "for_each": "D1.W02:W04",
                "severity": "warning",
                "expression": "D1.*.K5 <= D1.*.K1 * 2",
                "message": text("Wiersz {*} „{*label}”: {D1.*.K5}.", "Row {*}: {D1.*.K5}."),
                "fields": ["D1.*.K5"],
            },
        ],
    }


def test_the_reads_of_other_forms_read_back_unchanged():
    data = rich_definition()
    data["reads"] = [
        {
            "form": "MZ-88",
            "as": "MZ88",
            "cells": {"D1.W02.K1": "integer", "D1.W02.K6": "decimal"},
            "before_sending": True,
        },
        {"form": "MZ-11", "as": "MZ11", "cells": {"A1_OD": "date"}},
    ]
    back = assert_round_trip(data)
    assert list(back["reads"][0]["cells"]) == ["D1.W02.K1", "D1.W02.K6"]
    rows = list(
        openpyxl.load_workbook(io.BytesIO(write_xlsx(data)))["reads"].iter_rows(values_only=True)
    )
    assert ("MZ11", "MZ-11", "A1_OD", "date", None) in rows


def test_a_reads_row_of_a_name_away_from_its_first_is_reported():
    data = minimal_definition()
    data["reads"] = [
        {"form": "MZ-88", "as": "MZ88", "cells": {"D1.W02.K1": "integer"}},
        {"form": "MZ-11", "as": "MZ11", "cells": {"A1_OD": "date"}},
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(data)))
    sheet = workbook["reads"]
    sheet.append(["MZ88", None, "D1.W03.K1", "integer", None])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(out.getvalue())
    assert "muszą stać jeden pod drugim" in str(caught.value)


def minimal_definition() -> dict[str, Any]:
    return {
        "format": "ssoz-form/1",
        "code": "MZ-00",
        "version": "1",
        "title": text("Minimalny", "Minimal"),
        "kind": "one_time",
        "levels": ["entity"],
        "sections": [{"code": "D1", "title": text("Dział", "Section")}],
    }


def card_definition() -> dict[str, Any]:
    """A monthly form whose report holds cards, as MZ/Szp-11B: the record has its own field
    codes (one repeats the form's), choices, a table, and rules of its own and of a section."""
    data = minimal_definition()
    data.update(kind="periodic", period="month", accounts=["psychiatric_card"])
    data["sections"][0]["fields"] = [
        {"code": "COUNT", "type": "integer", "label": text("Liczba kart", "Cards"), "min": 0}
    ]
    data["rules"] = [
        {
            "id": "CARDS",
            "expression": "COUNT == record_count()",
            "message": text("Liczba kart", "The number of cards"),
        }
    ]
    data["records"] = {
        "name": text("Karta", "Card"),
        "title": text("Karty pacjentów", "Patients' cards"),
        "help": text("Jedna karta na wypis.\nPESEL w całości.", "One card per discharge."),
        "summary": ["PESEL", "DISCHARGE"],
        "max": 500,
        "sections": [
            {
                "code": "P",
                "title": text("Pacjent", "Patient"),
                "fields": [
                    {
                        "code": "PESEL",
                        "type": "pesel",
                        "required": True,
                        "label": text("Numer PESEL", "PESEL number"),
                    },
                    {
                        "code": "SEX",
                        "type": "single_choice",
                        "label": text("Płeć", "Sex"),
                        "choices": [
                            {"code": "K", "label": text("kobieta", "female")},
                            {"code": "M", "label": text("mężczyzna", "male")},
                        ],
                    },
                    {
                        "code": "BIRTH",
                        "type": "date",
                        "label": text("Data urodzenia", "Date of birth"),
                        "min": datetime.date(1900, 1, 1),
                    },
                    {
                        "code": "COUNT",
                        "type": "integer",
                        "label": text("Liczba pobytów", "Stays"),
                    },
                ],
                "rules": [
                    {
                        "id": "SEX_OF_PESEL",
                        "severity": "warning",
                        "expression": "pesel_sex(PESEL) == 'K' or selected(SEX, 'M')",
                        "message": text("Płeć a PESEL", "Sex and PESEL"),
                        "fields": ["SEX", "PESEL"],
                    }
                ],
            },
            {
                "code": "S",
                "title": text("Pobyt", "Stay"),
                "fields": [
                    {"code": "DISCHARGE", "type": "date", "label": text("Wypis", "Discharge")}
                ],
                "table": {
                    "columns": [{"code": "K1", "label": text("Dni", "Days"), "type": "integer"}],
                    "rows": [{"code": "W01", "label": text("Oddział", "Ward")}],
                    "min": 0,
                },
            },
        ],
        "rules": [
            {
                "id": "BORN_FIRST",
                "expression": "BIRTH <= DISCHARGE",
                "message": text("Data urodzenia po wypisie", "Born after the discharge"),
            }
        ],
    }
    return data


def sheet_rows(content: bytes, name: str) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(io.BytesIO(content))[name].iter_rows(values_only=True))


def test_a_definition_with_records_reads_back_unchanged():
    back = assert_round_trip(card_definition())
    assert back["records"]["sections"][0]["fields"][3]["code"] == "COUNT"
    assert back["records"]["sections"][0]["fields"][2]["min"] == datetime.date(1900, 1, 1)


def test_the_records_have_sheets_of_the_form_sheets_layout_after_the_forms():
    content = write_xlsx(card_definition())
    assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames == [
        "instrukcja",
        "form",
        "sections",
        "fields",
        "choices",
        "columns",
        "rows",
        "rules",
        "reads",
        "records",
        "records_sections",
        "records_fields",
        "records_choices",
        "records_columns",
        "records_rows",
        "records_rules",
    ]
    for name in ("sections", "fields", "choices", "columns", "rows", "rules"):
        assert sheet_rows(content, f"records_{name}")[0] == sheet_rows(content, name)[0], name
    records = {row[0]: row[1] for row in sheet_rows(content, "records")[1:]}
    assert records["name_pl"] == "Karta" and records["summary"] == "PESEL, DISCHARGE"
    assert records["max"] == 500
    assert sheet_rows(content, "records_fields")[1][:3] == ("P", "PESEL", "pesel")
    assert sheet_rows(content, "records_choices")[1][:2] == ("SEX", "K")
    # The form's own sheets hold none of the record's rows.
    assert [row[1] for row in sheet_rows(content, "fields")[1:]] == ["COUNT"]
    assert [row[1] for row in sheet_rows(content, "rules")[1:]] == ["CARDS"]


def test_a_form_without_records_has_none_of_their_sheets_and_the_instructions_name_them():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(minimal_definition())))
    assert not [name for name in workbook.sheetnames if name.startswith("records")]
    instructions = " ".join(
        str(cell.value) for row in workbook["instrukcja"].iter_rows() for cell in row if cell.value
    )
    for name in ("records", "records_sections", "records_fields", "records_rules"):
        assert name in instructions
    assert "key = summary" in instructions
    assert "Kolumny jak w arkuszu choices." in instructions


def test_explicitly_empty_lists_of_a_record_read_back_empty():
    data = minimal_definition()
    data["records"] = {
        "name": text("Karta", "Card"),
        "summary": [],
        "rules": [],
        "sections": [{"code": "P", "fields": [], "rules": []}],
    }
    back = assert_round_trip(data)
    assert back["records"]["rules"] == [] and back["records"]["summary"] == []


def test_a_record_of_only_sections_or_only_a_name_reads_back_unchanged():
    for records in (
        {"sections": [{"code": "P"}]},
        {"name": text("Karta", "Card")},
        {"rules": [{"id": "R1", "expression": "true"}]},
    ):
        data = minimal_definition()
        data["records"] = records
        assert assert_round_trip(data)["records"] == records


def test_a_workbook_with_records_passes_the_loaders_schema_check_and_compiles():
    back = read_xlsx(write_xlsx(card_definition()), dates_as_text=True)
    assert back["records"]["sections"][0]["fields"][2]["min"] == "1900-01-01"
    form = compile_definition(validate_definition(back, filename="karty.xlsx"), filename="x")
    assert form.records is not None
    assert form.records.summary == ("PESEL", "DISCHARGE")
    assert form.records.max == 500


def edited(content: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_mistake_in_a_record_sheet_is_reported_with_its_sheet_and_row():
    def change(workbook: openpyxl.Workbook) -> None:
        fields = workbook["records_fields"]
        fields["C3"] = "płeć"  # SEX's type, sheet row 3
        fields["A5"] = "X"  # COUNT's section: there is no section X in the record
        max_row = next(row for row in workbook["records"].iter_rows() if row[0].value == "max")
        max_row[1].value = "dużo"

    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(edited(write_xlsx(card_definition()), change))
    where = [(p.sheet, p.row, p.column) for p in caught.value.problems]
    records_max_row = where[0][1]
    assert where == [
        ("records", records_max_row, "value"),
        ("records_fields", 3, "type"),
        ("records_fields", 5, "section"),
    ]
    problems = [str(problem) for problem in caught.value.problems]
    assert problems[0] == (
        f"Arkusz records, wiersz {records_max_row}, kolumna value: max: «dużo» nie jest liczbą "
        f"(Sheet records, row {records_max_row}, column value: max: «dużo» is not a number)"
    )
    assert problems[1].startswith(
        "Arkusz records_fields, wiersz 3, kolumna type: nieznany typ pola «płeć»"
    )
    assert "Sheet records_fields, row 3, column type: unknown field type «płeć»" in problems[1]
    assert problems[2] == (
        "Arkusz records_fields, wiersz 5, kolumna section: nieznany dział «X» (nie ma go w "
        "arkuszu records_sections) (Sheet records_fields, row 5, column section: unknown "
        "section «X» (not in the records_sections sheet))"
    )


def test_a_record_choice_of_a_field_of_the_form_only_is_reported():
    def change(workbook: openpyxl.Workbook) -> None:
        workbook["records_choices"].append(["A1", "1", "jeden", "one"])

    data = card_definition()
    data["sections"][0]["fields"].append(
        {"code": "A1", "type": "single_choice", "label": text("a", "a")}
    )
    problems = problems_of(edited(write_xlsx(data), change))
    assert problems == [
        "Arkusz records_choices, wiersz 4, kolumna field: nieznane pole «A1» (nie ma go w "
        "arkuszu records_fields) (Sheet records_choices, row 4, column field: unknown field "
        "«A1» (not in the records_fields sheet))"
    ]


def test_a_repeated_record_field_code_is_reported_as_unique_in_the_record():
    def change(workbook: openpyxl.Workbook) -> None:
        workbook["records_fields"]["B3"] = "PESEL"

    problems = problems_of(edited(write_xlsx(card_definition()), change))
    assert problems[0].startswith(
        "Arkusz records_fields, wiersz 3, kolumna code: powtórzony kod pola «PESEL» (także w "
        "wierszu 2); kody pól są unikalne w całym rekordzie"
    )


def test_an_empty_list_mark_of_a_record_names_the_record_sheet():
    def change(workbook: openpyxl.Workbook) -> None:
        rules_row = next(row for row in workbook["records"].iter_rows() if row[0].value == "rules")
        rules_row[1].value = "R1"

    data = card_definition()
    data["records"]["rules"] = []
    problems = problems_of(edited(write_xlsx(data), change))
    assert "elementy wpisuje się w arkuszu records_rules" in problems[0]
    assert problems[0].startswith("Arkusz records, wiersz ")


def test_a_record_sheet_emptied_altogether_leaves_the_form_without_records():
    def change(workbook: openpyxl.Workbook) -> None:
        for name in workbook.sheetnames:
            if name.startswith("records"):
                workbook.remove(workbook[name])
        workbook.create_sheet("records")

    back = read_xlsx(edited(write_xlsx(card_definition()), change))
    assert "records" not in back


def test_dates_before_excels_first_date_read_back_as_dates():
    data = minimal_definition()
    data["deadline"] = datetime.date(1899, 12, 31)
    data["sections"][0]["fields"] = [
        {
            "code": "d",
            "type": "date",
            "label": text("Data", "Date"),
            "min": datetime.date(1, 1, 1),
            "max": "1850-06-30",
        }
    ]
    back = assert_round_trip(data)
    assert back["deadline"] == datetime.date(1899, 12, 31)
    assert read_xlsx(write_xlsx(data), dates_as_text=True)["deadline"] == "1899-12-31"


def test_a_rich_definition_reads_back_unchanged_with_every_key_and_type():
    assert_round_trip(rich_definition())


def test_a_date_deadline_reads_back_as_a_date():
    data = rich_definition()
    data["deadline"] = datetime.date(2024, 3, 31)
    assert assert_round_trip(data)["deadline"] == datetime.date(2024, 3, 31)


def test_dates_written_as_text_as_the_loader_keeps_them_read_back_as_text():
    data = minimal_definition()
    data["deadline"] = "2024-03-31"
    data["sections"][0]["fields"] = [
        {
            "code": "d",
            "type": "date",
            "label": text("Data", "Date"),
            "min": "2020-01-01",
            "max": datetime.date(2030, 12, 31),
        }
    ]
    back = assert_round_trip(data)
    assert back["deadline"] == "2024-03-31"


def test_date_cells_can_be_read_as_the_text_the_json_schema_expects():
    data = rich_definition()
    data["deadline"] = datetime.date(2024, 3, 31)
    back = read_xlsx(write_xlsx(data), dates_as_text=True)
    assert back["deadline"] == "2024-03-31"
    question = back["sections"][0]["fields"][4]
    assert (question["min"], question["max"]) == ("2020-01-01", "2025-12-31")


def test_a_relative_deadline_in_days_reads_back_unchanged():
    data = minimal_definition()
    data["deadline"] = {"days_after_period_end": 45}
    assert assert_round_trip(data)["deadline"] == {"days_after_period_end": 45}


def test_a_read_workbook_passes_the_loaders_schema_check():
    loader = pytest.importorskip("ssoz.definitions.loader")
    for data in (rich_definition(), minimal_definition()):
        back = read_xlsx(write_xlsx(data), dates_as_text=True)
        loader.validate_definition(back, filename="definicja.xlsx")


def test_a_minimal_definition_reads_back_unchanged():
    back = assert_round_trip(minimal_definition())
    assert "rules" not in back
    assert "fields" not in back["sections"][0]
    assert "table" not in back["sections"][0]


def test_explicitly_empty_lists_read_back_empty_and_absent_ones_stay_absent():
    data = minimal_definition()
    data["rules"] = []
    data["header"] = []
    data["sections"] = [
        {"code": "D1", "title": text("a", "a"), "fields": [], "rules": []},
        {"code": "D2", "title": text("b", "b")},
    ]
    back = assert_round_trip(data)
    assert back["rules"] == [] and back["header"] == []
    assert "fields" not in back["sections"][1]


def test_the_empty_list_marks_appear_only_when_needed():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(minimal_definition())))
    assert [cell.value for cell in workbook["sections"][1]] == [
        "code",
        "title_pl",
        "title_en",
        "help_pl",
        "help_en",
        "relevant",
        "table_min",
        "table_max",
        "table_required",
    ]
    assert "rules" not in [row[0].value for row in workbook["form"].iter_rows()]


def test_a_version_that_looks_like_a_number_stays_text():
    data = minimal_definition()
    data["version"] = "2025.10"
    assert assert_round_trip(data)["version"] == "2025.10"


def test_a_whole_number_version_or_choice_code_from_yaml_stays_a_number():
    data = rich_definition()
    data["version"] = 2025
    back = assert_round_trip(data)
    assert back["version"] == 2025
    assert back["sections"][0]["fields"][0]["choices"][-1]["code"] == 3


def test_explicit_false_and_an_absent_flag_stay_different():
    data = minimal_definition()
    data["sections"][0]["fields"] = [
        {"code": "a", "type": "text", "label": text("a", "a"), "required": False},
        {"code": "b", "type": "text", "label": text("b", "b")},
    ]
    fields = assert_round_trip(data)["sections"][0]["fields"]
    assert fields[0]["required"] is False
    assert "required" not in fields[1]


def test_numbers_keep_their_python_type_including_long_ones():
    data = minimal_definition()
    data["sections"][0]["fields"] = [
        {"code": "a", "type": "decimal", "label": text("a", "a"), "min": 2.0, "max": 2},
        {"code": "b", "type": "decimal", "label": text("b", "b"), "min": 0.1 + 0.2, "max": 10**18},
        {"code": "c", "type": "decimal", "label": text("c", "c"), "min": -1e-300, "max": 1e300},
    ]
    assert_round_trip(data)


def test_texts_are_kept_verbatim_even_when_excel_would_take_them_for_something_else():
    tricky = [
        "=SUM(A1:A3)",
        "+48 22 000 00 00",
        "-5",
        "@home",
        "  leading and trailing  ",
        "line\r\nwith CRLF and a \x01 control character",
        "_x0041_ is not A",
        "x005F_ stays",
        "0",
        "TAK",
        "[]",
        "2024-03-31",
        "ends with a newline\n",
        "\ttab",
    ]
    data = minimal_definition()
    data["sections"][0]["fields"] = [
        {"code": f"f{index}", "type": "text", "label": text(value, value), "relevant": value}
        for index, value in enumerate(tricky)
    ]
    assert_round_trip(data)


def test_the_workbook_opens_with_the_instruction_sheet_first():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(rich_definition())))
    assert workbook.sheetnames == [
        "instrukcja",
        "form",
        "sections",
        "fields",
        "choices",
        "columns",
        "rows",
        "rules",
        "reads",
    ]
    instructions = " ".join(
        str(cell.value) for row in workbook["instrukcja"].iter_rows() for cell in row if cell.value
    )
    assert "Definicja formularza SSOZ" in instructions
    assert "label_pl, label_en" in instructions
    assert "description" in instructions


def test_every_sheet_has_a_bold_frozen_header_and_wrapped_long_texts():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(rich_definition())))
    for name in ("form", "sections", "fields", "choices", "columns", "rows", "rules"):
        sheet = workbook[name]
        assert sheet["A1"].font.bold, name
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2"), name
    fields = workbook["fields"]
    headers = [cell.value for cell in fields[1]]
    assert headers[:5] == ["section", "code", "type", "label_pl", "label_en"]
    label = fields.cell(row=2, column=4)
    assert label.value == "Czy podmiot ma zespół ds. bezpieczeństwa?"
    assert label.alignment.wrap_text
    assert fields.column_dimensions["D"].width >= 30


def test_a_text_starting_with_an_equals_sign_is_a_text_cell_not_a_formula():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(rich_definition())))
    fields = workbook["fields"]
    cell = next(row[3] for row in fields.iter_rows(min_row=2) if row[1].value == "A1_y")
    assert cell.value == "=TAK?"
    assert cell.data_type == "s"
    assert cell.quotePrefix


# --------------------------------------------------------------------------------------------
# Reading what a statistician made in Excel


Rows = list[list[Any]]


def build_workbook(sheets: dict[str, Rows]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hand_made(**changes: Rows) -> dict[str, Rows]:
    sheets: dict[str, Rows] = {
        "form": [
            ["value", "key"],  # columns swapped
            [" MZ-88 ", "code"],
            [2025, "version"],  # Excel turned it into a number
            ["Tytuł", "title_pl"],
            ["Title", "title_en"],
            ["3", "deadline_month"],
            [11.0, "deadline_day"],
            ["1", "deadline_years_after_period"],
            ["entity , unit", "levels"],
        ],
        "sections": [["title_en", "code", "title_pl"], ["Section 1", "D1", "Dział 1"]],
        "fields": [
            ["code", "label_en", "label_pl", "section", "type", "required", "min", "precision"],
            ["Q1", "Number", "Liczba", "D1", "Integer", "tak", "0", "2"],
            ["Q2", "Share", "Udział", " D1", "decimal ", "NIE", "1,5", 2.0],
            ["Q3", "Kind", "Rodzaj", "D1", "single_choice", "true", None, None],
            [None, None, None, None, None, None, None, None],
            ["Q4", "Date", "Data", "D1", "date", 0, "2024-01-31", None],
            ["Q5", "Date", "Data", "D1", "date", None, "31.1.2024", None],
            ["Q6", "Date", "Data", "D1", "date", None, datetime.datetime(2024, 1, 31), None],
            [None, "   ", None, None, None, None, None, None],
        ],
        "choices": [
            ["score", "label_pl", "field", "code", "label_en"],
            ["1", "tak", "Q3", "1", "yes"],
            [" 2.5 ", "nie", "Q3", 0, "no"],
        ],
        "rules": [
            ["message_en", "id", "expression", "message_pl", "severity", "fields"],
            ["Too many", "R01", "Q1 <= 10", "Za dużo", "Warning", "Q1;Q2"],
        ],
    }
    sheets.update(changes)
    return sheets


def test_reading_tolerates_reordered_columns_tak_nie_numbers_as_text_and_blank_rows():
    # What Excel leaves: typed numbers in text columns, texts in number columns, stray spaces.
    data = read_xlsx(build_workbook(hand_made()))
    assert typed(data) == typed(
        {
            "code": "MZ-88",
            "version": 2025,  # as YAML would read it unquoted; the loader makes it "2025"
            "title": text("Tytuł", "Title"),
            "levels": ["entity", "unit"],
            "deadline": {"month": 3, "day": 11, "years_after_period": 1},
            "sections": [
                {
                    "code": "D1",
                    "title": text("Dział 1", "Section 1"),
                    "fields": [
                        {
                            "code": "Q1",
                            "type": "integer",
                            "label": text("Liczba", "Number"),
                            "required": True,
                            "min": 0,
                            "precision": 2,
                        },
                        {
                            "code": "Q2",
                            "type": "decimal",
                            "label": text("Udział", "Share"),
                            "required": False,
                            "min": 1.5,
                            "precision": 2,
                        },
                        {
                            "code": "Q3",
                            "type": "single_choice",
                            "label": text("Rodzaj", "Kind"),
                            "required": True,
                            "choices": [
                                {"code": "1", "label": text("tak", "yes"), "score": 1},
                                {"code": 0, "label": text("nie", "no"), "score": 2.5},
                            ],
                        },
                        {
                            "code": "Q4",
                            "type": "date",
                            "label": text("Data", "Date"),
                            "required": False,
                            "min": "2024-01-31",
                        },
                        {
                            "code": "Q5",
                            "type": "date",
                            "label": text("Data", "Date"),
                            "min": "2024-01-31",
                        },
                        {
                            "code": "Q6",
                            "type": "date",
                            "label": text("Data", "Date"),
                            "min": datetime.date(2024, 1, 31),
                        },
                    ],
                }
            ],
            "rules": [
                {
                    "id": "R01",
                    "severity": "warning",
                    "expression": "Q1 <= 10",
                    "message": text("Za dużo", "Too many"),
                    "fields": ["Q1", "Q2"],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("typed_in", "read"),
    [("1 000", 1000), ("1,5", 1.5), ("-3", -3), ("2e3", 2000.0), (" 7 ", 7), (7.5, 7.5)],
)
def test_numbers_typed_as_text_are_read_as_numbers(typed_in: Any, read: Any):
    sheets = hand_made()
    sheets["fields"][1][6] = typed_in
    field = read_xlsx(build_workbook(sheets))["sections"][0]["fields"][0]
    assert typed(field["min"]) == typed(read)


def test_reading_ignores_note_sheets_and_note_columns():
    sheets = hand_made()
    sheets["sections"] = [
        ["code", "title_pl", "title_en", "# uwagi"],
        ["D1", "Dział 1", "S 1", "x"],
    ]
    sheets["# notatki"] = [["cokolwiek"]]
    sheets["instrukcja"] = [["anything at all"]]
    assert read_xlsx(build_workbook(sheets))["sections"][0]["title"] == text("Dział 1", "S 1")


def test_a_workbook_edited_and_saved_again_by_openpyxl_still_reads_back():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx(rich_definition())))
    workbook["rules"].append([None] * 3)  # stray formatting below the data, as Excel leaves it
    for row in range(50, 60):
        workbook["fields"].cell(row=row, column=1).value = "  "
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_xlsx(buffer.getvalue()) == rich_definition()


# --------------------------------------------------------------------------------------------
# Broken workbooks


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(content)
    return [str(problem) for problem in caught.value.problems]


def test_a_missing_sheet_is_named():
    sheets = hand_made()
    del sheets["sections"]
    problems = problems_of(build_workbook(sheets))
    assert problems == ["Arkusz sections: brak arkusza (Sheet sections: the sheet is missing)"]


def test_an_unknown_sheet_is_reported_so_a_misspelt_name_does_not_lose_data():
    sheets = hand_made()
    sheets["field"] = sheets.pop("fields")
    problems = problems_of(build_workbook(sheets))
    assert len(problems) == 1
    assert problems[0].startswith("Arkusz field: nieznany arkusz")


def test_a_field_row_without_a_code_is_reported_with_its_row_and_column():
    sheets = hand_made()
    sheets["fields"][2][0] = None  # Q2's code, sheet row 3
    problems = problems_of(build_workbook(sheets))
    assert problems == [
        "Arkusz fields, wiersz 3, kolumna code: brak wartości "
        "(Sheet fields, row 3, column code: the value is missing)"
    ]


def test_an_unknown_field_type_is_reported_in_polish_and_english():
    sheets = hand_made()
    sheets["fields"][1][4] = "liczba"
    with pytest.raises(XlsxDefinitionError) as caught:
        read_xlsx(build_workbook(sheets))
    message = str(caught.value)
    assert "Arkusz fields, wiersz 2, kolumna type: nieznany typ pola «liczba»" in message
    assert "Sheet fields, row 2, column type: unknown field type «liczba»" in message
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("fields", 2, "type")


def test_every_problem_of_a_workbook_is_reported_at_once():
    sheets = hand_made()
    sheets["fields"][1][4] = "liczba"
    sheets["fields"][2][5] = "może"
    sheets["fields"][3][3] = "D9"
    sheets["choices"][1][2] = "Q9"
    sheets["fields"][0][6] = "minimum"
    sheets["form"].append(["x", "colour"])
    sheets["form"].append(["1.5", "deadline_day"])
    where = [problem.split(":")[0] for problem in problems_of(build_workbook(sheets))]
    # In the order of the sheets and rows; Q3's choices are not blamed for Q3's own error.
    assert where == [
        "Arkusz form, wiersz 10, kolumna key",
        "Arkusz form, wiersz 11, kolumna key",
        "Arkusz fields, wiersz 1, kolumna G",
        "Arkusz fields, wiersz 2, kolumna type",
        "Arkusz fields, wiersz 3, kolumna required",
        "Arkusz fields, wiersz 4, kolumna section",
        "Arkusz choices, wiersz 2, kolumna field",
    ]


def test_an_empty_list_mark_next_to_rows_of_that_list_is_reported():
    sheets = hand_made()
    sheets["form"].append(["[]", "rules"])
    problems = problems_of(build_workbook(sheets))
    assert problems == [
        "Arkusz rules, wiersz 2: lista rules jest oznaczona jako pusta ([]), a ten wiersz do niej "
        "należy; usuń [] albo ten wiersz (Sheet rules, row 2: the rules list is marked empty "
        "([]) but this row belongs to it; remove the [] or this row)"
    ]


def test_a_misspelt_column_is_reported_rather_than_ignored():
    sheets = hand_made()
    sheets["choices"][0][1] = "lable_pl"
    problems = problems_of(build_workbook(sheets))
    assert problems[0].startswith(
        "Arkusz choices, wiersz 1, kolumna B: nieznana kolumna «lable_pl»"
    )


def test_bad_values_in_the_form_sheet_point_at_the_value_cell():
    sheets = hand_made()
    sheets["form"][5][0] = "marzec"
    sheets["form"][4][0] = None  # title_en left empty
    problems = problems_of(build_workbook(sheets))
    assert problems[0].startswith("Arkusz form, wiersz 5, kolumna value: brak title_en")
    assert problems[1].startswith(
        "Arkusz form, wiersz 6, kolumna value: deadline_month: «marzec» nie jest liczbą"
    )


def test_a_file_that_is_not_a_zip_archive_is_reported_without_a_raw_exception():
    problems = problems_of(b"this is certainly not a workbook")
    assert problems[0].startswith("plik nie jest skoroszytem XLSX")


def test_a_zip_archive_that_is_not_a_workbook_is_reported_without_a_raw_exception():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    problems = problems_of(buffer.getvalue())
    assert problems[0].startswith("nie można otworzyć skoroszytu XLSX")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(version=True), "version"),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d.update(sections=[]), "sections"),
        (lambda d: d["title"].pop("en"), "title"),
        (lambda d: d["sections"][0]["title"].update(en="  "), "sections[0].title"),
        (lambda d: d.update(levels=["entity, unit"]), "levels"),
        (lambda d: d.update(deadline=datetime.datetime(2024, 3, 31, 12)), "deadline"),
        (lambda d: d.update(deadline="31.03.2024"), "deadline"),
        (lambda d: d.update(deadline={"month": 3, "week": 2}), "deadline.week"),
        (
            lambda d: d["sections"][0].update(
                fields=[
                    {"code": "a", "type": "single_choice", "label": text("a", "a"), "choices": []}
                ]
            ),
            "sections[0].fields[0].choices",
        ),
        (
            lambda d: d["sections"][0].update(table={"columns": [{"code": "K1"}]}),
            "sections[0].table.rows",
        ),
        (lambda d: d.update(records={}), "records"),
        (lambda d: d.update(records=[]), "records"),
        (lambda d: d.update(records={"name": text("a", "a"), "colour": "red"}), "records.colour"),
        (lambda d: d.update(records={"max": "many"}), "records.max"),
        (lambda d: d.update(records={"sections": []}), "records.sections"),
        (
            lambda d: d.update(
                records={"sections": [{"code": "P", "rules": [{"expression": "true"}]}]}
            ),
            "records.sections[0].rules[0].id",
        ),
        (
            lambda d: d.update(
                records={
                    "sections": [
                        {
                            "code": "P",
                            "fields": [
                                {"code": "A", "type": "text", "label": text("a", "a")},
                                {"code": "A", "type": "text", "label": text("b", "b")},
                            ],
                        }
                    ]
                }
            ),
            "records.sections[0].fields[1].code",
        ),
    ],
)
def test_the_writer_refuses_what_the_workbook_could_not_give_back(
    change: Callable[[dict[str, Any]], None], path: str
):
    data = minimal_definition()
    change(data)
    with pytest.raises(XlsxDefinitionError) as caught:
        write_xlsx(data)
    assert [problem.path for problem in caught.value.problems] == [path]


# --------------------------------------------------------------------------------------------
# Any valid definition


def _characters() -> st.SearchStrategy[str]:
    return st.characters(exclude_categories=("Cs",))


plain_texts = st.text(_characters(), min_size=1, max_size=20).filter(lambda s: bool(s.strip()))
texts = st.one_of(
    plain_texts,
    plain_texts.map(lambda s: "=" + s),
    st.lists(plain_texts, min_size=2, max_size=3).map("\n".join),
    st.sampled_from(["0", "2025", "1,5", "TAK", "nie", "[]", "_x0041_", "a\r\nb", " x ", "K1:K2"]),
)
text_pairs = st.fixed_dictionaries({"pl": texts, "en": texts})
codes = st.from_regex(r"[A-Za-z][A-Za-z0-9_.]{0,5}", fullmatch=True)
ints = st.integers(min_value=-(10**20), max_value=10**20)
numbers = st.one_of(ints, st.floats(allow_nan=False, allow_infinity=False))
# Excel has no dates before March 1900: the writer stores those as text in a date format.
dates = st.dates()
date_texts = st.dates().map(datetime.date.isoformat)
bounds = st.one_of(numbers, dates, date_texts)
code_lists = st.lists(codes, max_size=4)
totals = st.one_of(
    st.tuples(codes, codes).map(":".join),
    st.lists(st.one_of(codes, st.tuples(codes, codes).map(":".join)), min_size=1, max_size=3),
)
small_ints = st.integers(min_value=-(10**14), max_value=10**14)


def unique_items(strategy: st.SearchStrategy[dict[str, Any]], key: str = "code", min_size=1):
    return st.lists(strategy, min_size=min_size, max_size=4, unique_by=lambda item: item[key])


choices = st.fixed_dictionaries(
    {"code": st.one_of(codes, small_ints), "label": text_pairs}, optional={"score": numbers}
)
fields = st.fixed_dictionaries(
    {"code": codes, "type": st.sampled_from(FIELD_TYPES), "label": text_pairs},
    optional={
        "help": text_pairs,
        "unit": text_pairs,
        "required": st.booleans(),
        "relevant": texts,
        "choices": unique_items(choices),
        "min": bounds,
        "max": bounds,
        "precision": ints,
        "max_length": ints,
        "calculation": texts,
    },
)
columns = st.fixed_dictionaries(
    {"code": codes},
    optional={
        "label": text_pairs,
        "help": text_pairs,
        "type": st.sampled_from(COLUMN_TYPES),
        "precision": ints,
        "unit": text_pairs,
        "total": totals,
        "of_which": codes,
        "min": numbers,
        "max": numbers,
        "required": st.booleans(),
    },
)
rows = st.fixed_dictionaries(
    {"code": codes},
    optional={
        "label": text_pairs,
        "help": text_pairs,
        "total": totals,
        "of_which": codes,
        "blocked": code_lists,
        "indent": st.integers(0, 2),
    },
)
tables = st.fixed_dictionaries(
    {"columns": unique_items(columns), "rows": unique_items(rows)},
    optional={"min": numbers, "max": numbers, "required": st.booleans()},
)
rules = st.fixed_dictionaries(
    {"id": codes},
    optional={
        "for_each": st.tuples(codes, codes).map(":".join),
        "severity": st.sampled_from(SEVERITIES),
        "expression": texts,
        "message": text_pairs,
        "missing": st.sampled_from(MISSING_POLICIES),
        "fields": code_lists,
    },
)
sections = st.fixed_dictionaries(
    {"code": codes},
    optional={
        "title": text_pairs,
        "help": text_pairs,
        "relevant": texts,
        "fields": unique_items(fields, min_size=0),
        "table": tables,
        "rules": st.lists(rules, max_size=3),
    },
)
deadlines = st.one_of(
    dates,
    date_texts,
    st.fixed_dictionaries(
        {},
        optional={
            "month": ints,
            "day": ints,
            "years_after_period": ints,
            "days_after_period_end": ints,
        },
    ).filter(bool),
)
reads = st.lists(
    st.fixed_dictionaries(
        {"form": codes, "cells": st.dictionaries(codes, st.sampled_from(FIELD_TYPES), min_size=1)},
        optional={"before_sending": st.booleans()},
    ),
    min_size=1,  # an empty list has no spreadsheet form, as everywhere
    max_size=3,
).map(lambda items: [{"as": f"F{i}", **item} for i, item in enumerate(items)])
definitions = st.fixed_dictionaries(
    {},
    optional={
        "reads": reads,
        "format": st.just("ssoz-form/1"),
        "code": codes,
        "version": st.one_of(codes, small_ints, st.sampled_from(["2025", "1.0", "01", "2025.10"])),
        "title": text_pairs,
        "kind": st.sampled_from(["periodic", "one_time"]),
        "period": st.sampled_from(["year", "quarter"]),
        "levels": st.lists(st.sampled_from(["entity", "unit"]), max_size=2, unique=True),
        "entity_types": code_lists,
        "accounts": st.lists(st.sampled_from(["non_financial", "financial"]), max_size=2),
        "deadline": deadlines,
        "header": code_lists,
        "intro": text_pairs,
        "footer": text_pairs,
        "sections": unique_items(sections),
        "rules": st.lists(rules, max_size=3),
    },
).map(lambda data: _unique_field_codes(data))
record_specs = st.fixed_dictionaries(
    {},
    optional={
        "name": text_pairs,
        "title": text_pairs,
        "help": text_pairs,
        "summary": code_lists,
        "max": ints,
        "sections": unique_items(sections),
        "rules": st.lists(rules, max_size=3),
    },
).filter(bool)  # empty records have no spreadsheet form
definitions_with_records = st.tuples(
    definitions, record_specs.map(lambda data: _unique_field_codes(data))
).map(lambda pair: {**pair[0], "records": pair[1]})


def _unique_field_codes(data: dict[str, Any]) -> dict[str, Any]:
    """Field codes are unique in the whole form (or record): drop repeats across sections."""
    seen: set[str] = set()
    for section in data.get("sections", []):
        if "fields" in section:
            section["fields"] = [f for f in section["fields"] if f["code"] not in seen]
            seen.update(f["code"] for f in section["fields"])
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions)
def test_any_valid_definition_reads_back_unchanged(data: dict[str, Any]):
    assert_round_trip(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions_with_records)
def test_any_valid_definition_with_records_reads_back_unchanged(data: dict[str, Any]):
    assert_round_trip(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions)
def test_any_valid_definition_dumped_as_yaml_loads_back_unchanged(data: dict[str, Any]):
    back = yaml.safe_load(dump_yaml(data))
    assert typed(back) == typed(data)


def test_the_yaml_keeps_keys_in_the_documented_order_and_texts_readable():
    source = dump_yaml(rich_definition())
    lines = source.splitlines()
    assert lines[:3] == ["format: ssoz-form/1", "code: MZ-88", "version: '2025'"]
    assert "title: {pl: Dział 1. Pracujący, en: Section 1. Staff}" in source
    assert "  - code: A1" in lines
    assert "levels: [entity, unit]" in lines
    assert "Zażółć gęślą jaźń" in source
    assert "    Zażółć gęślą jaźń — wypełnij wszystkie działy." in lines  # a literal block
    top_keys = [line.split(":")[0] for line in lines if line and not line[0].isspace()]
    assert top_keys == [
        "format",
        "code",
        "version",
        "title",
        "kind",
        "period",
        "levels",
        "entity_types",
        "accounts",
        "deadline",
        "header",
        "intro",
        "footer",
        "sections",
        "rules",
    ]


def test_the_yaml_of_records_keeps_their_keys_in_the_documented_order():
    data = card_definition()
    data["records"] = dict(reversed(data["records"].items()))  # as a careless writer gives it
    lines = dump_yaml(data).splitlines()
    top_keys = [line.split(":")[0] for line in lines if line and not line[0].isspace()]
    assert top_keys[-2:] == ["rules", "records"]
    start = lines.index("records:")
    # "records:" comes last, so every line below it is the record's; its keys are indented by two
    record_keys = [
        line.split(":")[0].strip()
        for line in lines[start + 1 :]
        if line.startswith("  ") and line[2].isalpha()
    ]
    assert record_keys == ["name", "title", "help", "summary", "max", "sections", "rules"]
    assert "  name: {pl: Karta, en: Card}" in lines
