"""A sent report returned for correction: the regional administrator returns it with a comment
(„Zwróć do korekty”), the clerk finds it under „do korekty”, corrects a value and sends it again;
the two sent versions are compared and the history lists the return and both sends."""

import re

import pytest
from browser import WAIT_FOR_STATE_MS
from playwright.sync_api import expect

from ssoz.reports import workflow
from ssoz.reports.models import ReportVersion, Status

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Liczba komputerów wygląda na zaniżoną – podajcie stan z ewidencji środków trwałych."
COMPUTERS = re.compile(r"^Liczba komputerów")


@pytest.fixture
def sent_report(hospital, alice, publish_survey, prefill_report):
    """Alice's collective survey, filled in and sent (version 1)."""
    publication = publish_survey(hospital)
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(), actor=alice, collective=True
    )
    report = prefill_report(report, alice, values={"A0_Q5": "120"})
    workflow.send_report(report=report, actor=alice)
    report.refresh_from_db()
    assert report.status == Status.SENT
    return report


def test_a_returned_report_is_corrected_and_sent_again(
    page, browser, live_server, sent_report, wanda, log_in, wait_until_saved, mailbox
):
    report = sent_report

    # The regional administrator returns the report; the comment is required.
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    try:
        admin = context.new_page()
        admin.set_default_timeout(WAIT_FOR_STATE_MS)
        log_in(admin, "wanda")
        menu = admin.get_by_role("navigation", name="Menu główne")
        menu.get_by_role("link", name="Sprawozdania do weryfikacji").click()
        row = admin.get_by_role("row").filter(has_text="ANKIETA-CYBER")
        expect(row).to_contain_text("zbiorczo za cały podmiot")
        row.get_by_role("link", name=re.compile("^Weryfikuj")).click()
        admin.wait_for_url(f"**/administracja/sprawozdania/{report.pk}/")
        admin.get_by_role("button", name="Zwróć do korekty").click()
        expect(admin.get_by_text("Napisz, co trzeba poprawić.").first).to_be_visible()
        report.refresh_from_db()
        assert report.status == Status.SENT
        admin.get_by_label("Uwagi dla sprawozdawcy").fill(COMMENT)
        admin.get_by_role("button", name="Zwróć do korekty").click()
        expect(admin.get_by_role("status")).to_contain_text("zwrócono do korekty")
    finally:
        context.close()
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    returned = mailbox.wait_for("do korekty")
    assert returned["To"] == "alice@example.org"

    # The clerk finds it under „do korekty”, with the comment.
    log_in(page, "alice")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="sprawozdania jednorazowe"
    ).click()
    states = page.get_by_role("navigation", name="Stan sprawozdań")
    expect(states.get_by_role("link", name=re.compile("^do korekty"))).to_contain_text("1")
    states.get_by_role("link", name=re.compile("^do korekty")).click()
    page.get_by_label("Rok").select_option("2023")
    page.get_by_role("button", name="Pokaż").click()
    row = page.get_by_role("row").filter(has_text="zbiorczo za cały podmiot")
    expect(row).to_contain_text("do korekty")
    expect(row).to_contain_text(COMMENT)
    row.get_by_role("link", name=re.compile("^wypełnij")).click()
    page.wait_for_url(f"**/sprawozdania/{report.pk}/")
    expect(page.get_by_role("note")).to_contain_text(f"Uwagi administratora: {COMMENT}")
    expect(page.locator(".report-meta .status")).to_have_text("do korekty")

    # The value is corrected, verified and sent again.
    computers = page.get_by_role("textbox", name=COMPUTERS)
    expect(computers).to_have_value("120")
    computers.fill("135")
    wait_until_saved(page)
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    expect(page.locator("#verification")).to_contain_text("Nie znaleziono błędów ani ostrzeżeń.")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    page.wait_for_url("**/wyslij/")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Sprawozdanie wysłano")).to_contain_text(
        "wersja 2"
    )
    expect(page.locator(".report-meta .status")).to_have_text("wysłane do weryfikacji")
    expect(page.get_by_role("note")).to_have_count(0)  # the comment belonged to the return
    report.refresh_from_db()
    assert report.status == Status.SENT
    first, second = ReportVersion.objects.filter(report=report).order_by("number")
    assert (first.values["A0_Q5"], second.values["A0_Q5"]) == ("120", "135")
    assert first.checksum != second.checksum

    # Versions 1 and 2 compared: the changed value.
    page.get_by_role("link", name="porównaj wersje").click()
    page.wait_for_url(f"**/sprawozdania/{report.pk}/wersje/")
    expect(page.get_by_label("Wersja starsza")).to_have_value("1")
    expect(page.get_by_label("Wersja nowsza")).to_have_value("2")
    changes = page.get_by_role("table", name="Wartości: wersja 1 i wersja 2")
    expect(changes.locator("tbody tr")).to_have_count(1)
    changed = changes.get_by_role("row").filter(has_text="A0_Q5")
    expect(changed).to_contain_text("Liczba komputerów")
    expect(changed.get_by_role("cell")).to_have_text(["120", "135"])
    expect(page.get_by_role("main")).to_contain_text(first.checksum)
    expect(page.get_by_role("main")).to_contain_text(second.checksum)

    # The history: both sends and the return with its comment, and the corrected value.
    page.get_by_role("link", name="← Sprawozdanie").click()
    page.get_by_role("link", name="historia zmian").click()
    page.wait_for_url(f"**/sprawozdania/{report.pk}/historia/")
    events = page.locator(".history__event")
    sends = events.filter(has_text="wysłano do weryfikacji")
    expect(sends).to_have_count(2)
    expect(sends.nth(0)).to_contain_text(f"#2 {second.checksum}")
    expect(sends.nth(1)).to_contain_text(f"#1 {first.checksum}")
    returned_event = events.filter(has_text="zwrócono do korekty")
    expect(returned_event).to_have_count(1)
    expect(returned_event).to_contain_text(COMMENT)
    expect(returned_event).to_contain_text("Wanda")
    correction = events.filter(has_text="zapisano").filter(has_text="A0_Q5").first
    corrected = correction.get_by_role("row").filter(has_text="A0_Q5")
    expect(corrected.get_by_role("cell")).to_have_text(["120", "135"])
    # Newest first: the second send, the correction, the return, the first send.
    kinds = [text.split(" – ")[0] for text in events.locator("p strong").all_inner_texts()]
    order = [kind for kind in kinds if kind in ("wysłano do weryfikacji", "zwrócono do korekty")]
    assert order == ["wysłano do weryfikacji", "zwrócono do korekty", "wysłano do weryfikacji"]
