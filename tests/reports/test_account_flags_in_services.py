"""The account flags hold in the services themselves, not only in the lists: called directly,
the workflow refuses an account whose flags do not allow the form.

Alice has no financial authorisation; Fiona, her colleague, has it; Piotr's account may fill
only the MZ/Szp-11B card. The hospital has a financial form, an ordinary one and the card.
"""

import datetime

import pytest
from django.http import Http404
from reports.conftest import SURVEY

from ssoz.definitions.services import load_definition
from ssoz.publications.models import Obligation
from ssoz.publications.services import activate_obligation, publish_form
from ssoz.registry.models import Entity
from ssoz.reports import access, workflow
from ssoz.reports.models import Report, Status

CHANGES = {"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1"}


def form_for(accounts: str, code: str):
    source = SURVEY.replace("code: TEST-1", f"code: {code}").replace(
        "accounts: [non_financial]", f"accounts: [{accounts}]"
    )
    return load_definition(source, filename=f"{code}.yaml").form_version


@pytest.fixture
def obligations(db, hospital, celina):
    """The hospital's obligations: an ordinary form, a financial one and the MZ/Szp-11B card."""
    found = {}
    for kind, accounts in (
        ("ordinary", "non_financial"),
        ("financial", "financial"),
        ("card", "psychiatric_card"),
    ):
        publication = publish_form(
            form_version=form_for(accounts, f"TEST-{kind.upper()}"),
            year=2023,
            quarter=None,
            deadline=datetime.date(2024, 3, 31),
            entities=Entity.objects.filter(pk=hospital.pk),
            actor=celina,
        )
        found[kind] = Obligation.objects.get(publication=publication)
    return found


def fill_and_send(obligation, reporter) -> Report:
    (report,) = workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
    workflow.save_report(report=report, actor=reporter, changes=CHANGES, base_revision=0)
    workflow.send_report(report=report, actor=reporter)
    report.refresh_from_db()
    return report


ALLOWED = {
    "alice": {"ordinary"},
    "fiona": {"ordinary", "financial"},
    "piotr": {"card"},
}


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_each_account_fills_exactly_the_forms_its_flags_allow(
    request, who, obligations, alice, fiona, piotr
):
    reporter = request.getfixturevalue(who)
    for kind, obligation in obligations.items():
        if kind in ALLOWED[who]:
            assert fill_and_send(obligation, reporter).status == Status.SENT
        else:
            with pytest.raises(Http404):
                activate_obligation(obligation=obligation, actor=reporter)
            with pytest.raises(Http404):
                workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
            assert not Obligation.objects.get(pk=obligation.pk).is_activated


@pytest.mark.parametrize("who", ["alice", "piotr"])
def test_a_report_of_a_form_the_account_may_not_fill_cannot_be_saved_sent_or_read(
    request, who, obligations, fiona, alice, piotr
):
    (fiona_report,) = workflow.create_reports(
        obligation=obligations["financial"], actor=fiona, collective=True
    )
    intruder = request.getfixturevalue(who)
    with pytest.raises(Http404):
        workflow.save_report(report=fiona_report, actor=intruder, changes=CHANGES, base_revision=0)
    with pytest.raises(Http404):
        workflow.send_report(report=fiona_report, actor=intruder)
    with pytest.raises(Http404):
        access.get_report_for_user(intruder, fiona_report.pk)
    fiona_report.refresh_from_db()
    assert fiona_report.values == {} and fiona_report.status == Status.DRAFT


def test_mail_about_a_financial_report_goes_only_to_accounts_that_may_open_it(
    obligations, fiona, alice, piotr, wanda
):
    report = fill_and_send(obligations["financial"], fiona)
    assert [user.username for user in access.reporters_who_see(report)] == ["fiona"]
    card = fill_and_send(obligations["card"], piotr)
    assert [user.username for user in access.reporters_who_see(card)] == ["piotr"]
