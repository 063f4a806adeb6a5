"""The cards of MZ/Szp-11B through the API: the same services and access rule as the pages,
and the same masking of PESEL for every reader but the card accounts and the central
administrator."""

import pytest
from reports.conftest import CARD

from ssoz.reports import records, workflow
from ssoz.reports.models import Record


def test_a_hospital_system_adds_a_card_with_a_wrong_pesel_and_is_told_why(
    api_as, piotr, card_report
):
    api = api_as(piotr)
    response = api.post(f"/reports/{card_report.pk}/records", {"values": {**CARD, "PESEL": "1"}})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1 and body["errors"] == 1
    assert body["values"]["PESEL"] == "1"  # kept as typed
    assert "poprawny numer PESEL" in body["check"]["problems"]["PESEL"][0]

    response = api.put(f"/reports/{card_report.pk}/records/1", {"values": CARD})
    assert response.status_code == 200
    assert response.json()["errors"] == 0
    assert api.delete(f"/reports/{card_report.pk}/records/1").status_code == 204
    assert not Record.objects.filter(report=card_report).exists()


def test_a_regional_administrator_reads_the_cards_with_their_pesel_masked(
    api_as, piotr, wanda, celina, card_report
):
    records.add_record(report=card_report, actor=piotr, values=CARD)
    listed = api_as(wanda).get(f"/reports/{card_report.pk}/records").json()
    assert listed["masked"] is True
    assert listed["items"][0]["values"]["PESEL"] == "•••••••1359"
    one = api_as(wanda).get(f"/reports/{card_report.pk}/records/1").json()
    assert "44051401359" not in str(one)
    assert (
        api_as(celina)
        .get(f"/reports/{card_report.pk}/records")
        .json()["items"][0]["values"]["PESEL"]
        == CARD["PESEL"]
    )
    assert api_as(piotr).get(f"/reports/{card_report.pk}/records").json()["masked"] is False


def test_a_month_of_500_cards_is_uploaded_through_the_api_and_sent(api_as, piotr, card_report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ssoz.reports.synthetic_cards import cards_csv

    api = api_as(piotr)
    upload = SimpleUploadedFile("pazdziernik.csv", cards_csv(500), content_type="text/csv")
    preview = api.client.post(
        f"/api/v1/reports/{card_report.pk}/records/upload",
        {"file": upload},
        headers=api._headers(None),
    ).json()
    assert (preview["records"], preview["with_errors"]) == (500, 0)
    applied = api.post(f"/reports/{card_report.pk}/records/upload/{preview['key']}/apply")
    assert applied.json() == {"records": 500}
    api.patch(f"/reports/{card_report.pk}/values", {"values": {"D0_DISCHARGED": 500}})
    assert api.post(f"/reports/{card_report.pk}/verify").json()["sendable"] is True
    sent = api.post(f"/reports/{card_report.pk}/send")
    assert sent.status_code == 201
    card_report.refresh_from_db()
    assert len(card_report.versions.get().records) == 500


@pytest.mark.parametrize("path", ["/records", "/records/1"])
def test_a_report_without_cards_has_no_records_to_read(api_as, alice, report, path):
    response = api_as(alice).get(f"/reports/{report.pk}{path}")
    assert response.status_code == 404
    assert response.json()["error"]


def test_cards_of_a_sent_report_cannot_be_added_through_the_api(api_as, piotr, card_report):
    workflow.send_zero_report(report=card_report, actor=piotr)
    response = api_as(piotr).post(f"/reports/{card_report.pk}/records", {"values": CARD})
    assert response.status_code == 409
