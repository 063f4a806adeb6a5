import datetime

import cast
import pytest
from reports.conftest import SURVEY

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity, EntityType
from ssoz.reports import workflow

# The same survey for financial accounts only, and a quarterly form for healthcare providers
# and dentists with a deadline of 30 days after the quarter.
FINANCIAL_SURVEY = SURVEY.replace("code: TEST-1", "code: TEST-FIN").replace(
    "accounts: [non_financial]", "accounts: [financial]"
)
QUARTERLY_FORM = (
    SURVEY.replace("code: TEST-1", "code: TEST-Q")
    .replace("kind: one_time", "kind: periodic")
    .replace("period: year", "period: quarter")
    .replace("deadline: 2024-03-31", "deadline: {days_after_period_end: 30}")
    .replace(
        "accounts: [non_financial]",
        "accounts: [non_financial]\nentity_types: [podmiot_leczniczy, praktyka_dentystyczna]",
    )
)


def load(source: str, filename: str):
    result = load_definition(source, filename=filename)
    assert result.form_version is not None, [str(p) for p in result.problems]
    return result.form_version


@pytest.fixture
def survey(db):
    """A one-time yearly survey for every entity type, due on 31.03.2024."""
    return load(SURVEY, "test-1.yaml")


@pytest.fixture
def financial_survey(db):
    return load(FINANCIAL_SURVEY, "test-fin.yaml")


@pytest.fixture
def quarterly_form(db):
    return load(QUARTERLY_FORM, "test-q.yaml")


@pytest.fixture
def dentist(db, mazovian_office):
    """A Mazovian dental practice, which the quarterly form is for, too."""
    return cast.make_entity(
        name="Gabinet Stomatologiczny Uśmiech", entity_type=EntityType.DENTIST_PRACTICE
    )


@pytest.fixture
def nurse(db, mazovian_office):
    """A Mazovian nursing practice, which the quarterly form is not for."""
    return cast.make_entity(
        name="Praktyka Pielęgniarska Opieka", entity_type=EntityType.NURSE_PRACTICE
    )


@pytest.fixture
def publication(survey, hospital, clinic, celina):
    return publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[hospital.pk, clinic.pk]),
        actor=celina,
    )


def send(report, reporter):
    """Fill the survey as its reporter would, explain its warning, and send it."""
    workflow.save_report(
        report=report,
        actor=reporter,
        changes={"A_TEAM": "nie", "D1.W01.K2": "150", "D1.W01.K3": "0"},
        base_revision=None,
        explanations={"R1": "Szpital kliniczny, 150 etatów."},
    )
    workflow.send_report(report=report, actor=reporter)
    report.refresh_from_db()
    return report


@pytest.fixture(name="send")
def send_fixture():
    """Sends a report as its reporter would: `send(report, reporter)`."""
    return send


@pytest.fixture
def report(publication, hospital, alice):
    """Alice's collective report, created with „aktywuj” and still a draft."""
    obligation = publication.obligations.get(entity=hospital)
    (created,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    return created


@pytest.fixture
def sent_report(report, alice):
    """Alice's report, sent for verification with one explained warning."""
    return send(report, alice)


@pytest.fixture
def silesian_report(publication, clinic, charlie):
    """Charlie's report from the Silesian clinic, sent for verification."""
    obligation = publication.obligations.get(entity=clinic)
    (created,) = workflow.create_reports(obligation=obligation, actor=charlie, collective=True)
    return send(created, charlie)
