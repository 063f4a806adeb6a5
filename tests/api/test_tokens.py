"""Who may call the API, how much, and what a retried write does."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from ssoz.accounts.models import AccountEvent
from ssoz.api import tokens
from ssoz.api.models import ApiToken, ApiTokenUse, token_hash
from ssoz.reports.models import ReportEvent


def test_a_token_of_one_entity_reads_and_writes_nothing_of_another(
    api_as, charlie, alice, report, obligation
):
    theirs = api_as(charlie)
    assert theirs.get(f"/reports/{report.pk}").status_code == 404
    assert (
        theirs.patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 9}}).status_code == 404
    )
    assert theirs.post(f"/reports/{report.pk}/verify").status_code == 404
    assert theirs.post(f"/reports/{report.pk}/send").status_code == 404
    assert theirs.post(f"/reports/{report.pk}/send-zero").status_code == 404
    assert theirs.get(f"/reports/{report.pk}/versions/1/pdf").status_code == 404
    assert theirs.post(f"/obligations/{obligation.pk}/reports", {}).status_code == 404
    assert theirs.get("/reports").json()["count"] == 0
    assert obligation.pk not in [item["id"] for item in theirs.get("/obligations").json()["items"]]
    report.refresh_from_db()
    assert report.values == {} and report.revision == 0


def test_an_administrator_reads_reports_of_her_voivodeship_and_cannot_fill_them(
    api_as, wanda, olaf, report
):
    assert api_as(wanda).get(f"/reports/{report.pk}").status_code == 200
    assert api_as(olaf).get(f"/reports/{report.pk}").status_code == 404
    refused = api_as(wanda).patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 9}})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_a_read_token_cannot_write(api_as, alice, report):
    reader = api_as(alice, scope=ApiToken.Scope.READ)
    assert reader.get(f"/reports/{report.pk}").status_code == 200
    refused = reader.patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 9}})
    assert refused.status_code == 403 and refused.json()["error"] == "read_only_token"
    assert reader.post(f"/reports/{report.pk}/send").status_code == 403
    report.refresh_from_db()
    assert report.values == {}


def test_a_revoked_or_expired_token_is_refused(client, api_as, alice, report):
    revoked = tokens.create_token(actor=alice, name="stary HIS", scope="write", days=30)
    tokens.revoke_token(actor=alice, token_id=revoked.token.pk)
    expired = tokens.create_token(actor=alice, name="ERP", scope="write", days=30)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    for secret in (revoked.secret, expired.secret, "ssoz_nothing", "x" * 5000, ""):
        answer = client.get(
            f"/api/v1/reports/{report.pk}", headers={"Authorization": f"Bearer {secret}"}
        )
        assert answer.status_code == 401, secret
        assert answer.json()["error"] == "invalid_token"
    assert client.get("/api/v1/reports").status_code == 401
    kinds = set(AccountEvent.objects.filter(user=alice).values_list("kind", flat=True))
    assert {"api_token_created", "api_token_revoked"} <= kinds


def test_a_deactivated_account_s_token_is_refused(api_as, alice, report):
    his = api_as(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert his.get(f"/reports/{report.pk}").status_code == 401


def test_only_the_hash_of_a_token_is_kept(alice):
    new = tokens.create_token(actor=alice, name="HIS", scope="read", days=30)
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert stored.key_hash == token_hash(new.secret) and new.secret not in str(stored.__dict__)
    assert new.secret.startswith("ssoz_") and len(new.secret) > 40


def test_an_analyst_holds_no_token(anna):
    with pytest.raises(tokens.TokenError):
        tokens.create_token(actor=anna, name="R", scope="read", days=30)


def test_a_retried_write_with_the_same_idempotency_key_changes_nothing_the_second_time(
    api_as, alice, report
):
    his = api_as(alice)
    body = {"values": {"A_SIZE": 4}}
    key = {"Idempotency-Key": "save-2024-03-31-0001"}
    first = his.patch(f"/reports/{report.pk}/values", body, headers=key)
    # Between the retries, a colleague saves: the retry must not write A_SIZE over it.
    his.patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 7}})
    again = his.patch(f"/reports/{report.pk}/values", body, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    report.refresh_from_db()
    assert report.values["A_SIZE"] == "7" and report.revision == 2
    assert ReportEvent.objects.filter(report=report, kind="saved").count() == 2
    other = his.patch(f"/reports/{report.pk}/values", {"values": {"A_SIZE": 1}}, headers=key)
    assert other.status_code == 422 and other.json()["error"] == "idempotency_key_reused"
    bad = his.patch(f"/reports/{report.pk}/values", body, headers={"Idempotency-Key": "ą" * 3})
    assert bad.status_code == 400


def test_a_refused_write_is_answered_the_same_to_its_retry(api_as, alice, report):
    his = api_as(alice)
    key = {"Idempotency-Key": "send-1"}
    first = his.post(f"/reports/{report.pk}/send", headers=key)
    again = his.post(f"/reports/{report.pk}/send", headers=key)
    assert first.status_code == again.status_code == 409
    assert again["Idempotent-Replayed"] == "true"


def test_requests_beyond_the_limit_are_refused_with_the_limit_in_the_headers(
    settings, api_as, alice, report
):
    settings.API_REQUESTS_PER_MINUTE = 3
    his = api_as(alice)
    # All four in one minute of the counter, whenever the test runs (not across its turn).
    minute = timezone.now().replace(second=30, microsecond=0)
    with mock.patch("ssoz.api.tokens.timezone.now", return_value=minute):
        answers = [his.get(f"/reports/{report.pk}") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [answer["RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0"]
    assert answers[0]["RateLimit-Limit"] == "3" and answers[3]["Retry-After"] == "60"
    assert answers[3].json()["error"] == "rate_limited"
    # Kept per minute, not per request; the last use is noted.
    (use,) = ApiTokenUse.objects.all()
    assert use.count == 4
    assert alice.api_tokens.get().last_used_at is not None


def test_errors_are_json_with_a_code_both_languages_and_the_field(api_as, alice, report):
    his = api_as(alice)
    invalid = his.patch(f"/reports/{report.pk}/values", {"revision": -1})
    assert invalid.status_code == 422
    body = invalid.json()
    assert body["error"] == "invalid" and body["field"] == "revision"
    assert body["message_pl"].startswith("Żądanie") and body["message_en"]
    unreadable = his.client.patch(
        f"/api/v1/reports/{report.pk}/values",
        b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {his.secret}"},
    )
    assert unreadable.status_code == 400 and unreadable.json()["error"] == "unreadable"
    assert his.get("/reports/0").status_code == 422
    assert his.get(f"/reports/{10**30}").status_code == 422


def test_messages_are_in_english_when_the_caller_asks(api_as, alice, report):
    his = api_as(alice)
    answer = his.post(f"/reports/{report.pk}/send", headers={"Accept-Language": "en"})
    assert answer.json()["message"] == answer.json()["message_en"]


def test_the_token_page_creates_shows_once_and_revokes(client, alice):
    import cast

    cast.log_in(client, alice)
    page = client.get("/konto/tokeny-api/")
    assert page.status_code == 200
    created = client.post(
        "/konto/tokeny-api/", {"name": "HIS szpitala", "scope": "write", "days": "90"}, follow=True
    )
    assert created.status_code == 200 and created.redirect_chain
    token = alice.api_tokens.get()
    secret = created.context["secret"]
    assert secret.encode() in created.content and token.key_hash == token_hash(secret)
    again = client.get("/konto/tokeny-api/")
    assert secret.encode() not in again.content and b"HIS szpitala" in again.content
    revoked = client.post(f"/konto/tokeny-api/{token.pk}/uniewaznij/", follow=True)
    assert revoked.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_keeps_what_was_typed_next_to_a_refusal(client, alice):
    import cast

    cast.log_in(client, alice)
    answer = client.post("/konto/tokeny-api/", {"name": "", "scope": "write", "days": "7"})
    assert answer.status_code == 400
    assert not alice.api_tokens.exists()


def test_a_token_of_another_user_cannot_be_revoked(client, alice, bob):
    import cast

    token = tokens.create_token(actor=bob, name="HIS", scope="read", days=30).token
    cast.log_in(client, alice)
    assert client.post(f"/konto/tokeny-api/{token.pk}/uniewaznij/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_documentation_is_served_and_the_schema_is_openapi_3_1(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.1")
    docs = client.get("/api/v1/dokumentacja")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_old_idempotency_answers_and_use_counts_are_cleared(alice):
    token = tokens.create_token(actor=alice, name="HIS", scope="read", days=30).token
    long_ago = timezone.now() - datetime.timedelta(days=2)
    token.answers.create(key="k", fingerprint="f", status=200, content_type="x", body=b"")
    token.answers.update(created_at=long_ago)
    ApiTokenUse.objects.create(token=token, minute=long_ago, count=3)
    assert tokens.clear_old() == (1, 1)
    assert not token.answers.exists() and not token.uses.exists()


@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_with_one_idempotency_key_write_once(alice, report):
    """Both retries of one write arrive at once (a client that timed out and tried again):
    one writes, the other waits for it and gets its answer."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: no two requests race there")
    secret = tokens.create_token(actor=alice, name="HIS", scope="write", days=30).secret

    def send(value: int):
        try:
            return Client().patch(
                f"/api/v1/reports/{report.pk}/values",
                {"values": {"A_SIZE": 4}},
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "race-1"},
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))
    assert [answer.status_code for answer in answers] == [200] * 4
    assert len({answer.content for answer in answers}) == 1
    assert sum(answer.has_header("Idempotent-Replayed") for answer in answers) == 3
    report.refresh_from_db()
    assert report.revision == 1
    assert ReportEvent.objects.filter(report=report, kind="saved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_when_several_workers_count_at_once(settings, alice, report):
    """Workers and servers share the count (one row a minute, added to in one statement):
    requests from many at once get exactly the limit between them."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: no two requests race there")
    settings.API_REQUESTS_PER_MINUTE = 20
    secret = tokens.create_token(actor=alice, name="HIS", scope="read", days=30).secret

    def send(_number: int) -> int:
        try:
            answer = Client().get(
                f"/api/v1/reports/{report.pk}", headers={"Authorization": f"Bearer {secret}"}
            )
            return answer.status_code
        finally:
            connection.close()

    if timezone.now().second > 50:  # all of it within one minute's window
        import time

        time.sleep(61 - timezone.now().second)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(30)))
    assert answers.count(200) == 20 and answers.count(429) == 10
