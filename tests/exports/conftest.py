import datetime

import cast
import pytest

# The exports tests use the review tests' survey (TEST-1).
from reports.conftest import card_report  # noqa: F401
from review.conftest import survey  # noqa: F401

from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

FIGURE = "D1.W01.K2"


def send(report, clerk, changes: dict, explanations: dict | None = None) -> None:
    workflow.save_report(
        report=report,
        actor=clerk,
        changes={"A_TEAM": "nie", "D1.W01.K3": "0", **changes},
        explanations=explanations,
        base_revision=None,
    )
    workflow.send_report(report=report, actor=clerk)


@pytest.fixture
def approved(survey, hospital, clinic, alice, charlie, wanda, olaf, celina):  # noqa: F811
    """The survey of 2023: the Mazovian hospital sent 120 physicians (a warning, explained)
    and a remark that looks like a formula; the Silesian clinic 5, typed "5"; three more
    Silesian clinics 1 234 (typed with a space), 6 and 8. All approved, but the last
    clinic's, which is only sent."""
    silesian = [
        cast.make_entity(name=f"Przychodnia Śląska {n}", teryt="2469011", city="Katowice")
        for n in range(3)
    ]
    publication = publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[e.pk for e in [hospital, clinic, *silesian]]),
        actor=celina,
    )
    clerks = [cast.make_user(f"clerk{entity.pk}", entity=entity) for entity in silesian]
    sendings = [
        (hospital, alice, {FIGURE: "120", "A_NOTE": "=1+2 zespół"}, {"R1": "Duży szpital."}),
        (clinic, charlie, {FIGURE: "5"}, None),
        (silesian[0], clerks[0], {FIGURE: "1 234"}, {"R1": "Sieć przychodni."}),
        (silesian[1], clerks[1], {FIGURE: "6"}, None),
        (silesian[2], clerks[2], {FIGURE: "8"}, None),
    ]
    for number, (entity, clerk, changes, explanations) in enumerate(sendings):
        obligation = publication.obligations.get(entity=entity)
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        send(report, clerk, changes, explanations)
        if number < 4:
            reviewer = wanda if entity.voivodeship == "14" else olaf
            workflow.approve_report(report=report, actor=reviewer)
    return publication
