"""A regional administrator before the deadline: she opens the completeness of a form, sees
who has not sent, sends them a reminder, follows the job to its end, and the reminder
arrives by mail."""

import cast
import pytest
from playwright.sync_api import expect

from ssoz.accounts.models import Role
from ssoz.reports import workflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(publish_survey):
    cast.make_office("14")
    hospital = cast.make_entity(units=1)
    practice = cast.make_entity(name="Gabinet Lekarski Zdrowie", email="gabinet@example.org")
    clinic = cast.make_entity(name="Przychodnia Śląska", teryt="2469011", city="Katowice")
    alice = cast.make_user("alice", entity=hospital)
    cast.make_user("charlie", entity=clinic)
    cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14")
    publication = publish_survey(hospital, practice, clinic)
    workflow.create_reports(
        obligation=publication.obligations.get(entity=hospital), actor=alice, collective=True
    )
    return {"publication": publication, "hospital": hospital, "practice": practice}


def test_a_regional_administrator_reminds_those_who_have_not_sent(
    page, world, log_in, mailbox, screenshot
):
    log_in(page, "wanda")
    page.get_by_role("link", name="Kompletność sprawozdań", exact=True).click()
    page.get_by_role("link", name="ANKIETA-CYBER 2023").click()
    counts = page.get_by_role("table", name="Podmioty według stanu sprawozdania")
    expect(counts).to_contain_text("W trakcie wypełniania")
    expect(page.get_by_role("img", name="Podmioty według stanu sprawozdania")).to_be_visible()
    screenshot(page, "completeness")
    page.get_by_role("link", name="Podmioty, które nie wysłały sprawozdania (2)").click()
    listed = page.get_by_role("table", name="Podmioty, które nie wysłały sprawozdania")
    expect(listed).to_contain_text(world["hospital"].name)
    expect(listed).to_contain_text("alice@example.org")
    expect(listed).to_contain_text("gabinet@example.org")
    expect(listed).not_to_contain_text("Przychodnia Śląska")
    screenshot(page, "completeness-not-reported")
    page.get_by_role("link", name="Wyślij przypomnienie").first.click()
    page.get_by_role("button", name="Wyślij przypomnienie do podmiotów: 2").click()
    page.wait_for_url("**/zadania/*/")
    expect(page.get_by_role("status")).to_contain_text("Zakończone")
    expect(page.get_by_role("status")).to_contain_text("Wysłano przypomnienia do podmiotów: 2")
    message = mailbox.wait_for("przypomnienie o sprawozdaniu ANKIETA-CYBER", to="alice@")
    assert world["hospital"].name in message.get_body(preferencelist=("plain",)).get_content()
    mailbox.wait_for("przypomnienie o sprawozdaniu ANKIETA-CYBER", to="gabinet@example.org")
    assert not any("charlie@" in envelope_to for m in mailbox.messages for envelope_to in [m["To"]])


def test_a_paper_report_typed_in_by_the_regional_administrator(
    page, world, log_in, answer_required_questions, wait_until_saved
):
    from ssoz.reports.models import Report, ReportEvent, Status

    log_in(page, "wanda")
    page.goto(f"/administracja/publikacje/{world['publication'].pk}/kompletnosc/niewyslane/")
    page.get_by_role(
        "button", name=f"Wprowadź sprawozdanie papierowe – {world['practice'].name}"
    ).click()
    expect(page.locator(".messages").get_by_role("status")).to_contain_text(
        "Utworzono sprawozdanie papierowe"
    )
    expect(page.get_by_role("note").filter(has_text="Sprawozdanie papierowe")).to_be_visible()
    answer_required_questions(page)
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    expect(page.locator("#verification")).to_contain_text("Nie znaleziono błędów ani ostrzeżeń.")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    page.wait_for_url("**/wyslij/")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    expect(page.locator(".messages").get_by_role("status")).to_contain_text(
        "Sprawozdanie wysłano do weryfikacji"
    )
    report = Report.objects.get(obligation__entity=world["practice"])
    assert report.on_paper and report.status == Status.SENT
    assert report.events.get(kind=ReportEvent.Kind.PAPER).user.username == "wanda"
    assert report.versions.get().sent_by.username == "wanda"
