"""A regional administrator opens a form's results: across the country a voivodeship where
one entity reports is hidden under statistical confidentiality, and her own voivodeship she
sees in full."""

import datetime
import re

import cast
import openpyxl
import pytest
from playwright.sync_api import expect
from reports.conftest import SURVEY

from ssoz.accounts.models import Role
from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved_survey():
    survey = load_definition(SURVEY, filename="test-1.yaml").form_version
    cast.make_office("14")
    cast.make_office("24", name="Śląski Urząd Wojewódzki w Katowicach", city="Katowice")
    wanda = cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14")
    olaf = cast.make_user("olaf", role=Role.REGIONAL_ADMIN, voivodeship="24")
    hospital = cast.make_entity()
    clinics = [
        cast.make_entity(name=f"Przychodnia Śląska {n}", teryt="2469011", city="Katowice")
        for n in range(3)
    ]
    publication = publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.all(),
        actor=None,
    )
    for entity, value, reviewer in [(hospital, 12, wanda)] + [
        (clinic, value, olaf) for clinic, value in zip(clinics, (4, 6, 8), strict=True)
    ]:
        clerk = cast.make_user(f"clerk{entity.pk}", entity=entity)
        obligation = publication.obligations.get(entity=entity)
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        workflow.save_report(
            report=report,
            actor=clerk,
            changes={"A_TEAM": "nie", "D1.W01.K2": str(value), "D1.W01.K3": "0"},
            base_revision=None,
        )
        workflow.send_report(report=report, actor=clerk)
        workflow.approve_report(report=report, actor=reviewer)
    return publication


def test_a_hidden_cell_across_the_country_and_her_voivodeship_in_full(
    page, approved_survey, log_in, screenshot
):
    log_in(page, "wanda")
    page.get_by_role("link", name="Kompletność sprawozdań", exact=True).click()
    page.get_by_role("link", name="TEST-1 2023").click()
    page.get_by_role("navigation", name="Kompletność sprawozdań").get_by_role(
        "link", name="Wyniki"
    ).click()
    page.get_by_label("Pozycja formularza").select_option("D1.W01.K2")
    page.get_by_label("Zakres").select_option(label="cały kraj (z tajemnicą statystyczną)")
    page.get_by_role("button", name="Pokaż").click()
    table = page.get_by_role("table", name=re.compile("według: województwo"))
    expect(table.get_by_role("row", name=re.compile("mazowieckie"))).to_contain_text(
        "ukryte: tajemnica statystyczna"
    )
    expect(page.get_by_text(re.compile("dane ukryte ze względu na tajemnicę"))).to_be_visible()
    screenshot(page, "results-suppressed")
    # Voivodeship by entity type: the same hospital's cell hidden in the two-way table.
    page.get_by_label("Kolumny według (nieobowiązkowe)").select_option(label="typ jednostki")
    page.get_by_role("button", name="Pokaż").click()
    grid = page.get_by_role("table", name=re.compile("wiersze: województwo, kolumny"))
    expect(grid.get_by_role("row", name=re.compile("mazowieckie"))).to_contain_text(
        "ukryte: tajemnica statystyczna"
    )
    page.get_by_label("Kolumny według (nieobowiązkowe)").select_option(label="bez podziału")
    page.get_by_label("Zakres").select_option(label="mazowieckie")
    page.get_by_role("button", name="Pokaż").click()
    row = page.get_by_role("table", name=re.compile("według")).get_by_role(
        "row", name=re.compile("Razem")
    )
    expect(row).to_contain_text("12")
    expect(row).not_to_contain_text("ukryte")


def test_the_central_administrator_downloads_the_data_as_xlsx_and_it_matches_the_reports(
    page, approved_survey, celina, log_in, tmp_path
):
    """„Eksport danych”: the worker writes the file while its page shows the progress; once
    it is ready, the page offers it, and the file opened with openpyxl holds the reports."""
    log_in(page, "celina")
    page.get_by_role("link", name="Kompletność sprawozdań", exact=True).click()
    page.get_by_role("link", name="TEST-1 2023").click()
    page.get_by_role("navigation", name="Kompletność sprawozdań").get_by_role(
        "link", name="Eksport danych"
    ).click()
    page.get_by_role("group", name="Format pliku").get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Zleć eksport").click()
    expect(
        page.get_by_role("heading", name=re.compile("Eksport danych: TEST-1, 2023"))
    ).to_be_visible()
    download_link = page.get_by_role("link", name="Pobierz plik")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        download_link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    codes, labels, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert labels[codes.index("D1.W01.K2")].startswith("Lekarze")
    sent = {
        report.obligation.entity.regon: int(report.values["D1.W01.K2"])
        for report in Report.objects.select_related("obligation__entity")
    }
    found = {row[codes.index("regon")]: row[codes.index("D1.W01.K2")] for row in rows}
    assert found == sent
