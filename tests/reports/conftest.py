import datetime
from pathlib import Path

import pytest

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

# A small survey with what the report pages must handle: a yes/no question with a follow-up
# that is relevant only after "tak", a choice, a table with a computed total and an "of which"
# column, an error rule and a warning rule.
SURVEY = """
format: ssoz-form/1
code: TEST-1
version: "1"
title: {pl: "Ankieta testowa", en: "Test survey"}
kind: one_time
period: year
levels: [entity, unit]
accounts: [non_financial]
deadline: 2024-03-31
header: [entity.name, entity.regon, unit.name]
sections:
  - code: A
    title: {pl: "Dział A. Zespół", en: "Section A. Team"}
    fields:
      - code: A_TEAM
        type: yes_no
        label: {pl: "Czy podmiot ma zespół ds. cyberbezpieczeństwa?", en: "Security team?"}
        required: true
      - code: A_SIZE
        type: integer
        label: {pl: "Liczba osób w zespole", en: "Team size"}
        unit: {pl: osoby, en: persons}
        min: 1
        max: 500
        required: true
        relevant: "A_TEAM"
      - code: A_NOTE
        type: long_text
        label: {pl: "Uwagi", en: "Remarks"}
  - code: D1
    title: {pl: "Dział 1. Pracujący", en: "Section 1. Staff"}
    table:
      columns:
        - {code: K1, label: {pl: "Ogółem", en: "Total"}, type: integer, total: "K2:K3"}
        - {code: K2, label: {pl: "Umowa o pracę", en: "Employment"}, type: integer}
        - {code: K3, label: {pl: "Umowa cywilnoprawna", en: "Civil-law"}, type: integer}
        - {code: K4, label: {pl: "w tym kobiety", en: "women"}, type: integer, of_which: K1}
      rows:
        - {code: W01, label: {pl: "Lekarze", en: "Physicians"}}
        - {code: W02, label: {pl: "Pielęgniarki", en: "Nurses"}}
      min: 0
rules:
  - id: R1
    severity: warning
    expression: "D1.W01.K1 <= 100"
    message:
      pl: "Ponad 100 lekarzy ({D1.W01.K1}) – sprawdź, czy to nie pomyłka."
      en: "Over 100 physicians ({D1.W01.K1}) – please check."
    fields: [D1.W01.K2]
"""


@pytest.fixture
def survey(db):
    result = load_definition(SURVEY, filename="test-1.yaml")
    assert result.form_version is not None, [str(p) for p in result.problems]
    return result.form_version


@pytest.fixture
def publication(survey, hospital, clinic, celina):
    return publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.all(),
        actor=celina,
    )


@pytest.fixture
def obligation(publication, hospital):
    return publication.obligations.get(entity=hospital)


@pytest.fixture
def report(obligation, alice):
    """Alice's collective report, created with „aktywuj”."""
    (created,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    return created


CARD_FORM = Path(__file__).resolve().parents[2] / "definitions" / "mz-szp-11b" / "2026.yaml"

# A man born on 14 May 1944, as his PESEL says, discharged in October 2026.
CARD = {
    "PESEL": "44051401359",
    "SEX": "M",
    "BIRTH_DATE": "1944-05-14",
    "RESIDENCE": "14",
    "WARD": "GENERAL",
    "ADMISSION_DATE": "2026-09-20",
    "ADMISSION_MODE": "1",
    "FIRST_TIME": "nie",
    "DIAGNOSIS": "F20-F29",
    "DISCHARGE_DATE": "2026-10-05",
    "DISCHARGE_MODE": "1",
}


@pytest.fixture
def card_report(hospital, piotr, celina):
    """October 2026's MZ/Szp-11B report of the hospital, created by Piotr."""
    loaded = load_definition(CARD_FORM.read_text(encoding="utf-8"), filename="mz-szp-11b/2026.yaml")
    assert loaded.form_version is not None, [str(p) for p in loaded.problems]
    publication = publish_form(
        form_version=loaded.form_version,
        year=2026,
        quarter=None,
        month=10,
        deadline=datetime.date(2026, 11, 20),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    obligation = publication.obligations.get(entity=hospital)
    (created,) = workflow.create_reports(obligation=obligation, actor=piotr, collective=True)
    return created
