"""A regional administrator finds reports in the queue by REGON, approves those sent without
warnings in one go, and approves another one with a comment; the reporters get the mail."""

import re

import cast
import pytest
from background import text_of
from playwright.sync_api import expect

from ssoz.reports import workflow
from ssoz.reports.models import Report, Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic_in_mazovia(db, mazovian_office):
    return cast.make_entity(name="Przychodnia Mokotów", teryt="1465011")


@pytest.fixture
def sent_reports(hospital, alice, clinic_in_mazovia, publish_survey, prefill_report):
    """Alice's and Zofia's surveys, filled in and sent without warnings."""
    zofia = cast.make_user("zofia", entity=clinic_in_mazovia, first_name="Zofia")
    publication = publish_survey(hospital, clinic_in_mazovia)
    sent = {}
    for entity, reporter in ((hospital, alice), (clinic_in_mazovia, zofia)):
        (report,) = workflow.create_reports(
            obligation=publication.obligations.get(entity=entity), actor=reporter, collective=True
        )
        report = prefill_report(report, reporter, values={"A0_Q5": "120"})
        workflow.send_report(report=report, actor=reporter)
        report.refresh_from_db()
        assert report.warning_count == 0
        sent[entity.pk] = report
    return sent


def test_search_bulk_approval_and_an_approval_with_a_comment(
    page, hospital, clinic_in_mazovia, sent_reports, wanda, log_in, mailbox
):
    log_in(page, "wanda")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Sprawozdania do weryfikacji"
    ).click()
    expect(page.locator("tbody tr")).to_have_count(2)

    # Found by REGON: one row; then approved with the others the filters choose.
    page.get_by_label("Szukaj").fill(hospital.regon)
    page.get_by_role("button", name="Pokaż").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text(hospital.name)
    page.get_by_role("button", name="Zatwierdź wszystkie bez ostrzeżeń (1)").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Wybrane filtrami wysłane sprawozdania bez ostrzeżeń: 1."
    )
    page.get_by_role("button", name="Zatwierdź (1)").click()
    expect(page.get_by_role("status")).to_contain_text("Zatwierdzono sprawozdań: 1")
    approved = mailbox.wait_for("zatwierdzone", to="alice@example.org")
    assert "ANKIETA-CYBER" in approved["Subject"]
    assert Report.objects.get(pk=sent_reports[hospital.pk].pk).status == Status.APPROVED
    assert Report.objects.get(pk=sent_reports[clinic_in_mazovia.pk].pk).status == Status.SENT

    # The other one: opened from the queue, approved with a comment after the confirmation.
    page.get_by_role("link", name="Sprawozdania do weryfikacji").first.click()
    row = page.get_by_role("row").filter(has_text=clinic_in_mazovia.name)
    row.get_by_role("link", name=re.compile("^Weryfikuj")).click()
    page.get_by_label("Komentarz do zatwierdzenia (nieobowiązkowy)").fill("Dziękujemy.")
    page.get_by_role("button", name="Zatwierdź", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Czy zatwierdzić sprawozdanie ANKIETA-CYBER")
    page.get_by_role("button", name="Zatwierdź", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("zatwierdzono")
    message = mailbox.wait_for("zatwierdzone", to="zofia@example.org")
    assert "Dziękujemy." in text_of(message)
    assert Report.objects.get(pk=sent_reports[clinic_in_mazovia.pk].pk).status == Status.APPROVED


def test_a_two_level_approval(
    page, browser, live_server, hospital, sent_reports, wanda, celina, log_in
):
    from browser import WAIT_FOR_STATE_MS

    report = sent_reports[hospital.pk]
    # The central administrator asks for her acceptance of this publication's reports.
    log_in(page, "celina")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Publikacja formularzy"
    ).click()
    page.get_by_role("button", name=re.compile("^Wymagaj akceptacji")).click()
    expect(page.get_by_role("status")).to_contain_text("akceptuje administrator centralny")

    # The office approves.
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    try:
        office = context.new_page()
        office.set_default_timeout(WAIT_FOR_STATE_MS)
        log_in(office, "wanda")
        office.goto(f"/administracja/sprawozdania/{report.pk}/")
        office.get_by_role("button", name="Zatwierdź", exact=True).click()
        office.get_by_role("button", name="Zatwierdź", exact=True).click()
        expect(office.get_by_role("status")).to_contain_text("zatwierdzono")
        office.goto(f"/administracja/sprawozdania/{report.pk}/")
        expect(office.get_by_role("main")).to_contain_text("zatwierdzone, czeka na akceptację")
        expect(office.get_by_role("button", name="Akceptuj")).to_have_count(0)
    finally:
        context.close()

    # The central administrator accepts it from the tab „do akceptacji”.
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Sprawozdania do weryfikacji"
    ).click()
    page.get_by_role("navigation", name="Stan sprawozdań").get_by_role(
        "link", name=re.compile("^do akceptacji")
    ).click()
    row = page.get_by_role("row").filter(has_text=hospital.name)
    row.get_by_role("link", name=re.compile("^Podgląd")).click()
    page.get_by_role("button", name="Akceptuj").click()
    expect(page.get_by_role("status")).to_contain_text("zaakceptowano")
    report.refresh_from_db()
    assert report.accepted_at is not None
    assert Report.objects.final().filter(pk=report.pk).exists()
