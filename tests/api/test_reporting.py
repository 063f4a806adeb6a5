"""A hospital's system fills and sends its reports through the API, on the same verbs, rules
and access rule as the pages."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ssoz.reports.models import Report, ReportEvent, Status

FILLED = {
    "A_TEAM": True,
    "A_SIZE": 4,
    "D1.W01.K2": 10,
    "D1.W01.K3": 2,
    "D1.W01.K4": 7,
    "D1.W02.K2": 30,
    "D1.W02.K3": 0,
    "D1.W02.K4": 25,
}


def test_a_hospitals_system_fills_verifies_and_sends_its_report(api_as, alice, obligation):
    his = api_as(alice)

    listed = his.get("/obligations").json()
    assert [item["id"] for item in listed["items"]] == [obligation.pk]
    assert listed["items"][0]["form"] == "TEST-1" and listed["items"][0]["reports"] == []

    created = his.post(f"/obligations/{obligation.pk}/reports", {"collective": True})
    assert created.status_code == 201, created.content
    (report,) = created.json()
    assert report["status"] == "draft" and report["unit"] is None

    saved = his.patch(f"/reports/{report['id']}/values", {"revision": 0, "values": FILLED})
    assert saved.status_code == 200, saved.content
    answer = saved.json()
    assert answer["ok"] and answer["revision"] == 1
    assert answer["check"]["values"]["D1.W01.K1"] == "12"  # the total, computed

    verified = his.post(f"/reports/{report['id']}/verify")
    assert verified.status_code == 200 and verified.json()["sendable"] is True

    sent = his.post(f"/reports/{report['id']}/send")
    assert sent.status_code == 201, sent.content
    version = sent.json()["version"]
    assert sent.json()["report"]["status"] == Status.SENT and version["number"] == 1

    pdf = his.get(version["pdf"].removeprefix("/api/v1"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ankieta testowa" in text and version["checksum"][:16] in text.replace("\n", "")

    stored = his.get(f"/reports/{report['id']}").json()
    # Kept as the form reads it once sent (docs/form-format.md, „stored”).
    assert stored["values"]["D1.W01.K2"] == "10" and stored["versions"][0]["number"] == 1


def test_every_change_through_the_api_names_its_token_in_the_audit_trail(api_as, alice, report):
    his = api_as(alice)
    his.patch(f"/reports/{report.pk}/values", {"values": FILLED})
    his.post(f"/reports/{report.pk}/verify")
    his.post(f"/reports/{report.pk}/send")
    events = ReportEvent.objects.filter(report=report).exclude(kind=ReportEvent.Kind.CREATED)
    assert {event.kind for event in events} == {"saved", "verified", "sent"}
    token = alice.api_tokens.get()
    assert all(event.api_token_id == token.pk and event.user == alice for event in events)


def test_a_bulk_write_reads_the_token_and_the_locked_report_and_writes_them(api_as, alice, report):
    """The token and its owner (each read with a query compiled once), its use counted, the
    report locked through the access rule, and the report with its audit row and replaced
    values (one statement on PostgreSQL): as the page's background save, with the token and
    its owner in place of the session and the user, and no read of the report before its
    lock."""
    his = api_as(alice)
    his.patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 1}})  # a minute's first use
    with CaptureQueriesContext(connection) as captured:
        written = his.patch(f"/reports/{report.pk}/values", {"values": FILLED})
    assert written.status_code == 200, written.content
    sql = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
    writes = 1 if connection.vendor == "postgresql" else 3
    assert len(sql) == 4 + writes, "\n".join(query[:150] for query in sql)
    assert sum(query.startswith("SELECT") for query in sql) == 3
    locks = 1 if connection.vendor == "postgresql" else 0  # SQLite locks the whole database
    assert sum("FOR UPDATE" in query for query in sql) == locks
    report.refresh_from_db()
    assert report.values["D1.W02.K4"] == "25" and report.revision == 2


def test_a_value_changed_by_somebody_else_since_is_answered_as_a_conflict(
    api_as, alice, bob, report
):
    his = api_as(alice)
    api_as(bob).patch(f"/reports/{report.pk}/values", {"revision": 0, "values": {"A_SIZE": 5}})
    late = his.patch(f"/reports/{report.pk}/values", {"revision": 0, "values": {"A_SIZE": 6}})
    assert late.status_code == 409
    assert late.json()["conflicts"]["A_SIZE"]["theirs"] == "5"
    report.refresh_from_db()
    assert report.values["A_SIZE"] == "5"


def test_a_value_that_cannot_be_stored_is_refused_with_its_field(api_as, alice, report):
    refused = api_as(alice).patch(
        f"/reports/{report.pk}/values", {"values": {"A_NOTE": "x" * 20_001, "A_SIZE": 3}}
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["error"] == "refused" and body["field"] == "A_NOTE"
    assert body["message_pl"] and body["message_en"]


def test_sending_with_errors_is_refused_as_on_the_page(api_as, alice, report):
    his = api_as(alice)
    his.patch(f"/reports/{report.pk}/values", {"values": {"A_TEAM": True}})
    refused = his.post(f"/reports/{report.pk}/send")
    assert refused.status_code == 409
    assert "błędy" in refused.json()["message_pl"]
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_reports_are_created_for_chosen_units_only_of_the_entity(
    api_as, alice, hospital, clinic, obligation
):
    his = api_as(alice)
    units = list(hospital.units.order_by("unit_code").values_list("pk", flat=True))
    created = his.post(
        f"/obligations/{obligation.pk}/reports", {"collective": False, "units": units[:2]}
    )
    assert created.status_code == 201
    assert [item["unit"]["code"] for item in created.json()] == ["001", "002"]
    stranger = cast_unit(clinic)
    refused = his.post(
        f"/obligations/{obligation.pk}/reports", {"collective": False, "units": [stranger]}
    )
    assert refused.status_code == 400 and refused.json()["field"] == "units"
    assert Report.objects.filter(obligation=obligation).count() == 2


def cast_unit(entity) -> int:
    from ssoz.registry.models import OrganisationalUnit

    return OrganisationalUnit.objects.create(
        entity=entity, name="Poradnia", regon14="", unit_code="900", activity_code="1"
    ).pk


def test_lists_are_paginated_and_filtered(api_as, alice, hospital, obligation):
    his = api_as(alice)
    units = list(hospital.units.values_list("pk", flat=True))
    his.post(f"/obligations/{obligation.pk}/reports", {"collective": False, "units": units})
    first = his.get("/reports", limit=2).json()
    second = his.get("/reports", limit=2, offset=2).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 1
    assert his.get("/reports", status="sent").json()["count"] == 0
    assert his.get("/reports", limit=501).status_code == 422
    assert his.get("/reports", offset=10**30).status_code == 422


def test_a_zero_report_is_sent_through_the_api_only_for_a_form_that_allows_it(
    api_as, alice, report
):
    refused = api_as(alice).post(f"/reports/{report.pk}/send-zero")
    assert refused.status_code == 409
    assert "zerowego" in refused.json()["message_pl"]


def test_a_form_definition_is_given_to_those_who_see_a_publication_of_it(
    api_as, alice, anna, survey, publication
):
    definition = api_as(alice).get(f"/forms/{survey.pk}")
    assert definition.status_code == 200
    assert definition.json()["definition"]["code"] == "TEST-1"
    assert api_as(alice).get("/forms/999999").status_code == 404


def test_a_system_pulls_only_the_reports_changed_since_its_last_pull(api_as, alice, wanda, report):
    from django.utils import timezone

    his = api_as(alice)
    his.patch(f"/reports/{report.pk}/values", {"values": FILLED})
    his.post(f"/reports/{report.pk}/send")
    pulled_at = timezone.now()
    assert his.get("/reports", changed_since=pulled_at.isoformat()).json()["count"] == 0
    # Approval leaves its time in the audit trail only: it is found all the same.
    api_as(wanda).post(f"/reports/{report.pk}/approve")
    changed = his.get("/reports", changed_since=pulled_at.isoformat()).json()
    assert [item["id"] for item in changed["items"]] == [report.pk]
    assert changed["items"][0]["status"] == "approved"
