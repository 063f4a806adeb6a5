"""A voivodeship office's system reviews reports, follows completeness and takes exports
through the API, on the same selectors, verbs and access rule as the administrators' pages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ssoz.api.models import ApiToken
from ssoz.exports.models import Export
from ssoz.publications.services import exempt_obligation
from ssoz.reports import workflow
from ssoz.reports.models import Report, ReportEvent, Status

CLEAN = {"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1"}
# Over 100 physicians: rule R1's warning, explained.
WARNED = {"A_TEAM": "nie", "D1.W01.K2": "150", "D1.W01.K3": "0"}


def sent(publication, entity, reporter, changes=CLEAN) -> Report:
    """The entity's collective report, filled in and sent by its reporter."""
    obligation = publication.obligations.get(entity=entity)
    (report,) = workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
    workflow.save_report(
        report=report,
        actor=reporter,
        changes=changes,
        base_revision=None,
        explanations={"R1": "Szpital kliniczny."} if changes is WARNED else None,
    )
    workflow.send_report(report=report, actor=reporter)
    report.refresh_from_db()
    return report


def ids(answer) -> list[int]:
    return [item["id"] for item in answer.json()["items"]]


def test_a_regional_office_reviews_only_its_voivodeships_reports(
    api_as, publication, hospital, clinic, alice, charlie, wanda, olaf, celina
):
    mazovian = sent(publication, hospital, alice, WARNED)
    silesian = sent(publication, clinic, charlie)

    queue = api_as(wanda).get("/review")
    assert queue.status_code == 200, queue.content
    (item,) = queue.json()["items"]
    assert item["id"] == mazovian.pk and item["status"] == Status.SENT
    assert item["entity"] == {
        "id": hospital.pk,
        "regon": hospital.regon,
        "name": hospital.name,
        "voivodeship": "14",
    }
    assert item["warning_count"] == 1 and item["sent_at"] and item["form"] == "TEST-1"
    assert queue.json()["counts"] == {"sent": 1, "returned": 0, "approved": 0}

    assert ids(api_as(olaf).get("/review")) == [silesian.pk]
    # As on the page, the voivodeship is the central administrator's choice only.
    assert ids(api_as(wanda).get("/review", voivodeship="24")) == [mazovian.pk]
    assert ids(api_as(celina).get("/review")) == [mazovian.pk, silesian.pk]  # the oldest first
    assert ids(api_as(celina).get("/review", voivodeship="24")) == [silesian.pk]


def test_the_queue_is_filtered_and_paged_as_the_page_filters_it(
    api_as, publication, hospital, clinic, alice, charlie, celina
):
    warned = sent(publication, hospital, alice, WARNED)
    clean = sent(publication, clinic, charlie)
    his = api_as(celina)

    assert ids(his.get("/review", with_warnings="true")) == [warned.pk]
    assert ids(his.get("/review", with_warnings="false")) == [clean.pk]
    assert ids(his.get("/review", search=clinic.regon)) == [clean.pk]
    assert ids(his.get("/review", search="Przychodnia")) == [clean.pk]
    assert ids(his.get("/review", form="TEST-1", year=2023)) == [warned.pk, clean.pk]
    assert ids(his.get("/review", form="NO-SUCH")) == []
    assert ids(his.get("/review", year=2024)) == []
    assert ids(his.get("/review", sort="entity")) == sorted(
        [warned.pk, clean.pk], key=lambda pk: Report.objects.get(pk=pk).obligation.entity.name
    )
    page = his.get("/review", limit=1, offset=1).json()
    assert page["count"] == 2 and [item["id"] for item in page["items"]] == [clean.pk]
    assert his.get("/review", limit=501).status_code == 422
    assert his.get("/review", state="draft").status_code == 422

    workflow.approve_report(report=clean, actor=celina)
    approved = his.get("/review", state="approved").json()
    assert [item["id"] for item in approved["items"]] == [clean.pk]
    assert approved["counts"] == {"sent": 1, "returned": 0, "approved": 1}


def test_reporters_are_refused_what_only_administrators_do(
    api_as, publication, hospital, alice, charlie
):
    report = sent(publication, hospital, alice)
    for his in (api_as(alice), api_as(charlie)):
        assert his.get("/review").status_code == 403
        assert his.get("/completeness", publication=publication.pk).status_code == 403
        assert his.post(f"/reports/{report.pk}/approve").status_code == 403
        refused = his.post(f"/reports/{report.pk}/return", {"comment": "Popraw."})
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
        assert his.post("/exports", {"publication": publication.pk}).status_code == 403
    report.refresh_from_db()
    assert report.status == Status.SENT and not Export.objects.exists()


def test_an_office_approves_a_report_and_the_trail_names_its_token(
    api_as, publication, hospital, alice, wanda
):
    report = sent(publication, hospital, alice)
    approved = api_as(wanda).post(f"/reports/{report.pk}/approve", {"comment": "Dziękujemy."})
    assert approved.status_code == 200, approved.content
    assert approved.json()["id"] == report.pk and approved.json()["status"] == Status.APPROVED
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.APPROVED)
    assert event.user == wanda and event.comment == "Dziękujemy."
    assert event.api_token == wanda.api_tokens.get()


def test_an_approval_needs_no_body(api_as, publication, hospital, alice, wanda, client):
    report = sent(publication, hospital, alice)
    secret = api_as(wanda).secret
    approved = client.post(
        f"/api/v1/reports/{report.pk}/approve",
        b"",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == Status.APPROVED


def test_an_office_cannot_decide_on_another_voivodeships_report(
    api_as, publication, hospital, alice, olaf
):
    report = sent(publication, hospital, alice)
    his = api_as(olaf)
    assert his.post(f"/reports/{report.pk}/approve").status_code == 404
    refused = his.post(f"/reports/{report.pk}/return", {"comment": "Popraw."})
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    report.refresh_from_db()
    assert report.status == Status.SENT


def test_a_report_not_waiting_for_a_decision_is_refused(
    api_as, publication, hospital, alice, wanda, report
):
    his = api_as(wanda)
    draft = his.post(f"/reports/{report.pk}/approve")
    assert draft.status_code == 409 and draft.json()["message_en"]
    assert his.post(f"/reports/{report.pk}/return", {"comment": "Popraw."}).status_code == 409
    workflow.send_report(report=_filled(report, alice), actor=alice)
    assert his.post(f"/reports/{report.pk}/approve").status_code == 200
    again = his.post(f"/reports/{report.pk}/approve")
    assert again.status_code == 409 and again.json()["error"] == "refused"


def _filled(report: Report, reporter) -> Report:
    workflow.save_report(report=report, actor=reporter, changes=CLEAN, base_revision=None)
    return report


def test_a_retried_approval_with_the_same_key_approves_once(
    api_as, publication, hospital, alice, wanda
):
    report = sent(publication, hospital, alice)
    his = api_as(wanda)
    key = {"Idempotency-Key": "approve-1"}
    first = his.post(f"/reports/{report.pk}/approve", {"comment": "OK"}, headers=key)
    retry = his.post(f"/reports/{report.pk}/approve", {"comment": "OK"}, headers=key)
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.APPROVED).count() == 1
    # Without the key, the same request is a second approval, refused.
    assert his.post(f"/reports/{report.pk}/approve", {"comment": "OK"}).status_code == 409


def test_a_return_needs_its_comment_as_on_the_page(api_as, publication, hospital, alice, wanda):
    report = sent(publication, hospital, alice)
    his = api_as(wanda)
    for body in ({}, {"comment": ""}, {"comment": "   "}, {"comment": "x" * 5001}):
        refused = his.post(f"/reports/{report.pk}/return", body)
        assert refused.status_code == 422, (body, refused.content)
        assert refused.json()["field"] == "comment"
    report.refresh_from_db()
    assert report.status == Status.SENT

    returned = his.post(f"/reports/{report.pk}/return", {"comment": " Brak lekarzy. "})
    assert returned.status_code == 200 and returned.json()["status"] == Status.RETURNED
    report.refresh_from_db()
    assert report.return_comment == "Brak lekarzy."
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.RETURNED)
    assert event.api_token == wanda.api_tokens.get() and event.comment == "Brak lekarzy."


def test_a_read_token_cannot_approve_return_or_export(api_as, publication, hospital, alice, wanda):
    report = sent(publication, hospital, alice)
    reader = api_as(wanda, scope=ApiToken.Scope.READ)
    assert reader.get("/review").status_code == 200
    for path, body in (
        (f"/reports/{report.pk}/approve", {}),
        (f"/reports/{report.pk}/return", {"comment": "Popraw."}),
        ("/exports", {"publication": publication.pk}),
    ):
        refused = reader.post(path, body)
        assert refused.status_code == 403 and refused.json()["error"] == "read_only_token", path
    report.refresh_from_db()
    assert report.status == Status.SENT and not Export.objects.exists()


def test_a_regional_office_reads_its_voivodeships_completeness(
    api_as, publication, hospital, clinic, alice, wanda, olaf, celina
):
    report = sent(publication, hospital, alice)
    answer = api_as(wanda).get("/completeness", publication=publication.pk)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["voivodeship"] == "14" and body["count"] == 1
    (item,) = body["items"]
    assert item["entity"]["regon"] == hospital.regon and item["entity"]["voivodeship"] == "14"
    assert item["state"] == "sent" and item["activated"] and not item["exempted"]
    assert [(r["id"], r["status"]) for r in item["reports"]] == [(report.pk, "sent")]
    assert item["reports"][0]["sent_at"] and item["changed_at"]
    assert body["summary"]["counts"]["sent"] == 1 and body["summary"]["total"] == 1

    silesian = api_as(olaf).get("/completeness", publication=publication.pk).json()
    assert [item["entity"]["id"] for item in silesian["items"]] == [clinic.pk]
    assert silesian["items"][0]["state"] == "not_activated"
    assert silesian["items"][0]["changed_at"] is None and silesian["items"][0]["reports"] == []
    # Asking for another voivodeship does not widen a regional office's scope.
    asked = api_as(olaf).get("/completeness", publication=publication.pk, voivodeship="14")
    assert asked.json()["voivodeship"] == "24"

    country = api_as(celina).get("/completeness", publication=publication.pk).json()
    assert country["voivodeship"] is None and country["count"] == 2
    assert country["summary"]["counts"]["not_activated"] == 1
    chosen = api_as(celina).get("/completeness", publication=publication.pk, voivodeship="24")
    assert chosen.json()["count"] == 1

    assert api_as(wanda).get("/completeness", publication=10**9).status_code == 404
    assert api_as(wanda).get("/completeness").status_code == 422


def test_a_regional_office_pulls_only_what_changed_since_its_last_pull(
    api_as, publication, hospital, clinic, alice, celina, wanda
):
    mazovian = sent(publication, hospital, alice)
    his = api_as(celina)
    last_pull = timezone.now()

    unchanged = his.get("/completeness", publication=publication.pk, changed_since=last_pull)
    assert unchanged.status_code == 200 and unchanged.json()["items"] == []

    # A decision leaves no time on the report, only in its trail: it is found there.
    workflow.approve_report(report=mazovian, actor=wanda)
    changed = his.get(
        "/completeness", publication=publication.pk, changed_since=last_pull.isoformat()
    ).json()
    (item,) = changed["items"]
    assert item["entity"]["id"] == hospital.pk and item["state"] == "approved"
    assert datetime.datetime.fromisoformat(item["changed_at"]) > last_pull
    # The counts are the scope's, whatever changed.
    assert changed["summary"]["counts"]["approved"] == 1
    assert changed["summary"]["counts"]["not_activated"] == 1

    exempt_obligation(
        obligation=publication.obligations.get(entity=clinic),
        actor=celina,
        reason="Zakończył działalność.",
    )
    both = his.get("/completeness", publication=publication.pk, changed_since=last_pull).json()
    states = {item["entity"]["id"]: item["state"] for item in both["items"]}
    assert states == {hospital.pk: "approved", clinic.pk: "exempted"}
    assert both["summary"]["counts"]["exempted"] == 1


def test_verifying_a_report_is_no_change_to_pull(api_as, publication, hospital, alice, wanda):
    report = sent(publication, hospital, alice)
    workflow.return_report(report=report, actor=wanda, comment="Popraw.")
    last_pull = timezone.now()
    result = workflow.check_report(report, stage="verify")
    workflow.record_verification(report, alice, None, result)
    answer = api_as(wanda).get("/completeness", publication=publication.pk, changed_since=last_pull)
    assert answer.json()["items"] == []


def test_an_export_is_asked_for_followed_and_downloaded_by_whoever_asked(
    api_as, publication, hospital, alice, celina, wanda, django_capture_on_commit_callbacks
):
    workflow.approve_report(report=sent(publication, hospital, alice), actor=wanda)
    his = api_as(celina)
    with django_capture_on_commit_callbacks(execute=True):
        asked = his.post(
            "/exports", {"publication": publication.pk, "kind": "dane", "format": "csv"}
        )
    assert asked.status_code == 202, asked.content
    assert asked.json()["state"] == "queued" and asked.json()["file"] is None
    export = Export.objects.get()
    assert str(export.pk) == asked.json()["id"] and export.requested_by == celina

    followed = his.get(f"/exports/{export.pk}").json()
    assert followed["state"] == "succeeded" and followed["rows"] == 1
    assert followed["file"] == f"/api/v1/exports/{export.pk}/file"
    downloaded = his.get(followed["file"].removeprefix("/api/v1"))
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"].startswith("text/csv")
    assert hospital.regon in b"".join(downloaded.streaming_content).decode("utf-8")

    # Nobody else learns that it exists, on the page as here.
    other = api_as(wanda)
    assert other.get(f"/exports/{export.pk}").status_code == 404
    assert other.get(f"/exports/{export.pk}/file").status_code == 404


def test_an_export_file_is_not_there_while_written_nor_once_expired(api_as, publication, celina):
    his = api_as(celina)
    asked = his.post("/exports", {"publication": publication.pk, "format": "xlsx"})
    assert asked.status_code == 202
    export = Export.objects.get()
    assert his.get(f"/exports/{export.pk}/file").status_code == 404  # still queued

    Export.objects.filter(pk=export.pk).update(
        file_name="gone.xlsx", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = his.get(f"/exports/{export.pk}/file")
    assert expired.status_code == 410 and expired.json()["error"] == "expired"


def test_rule_results_are_not_exported_as_sdmx_as_on_the_page(api_as, publication, celina):
    refused = api_as(celina).post(
        "/exports", {"publication": publication.pk, "kind": "reguly", "format": "sdmx"}
    )
    assert refused.status_code == 400 and refused.json()["field"] == "format"
    assert "CSV" in refused.json()["message_pl"] and refused.json()["message_en"]
    unknown = api_as(celina).post("/exports", {"publication": publication.pk, "format": "pdf"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "format"
    assert not Export.objects.exists()


def _queries(his, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert his.get(path, **params).status_code == 200
    return len(queries)


def test_the_queue_and_completeness_take_as_many_queries_however_many_items(
    api_as, publication, hospital, clinic, alice, charlie, celina
):
    sent(publication, hospital, alice)
    his = api_as(celina)
    his.get("/review")  # the token's first use is counted apart
    one = (_queries(his, "/review"), _queries(his, "/completeness", publication=publication.pk))
    sent(publication, clinic, charlie)
    two = (_queries(his, "/review"), _queries(his, "/completeness", publication=publication.pk))
    assert one == two
