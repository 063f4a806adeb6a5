"""The cybersecurity survey's results in a browser: the central administrator finds the hospital
and sees its radar against its peers, with the table behind it; the hospital's clerk, once her
survey is approved, sees the same radar and what the next level of her three weakest areas
would take."""

import re

import cast
import pytest
from e2e.test_accessibility import assert_accessible
from playwright.sync_api import expect
from results.conftest import answer_survey, silesian_clinic
from results.test_survey_results import HOSPITAL, rated

from ssoz.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved_surveys(publish_survey, hospital, alice, celina):
    """The hospital's survey and three Silesian clinics' of its size, at 2, 3 and 4, approved."""
    cast.make_office("24", name="Śląski Urząd Wojewódzki w Katowicach", city="Katowice")
    wanda = cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14")
    olaf = cast.make_user("olaf", role=Role.REGIONAL_ADMIN, voivodeship="24")
    clinics = [silesian_clinic(n) for n in range(3)]
    publication = publish_survey(hospital, *clinics)
    report = answer_survey(publication, hospital, alice, HOSPITAL, reviewer=wanda)
    for clinic, level in zip(clinics, "234", strict=True):
        clerk = cast.make_user(f"clerk{clinic.pk}", entity=clinic)
        answer_survey(publication, clinic, clerk, rated(level), reviewer=olaf)
    return report


def expect_radar_and_its_table(page) -> None:
    expect(page.locator('svg[aria-labelledby="maturity-radar-title"]')).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Obszary podmiotu i średnia grupy"))
    awareness = table.get_by_role("row", name=re.compile("Obszar 10."))
    expect(awareness).to_contain_text("1,00")
    expect(awareness).to_contain_text("3,00")


def test_the_central_administrator_sees_the_hospital_against_its_peers(
    page, approved_surveys, log_in, screenshot
):
    log_in(page, "celina")
    page.get_by_role("link", name="Kompletność sprawozdań", exact=True).click()
    page.get_by_role("link", name="ANKIETA-CYBER 2023").click()
    page.get_by_role("navigation", name="Kompletność sprawozdań").get_by_role(
        "link", name="Wyniki ankiety"
    ).click()
    distribution = page.get_by_role("table", name="Liczba podmiotów na każdym poziomie")
    expect(distribution.get_by_role("row", name=re.compile("Obszar 10."))).to_be_visible()
    page.get_by_label("Podmiot: nazwa lub REGON").fill("Bródnowski")
    page.get_by_role("button", name="Pokaż").click()
    page.get_by_role("link", name="Szpital Bródnowski SPZOZ").click()
    expect(page.get_by_role("heading", name="Szpital Bródnowski SPZOZ")).to_be_visible()
    expect_radar_and_its_table(page)
    expect(page.get_by_role("note").filter(has_text="Krytyczne zera")).to_contain_text(
        "Kopie zapasowe systemów kluczowych"
    )
    assert_accessible(page, "survey results with an entity's radar")
    screenshot(page, "survey-results-admin")


def test_the_clerk_of_an_approved_survey_sees_what_the_next_level_would_take(
    page, approved_surveys, log_in, screenshot
):
    log_in(page, "alice")
    page.goto(f"/sprawozdania/{approved_surveys.pk}/")
    page.get_by_role("link", name="Wyniki ankiety na tle podobnych podmiotów").click()
    expect_radar_and_its_table(page)
    expect(
        page.get_by_text(re.compile(r"^Grupa porównawcza – .*\(250 i więcej komputerów\): 3\.$"))
    ).to_be_visible()
    lagging = page.locator("ol.lagging > li")
    expect(lagging).to_have_count(3)
    expect(lagging.nth(0).get_by_role("heading")).to_have_text("Obszar 10. Świadomość i szkolenia")
    expect(lagging.nth(0)).to_contain_text(
        "następny poziom 2: 2 – Powtarzalny: stosowane regularnie, ale nieopisane w dokumentach"
    )
    expect(lagging.nth(1).get_by_role("heading")).to_have_text(
        "Obszar 7. Monitorowanie i wykrywanie"
    )
    expect(lagging.nth(1)).to_contain_text("następny poziom 3: 3 – Zdefiniowany")
    expect(lagging.nth(2).get_by_role("heading")).to_have_text(
        "Obszar 6. Kopie zapasowe i ciągłość działania"
    )
    expect(lagging.nth(2)).to_contain_text(
        "W tym pytaniu: czas odtworzenia jest mierzony i porównywany z założonym"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz dane wykresu jako CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert_accessible(page, "the reporter's survey results")
    screenshot(page, "survey-results-reporter")
