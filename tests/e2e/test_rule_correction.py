"""The central administrator corrects a rule of a survey already in use: the reports are
checked again by a job whose page lists those that changed state, and their clerks are told."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ssoz.reports import workflow

pytestmark = pytest.mark.django_db(transaction=True)

CYBER_SURVEY = Path(__file__).resolve().parents[2] / "definitions" / "ankieta-cyber" / "2023.yaml"
RULE = 'expression: "if A1_Q2 then A1_Q3 > 0"'
STRICTER = 'expression: "A0_Q5 <= 100"'


def test_a_corrected_rule_rechecks_the_reports(
    page, hospital, alice, publish_survey, prefill_report, log_in, mailbox, tmp_path
):
    publication = publish_survey(hospital)
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(), actor=alice, collective=True
    )
    prefill_report(report, alice, values={"A0_Q5": "120"})
    source = CYBER_SURVEY.read_text(encoding="utf-8")
    assert source.count(RULE) == 1
    corrected = tmp_path / "2023.yaml"
    corrected.write_text(source.replace(RULE, STRICTER), encoding="utf-8")

    log_in(page, "celina")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Definicje formularzy"
    ).click()
    page.get_by_label("Plik definicji (YAML lub XLSX)").set_input_files(str(corrected))
    page.get_by_label("Po poprawce reguł wersji już używanej powiadom").check()
    page.get_by_role("button", name="Wczytaj").click()
    page.wait_for_url("**/zadania/*/")
    status = page.get_by_role("status").filter(has_text="Sprawdzono sprawozdań")
    expect(status).to_contain_text("zmieniło stan: 1; powiadomiono sprawozdawców: 1")
    changed = page.get_by_role("table", name="Sprawozdania, które zmieniły stan po poprawce reguł")
    expect(changed).to_contain_text(hospital.name)
    expect(changed).to_contain_text("A1-FTE")
    message = mailbox.wait_for("poprawiono reguły formularza ANKIETA-CYBER", to="alice@")
    assert "błędy: 1" in message.get_body(preferencelist=("plain",)).get_content()
