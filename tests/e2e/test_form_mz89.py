"""MZ-89 in a real browser, after MZ-88: the clerk finds that MZ-89 waits for MZ-88, sends
MZ-88 through its page, then fills MZ-89 with more specialists than MZ-88's physicians by main
place of work (a rule across forms) and a specialty above the specialists (a rule that
repeats), corrects both and sends it; and an entity without specialists sends MZ-89 as a zero
report."""

import datetime
from pathlib import Path

import pytest
from browser import assert_accessible, fill_cells, send_report, verify_without_sending
from django.utils import timezone
from playwright.sync_api import expect

from ssoz.reports.models import Status

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


@pytest.fixture
def mz89_report(celina, hospital):
    """MZ-89 for 2025, published to the hospital, with its collective report created by
    `reporter` (who is already logged in by open_shipped_form)."""
    from ssoz.definitions.services import load_definition
    from ssoz.publications.models import Obligation
    from ssoz.publications.services import publish_form
    from ssoz.registry.models import Entity
    from ssoz.reports import workflow

    def create(reporter):
        path = "mz-89/2025.yaml"
        result = load_definition((DEFINITIONS / path).read_text(encoding="utf-8"), filename=path)
        assert result.form_version is not None, [str(problem) for problem in result.problems]
        publication = publish_form(
            form_version=result.form_version,
            year=2025,
            quarter=None,
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            entities=Entity.objects.filter(pk=hospital.pk),
            actor=celina,
        )
        obligation = Obligation.objects.get(publication=publication, entity=hospital)
        [report] = workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
        return report

    return create


def open_report(page, report) -> None:
    page.goto(f"/sprawozdania/{report.pk}/")
    expect(page.locator("#save-status")).to_be_attached()


def test_a_clerk_sends_mz88_then_fills_mz89_against_it_corrects_it_and_sends_it(
    page, alice, open_shipped_form, mz89_report, wait_until_saved, screenshot
):
    mz88 = open_shipped_form(page, "mz-88/2025.yaml", reporter=alice)
    mz89 = mz89_report(alice)

    open_report(page, mz89)
    fill_cells(page, {"L_SPECJALISCI": "20", "D1.W15.K2": "20"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text("czyta sprawozdanie MZ-88 za 2025, które nie zostało")
    expect(result).to_contain_text("Najpierw wyślij sprawozdanie MZ-88")

    open_report(page, mz88)
    fill_cells(page, {"D1.W01.K2": "19", "D1.W01.K3": "6", "D1.W01.K4": "19"})
    fill_cells(page, {"D1.W02.K3": "2", "D1.W02.K4": "2"})
    wait_until_saved(page)
    verify_without_sending(page)
    send_report(page)
    mz88.refresh_from_db()
    assert mz88.status == Status.SENT

    open_report(page, mz89)
    fill_cells(page, {"D1.W43.K3": "25"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text(
        "Lekarzy ze specjalizacją (20) jest więcej niż lekarzy, dla których podmiot jest "
        "podstawowym miejscem pracy, w sprawozdaniu MZ-88 (wiersz 1, kolumna 4: 19)."
    )
    expect(result).to_contain_text("Wiersz W43 „Medycyna rodzinna”: lekarzy z tą specjalizacją")
    screenshot(page, "mz89-against-mz88")
    assert_accessible(page, "MZ-89 with a rule across forms failing")

    fill_cells(page, {"L_SPECJALISCI": "19", "D1.W15.K2": "15", "D1.W43.K3": "4"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("w sprawozdaniu MZ-88 (wiersz 1")
    expect(result).not_to_contain_text("Wiersz W43")
    send_report(page)
    mz89.refresh_from_db()
    assert mz89.status == Status.SENT
    assert not mz89.is_zero
    assert mz89.values["L_SPECJALISCI"] == "19"


def test_an_entity_without_specialists_sends_mz89_as_a_zero_report(
    page, alice, open_shipped_form, mz89_report, wait_until_saved
):
    open_shipped_form(page, "mz-88/2025.yaml", reporter=alice)
    mz89 = mz89_report(alice)

    open_report(page, mz89)
    fill_cells(page, {"L_SPECJALISCI": "0", "LD_SPECJALISCI": "0"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text("Nie wykazano żadnego lekarza ani lekarza dentysty")

    page.get_by_role("link", name="Wyślij jako sprawozdanie zerowe", exact=True).click()
    expect(page.get_by_role("heading", name="Wysłanie sprawozdania zerowego")).to_be_visible()
    assert_accessible(page, "MZ-89 zero report confirmation")
    page.get_by_role("button", name="Potwierdzam: wyślij sprawozdanie zerowe").click()
    expect(page.get_by_text("Wysłano sprawozdanie zerowe do weryfikacji")).to_be_visible()
    mz89.refresh_from_db()
    assert mz89.status == Status.SENT
    assert mz89.is_zero
    assert mz89.values == {}
