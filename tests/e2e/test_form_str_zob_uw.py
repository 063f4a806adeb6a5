"""STR-ZOB-UW in a real browser, for the third quarter of 2025, after MZ-BFA-UW of the same
quarter was sent: Fiona types the liabilities by how long they are overdue, meets totals that
differ from MZ-BFA-UW's (errors) and wages overdue for over a year (a warning) at „Weryfikuj bez
wysyłania”, corrects them and sends the structure."""

import datetime
from pathlib import Path

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Status

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def send_bfa(hospital, fiona, celina, *, liabilities: str) -> None:
    """MZ-BFA-UW for 2025 Q3, sent by Fiona with the given short-term liabilities."""
    path = "mz-bfa-uw/2025.yaml"
    version = load_definition(
        (DEFINITIONS / path).read_text(encoding="utf-8"), filename=path
    ).form_version
    publication = publish_form(
        form_version=version,
        year=2025,
        quarter=3,
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(), actor=fiona, collective=True
    )
    changes = {"D2.W08.K1": liabilities, "D2.W09.K1": "0"}
    workflow.save_report(report=report, actor=fiona, changes=changes, base_revision=0)
    workflow.send_report(report=report, actor=fiona)


def test_fiona_matches_str_zob_uw_with_mz_bfa_uw_and_sends_it(
    page, hospital, fiona, celina, open_shipped_form, wait_until_saved
):
    send_bfa(hospital, fiona, celina, liabilities="100 000,00")
    report = open_shipped_form(page, "str-zob-uw/2025.yaml", reporter=fiona, quarter=3)

    trade = page.locator("tr", has=page.locator("[name='D1.W07.K2']"))
    expect(trade.locator(".grid__number")).to_have_text("A.II.1")

    fill_cells(
        page,
        {"D1.W07.K2": "95 000,00", "D1.W07.K4": "4 000,00", "D1.W10.K7": "1 000,00"},
    )
    wait_until_saved(page)
    # Overdue is a sum of four columns, the total a sum of it and „niewymagalne”, and the
    # rows add up to A.II and A.
    expect(page.locator("#f-D1-W10-K3")).to_have_value("1000,00")
    expect(page.locator("#f-D1-W01-K1")).to_have_value("100\u00a0000,00")
    result = verify_without_sending(page)
    expect(result).to_contain_text(
        "Zobowiązania wymagalne razem (5000,00 zł) nie są równe zobowiązaniom wymagalnym "
        "wykazanym w MZ-BFA UW"
    )
    expect(result).to_contain_text("Wiersz A.II.3 „z tytułu wynagrodzeń”: zobowiązania")

    fill_cells(page, {"D1.W07.K2": "100 000,00", "D1.W07.K4": "0", "D1.W10.K7": "0"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("nie są równe")
    expect(result).not_to_contain_text("od ponad 12 miesięcy")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
