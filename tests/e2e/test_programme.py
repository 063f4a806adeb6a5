"""The central administrator moves a deadline of the programme, and the clerk's home page and
list show the new one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moved_deadline_reaches_the_clerks_lists(page, hospital, alice, publish_survey, log_in):
    publish_survey(hospital, year=2023)  # due on 31.03.2024
    log_in(page, "celina")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Publikacja formularzy"
    ).click()
    page.get_by_role("link", name=re.compile("^Zmień termin")).click()
    expect(page.get_by_role("main")).to_contain_text("Obecny termin: 31.03.2024.")
    page.get_by_label("Termin przekazania").fill("2024-04-10")
    page.get_by_role("button", name="Zmień termin").click()
    expect(page.get_by_role("status")).to_contain_text("termin przekazania to teraz 10.04.2024")
    page.get_by_role("button", name="Wyloguj się").click()

    log_in(page, "alice")
    due = page.get_by_role("region", name=re.compile("Formularze do aktywowania"))
    expect(due.get_by_role("row").filter(has_text="ANKIETA-CYBER")).to_contain_text("10.04.2024")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="sprawozdania jednorazowe"
    ).click()
    page.get_by_label("Rok").select_option("2023")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("row").filter(has_text="ANKIETA-CYBER")).to_contain_text("10.04.2024")
