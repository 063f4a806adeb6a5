"""The results tests' world: the review tests' survey, approved for five entities."""

import datetime
from pathlib import Path

import cast
import pytest
from review import conftest as review

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

FIGURE = "D1.W01.K2"
# The results tests use the review tests' survey.
survey = review.survey


def fill_and_send(report, clerk, value: int) -> None:
    workflow.save_report(
        report=report,
        actor=clerk,
        changes={"A_TEAM": "nie", FIGURE: str(value), "D1.W01.K3": "0"},
        base_revision=None,
    )
    workflow.send_report(report=report, actor=clerk)


@pytest.fixture
def approved(survey, hospital, clinic, alice, charlie, wanda, olaf, celina):
    """The survey of 2023 approved for the Mazovian hospital (12 physicians, and 3 more in
    one of its units, which lies in Mazowieckie too), the Silesian clinic (5) and three more
    Silesian clinics (4, 6, 8)."""
    silesian = [
        cast.make_entity(name=f"Przychodnia Śląska {n}", teryt="2469011", city="Katowice")
        for n in range(3)
    ]
    entities = [hospital, clinic, *silesian]
    publication = publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[e.pk for e in entities]),
        actor=celina,
    )
    figures = [(hospital, alice, 12), (clinic, charlie, 5)] + [
        (entity, cast.make_user(f"clerk{entity.pk}", entity=entity), value)
        for entity, value in zip(silesian, (4, 6, 8), strict=True)
    ]
    for entity, clerk, value in figures:
        obligation = publication.obligations.get(entity=entity)
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        fill_and_send(report, clerk, value)
        reviewer = wanda if entity.voivodeship == "14" else olaf
        workflow.approve_report(report=report, actor=reviewer)
    unit = hospital.units.first()
    obligation = publication.obligations.get(entity=hospital)
    (unit_report,) = workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=[unit]
    )
    fill_and_send(unit_report, alice, 3)
    workflow.approve_report(report=unit_report, actor=wanda)
    return publication


CYBER_SURVEY = Path(__file__).resolve().parents[2] / "definitions" / "ankieta-cyber" / "2023.yaml"


@pytest.fixture
def cyber_survey(db):
    """The shipped cybersecurity maturity survey (ANKIETA-CYBER 2023), loaded."""
    result = load_definition(
        CYBER_SURVEY.read_text(encoding="utf-8"), filename="ankieta-cyber/2023.yaml"
    )
    assert result.form_version is not None, [str(problem) for problem in result.problems]
    return result.form_version


def publish_cyber(form_version, entities, actor):
    return publish_form(
        form_version=form_version,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[entity.pk for entity in entities]),
        actor=actor,
    )


def answer_survey(publication, entity, clerk, answers, *, reviewer=None):
    """The entity's clerk fills in the survey collectively, explains every warning and sends
    it; a reviewer, when given, approves it."""
    obligation = publication.obligations.get(entity=entity)
    (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
    warnings = report.compiled_form().check(answers, stage="verify").warnings
    workflow.save_report(
        report=report,
        actor=clerk,
        changes=answers,
        base_revision=None,
        explanations={warning.rule_id: "Sprawdzone z kierownikiem IT." for warning in warnings},
    )
    workflow.send_report(report=report, actor=clerk)
    if reviewer is not None:
        workflow.approve_report(report=report, actor=reviewer)
    report.refresh_from_db()
    return report


def silesian_clinic(number: int):
    return cast.make_entity(name=f"Przychodnia Śląska {number}", teryt="2469011", city="Katowice")
