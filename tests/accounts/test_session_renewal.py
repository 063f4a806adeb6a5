"""A session's idle expiry is renewed at most once a minute, not written on every request."""

import cast
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in query["sql"]
    )


def test_requests_within_a_minute_do_not_write_the_session(client, alice):
    cast.log_in(client, alice)
    home = reverse("portal:home")
    session_writes(client, home)  # the first request after log-in renews
    assert session_writes(client, home) == 0
    assert session_writes(client, home) == 0


def test_a_request_after_the_renewal_interval_extends_the_session(client, alice, settings):
    settings.SESSION_RENEW_AFTER = 0
    cast.log_in(client, alice)
    home = reverse("portal:home")
    session_writes(client, home)
    before = Session.objects.get().expire_date
    assert session_writes(client, home) == 1
    assert Session.objects.get().expire_date >= before
