# The results tests use the review tests' survey.
import datetime
from pathlib import Path

import cast
import pytest
from review.conftest import survey  # noqa: F401

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

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
