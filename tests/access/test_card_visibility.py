"""The card MZ/Szp-11B is for the accounts restricted to it: published beside an ordinary form
(MZ-88) to Alice's hospital, Piotr (the card only) sees the card and nothing else, wherever a
reporter looks; Alice and Fiona (ordinary and financial accounts) see no card anywhere; the
administrators see it within their scope, its PESEL masked but for the central one."""

import datetime

import cast
import pytest
from access.test_financial_visibility import _api, _load
from django.urls import reverse
from reports.conftest import CARD

from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import records, workflow

CARD_CODE = "MZ/Szp-11B"


class Cards:
    """MZ-88 2025 with Alice's draft; MZ/Szp-11B of October 2026 with Piotr's report holding
    one card, sent, and November's not yet taken up."""

    def __init__(self, hospital, alice, piotr, celina) -> None:
        entities = Entity.objects.filter(pk=hospital.pk)
        ordinary = publish_form(
            form_version=_load("mz-88/2025.yaml"),
            year=2025,
            quarter=None,
            deadline=datetime.date(2026, 3, 31),
            entities=entities,
            actor=celina,
        )
        (self.draft,) = workflow.create_reports(
            obligation=ordinary.obligations.get(), actor=alice, collective=True
        )
        card_form = _load("mz-szp-11b/2026.yaml")
        october, self.november = (
            publish_form(
                form_version=card_form,
                year=2026,
                quarter=None,
                month=month,
                deadline=datetime.date(2026, month + 1, 20),
                entities=entities,
                actor=celina,
            )
            for month in (10, 11)
        )
        self.obligation = october.obligations.get()
        (self.report,) = workflow.create_reports(
            obligation=self.obligation, actor=piotr, collective=True
        )
        workflow.save_report(
            report=self.report, actor=piotr, changes={"D0_DISCHARGED": "1"}, base_revision=0
        )
        records.add_record(report=self.report, actor=piotr, values=CARD)
        self.report.refresh_from_db()
        workflow.send_report(report=self.report, actor=piotr)


@pytest.fixture
def cards(hospital, alice, fiona, piotr, celina):
    return Cards(hospital, alice, piotr, celina)


def _page(client, user, name, *args, **query):
    cast.log_in(client, user)
    return client.get(reverse(name, args=args), query)


def test_piotr_sees_the_card_and_no_other_form_in_the_periodic_tab(client, cards, piotr):
    for state in ("do-uzupelnienia", "wyslane"):
        for year in (2025, 2026):
            page = _page(client, piotr, "reports:list", rodzaj="okresowe", stan=state, rok=year)
            assert "MZ-88" not in page.content.decode(), (state, year)
    sent = _page(client, piotr, "reports:list", rodzaj="okresowe", stan="wyslane", rok=2026)
    assert CARD_CODE in sent.content.decode()
    to_fill = _page(client, piotr, "reports:list", rodzaj="okresowe", rok=2026)
    assert [o.publication_id for o in to_fill.context["waiting"]] == [cards.november.pk]


@pytest.mark.parametrize("member", ["alice", "fiona"])
def test_no_other_reporter_sees_the_card_in_any_tab_or_on_the_home_page(
    client, cards, member, request
):
    user = request.getfixturevalue(member)
    for state in ("do-uzupelnienia", "wyslane", "zatwierdzone", "do-korekty"):
        page = _page(client, user, "reports:list", rodzaj="okresowe", stan=state, rok=2026)
        assert CARD_CODE not in page.content.decode(), state
        assert page.context["waiting"] == []
    assert CARD_CODE not in _page(client, user, "portal:home").content.decode()


@pytest.mark.parametrize("member", ["alice", "fiona"])
def test_no_other_reporter_opens_the_card_its_cards_or_its_downloads(
    client, cards, member, piotr, request
):
    user = request.getfixturevalue(member)
    report = cards.report.pk
    pages = [
        ("reports:obligation", cards.obligation.pk),
        ("reports:detail", report),
        ("reports:records", report),
        ("reports:record", report, 1),
        ("reports:records_template_csv", report),
        ("reports:version_pdf", report, 1),
        ("reports:history", report),
    ]
    for name, *args in pages:
        assert _page(client, piotr, name, *args).status_code == 200, name
        assert _page(client, user, name, *args).status_code == 404, (name, member)


@pytest.mark.parametrize("member", ["alice", "fiona"])
def test_the_api_gives_no_other_reporter_the_card(client, cards, member, piotr, request):
    user = request.getfixturevalue(member)
    forms = {item["form"] for item in _api(client, user, "/obligations").json()["items"]}
    assert CARD_CODE not in forms
    assert _api(client, user, "/reports", form=CARD_CODE).json()["items"] == []
    for path in ("", "/records", "/records/1", "/versions/1/pdf"):
        assert _api(client, user, f"/reports/{cards.report.pk}{path}").status_code == 404, path
    mine = _api(client, piotr, "/reports").json()["items"]
    assert {item["form"] for item in mine} == {CARD_CODE}


def test_the_administrators_see_the_card_in_scope_with_the_pesel_masked(
    client, cards, wanda, olaf, celina
):
    assert _page(client, olaf, "reports:records", cards.report.pk).status_code == 404
    masked = _page(client, wanda, "reports:records", cards.report.pk).content.decode()
    assert "•••••••1359" in masked and CARD["PESEL"] not in masked
    assert (
        CARD["PESEL"] in _page(client, celina, "reports:records", cards.report.pk).content.decode()
    )
