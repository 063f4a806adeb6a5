"""A server says whether it can do its work, and every answer and log line carries the
request's id."""

import copy
import datetime
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from ssoz.lib.emails import send_mail_task

pytestmark = pytest.mark.django_db


def test_a_server_whose_database_answers_and_whose_queue_moves_is_ready(client, settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail_task.enqueue(["a@example.org"], "Temat", "Treść", "<p>Treść</p>")
    response = client.get(reverse("portal:ready"))
    assert response.status_code == 200
    found = response.json()
    assert found["ok"] is True
    assert found["checks"]["database"]["ok"] is True
    assert found["checks"]["queue"] == {"ok": True, "waiting": 1, "oldest_waited_s": 0}
    assert "sessionid" not in response.cookies


def test_a_task_no_worker_took_for_too_long_makes_the_server_not_ready(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail_task.enqueue(["a@example.org"], "Temat", "Treść", "<p>Treść</p>")
    waited = settings.HEALTH_QUEUE_MAX_WAIT + 60
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=waited))
    response = client.get(reverse("portal:ready"))
    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert queue["ok"] is False and queue["waiting"] == 1
    assert queue["oldest_waited_s"] >= waited


def test_a_server_whose_database_fails_is_not_ready(client):
    if connection.vendor != "postgresql":
        pytest.skip("a transaction that failed refuses what follows on PostgreSQL only")
    # A statement that fails leaves the transaction refusing every statement after it: a
    # database that answers nothing but errors.
    with connection.cursor() as cursor, pytest.raises(DatabaseError):
        cursor.execute("SELECT * FROM no_such_table")
    response = client.get(reverse("portal:ready"))
    assert response.status_code == 503
    found = response.json()
    assert found["checks"]["database"] == {"ok": False, "error": "InternalError"}
    assert found["checks"]["queue"]["ok"] is False


def test_every_answer_carries_the_request_id_the_proxy_gave_or_a_new_one(client):
    given = client.get(reverse("portal:alive"), HTTP_X_REQUEST_ID="proxy-7f3a.1")
    assert given["X-Request-ID"] == "proxy-7f3a.1"
    for hostile in ("<script>", "x" * 65, "a b", ""):
        made = client.get(reverse("portal:alive"), HTTP_X_REQUEST_ID=hostile)
        assert made["X-Request-ID"] != hostile and len(made["X-Request-ID"]) == 32
    assert (
        client.get(reverse("portal:alive"))["X-Request-ID"]
        != client.get(reverse("portal:alive"))["X-Request-ID"]
    )


def test_the_access_log_is_one_json_line_a_request_with_its_id_and_no_query(
    client, settings, alice, caplog
):
    import cast

    settings.ACCESS_LOG = True
    cast.log_in(client, alice)
    with caplog.at_level(logging.INFO, logger="ssoz.access"):
        client.get(reverse("portal:home") + "?szukaj=Kowalska", HTTP_X_REQUEST_ID="req-1")
    (record,) = [r for r in caplog.records if r.name == "ssoz.access"]
    configurator = logging.config.DictConfigurator(copy.deepcopy(django_settings.LOGGING))
    formatter = configurator.configure_formatter(
        copy.deepcopy(django_settings.LOGGING["formatters"]["json"])
    )
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "req-1"
    assert line["logger"] == "ssoz.access" and line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == reverse("portal:home")
    assert line["status"] == 200 and line["user_id"] == alice.pk
    assert "Kowalska" not in formatter.format(record)


def test_every_log_record_written_while_a_request_runs_has_its_id(rf):
    from django.http import HttpResponse

    from ssoz.lib.request_log import RequestIdFilter, RequestIdMiddleware

    seen = []

    def view(request):
        record = logging.LogRecord("ssoz.test", logging.WARNING, __file__, 1, "x", None, None)
        RequestIdFilter().filter(record)
        seen.append(record.request_id)
        return HttpResponse()

    RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="abc"))
    outside = logging.LogRecord("ssoz.test", logging.WARNING, __file__, 1, "x", None, None)
    RequestIdFilter().filter(outside)
    assert seen == ["abc"] and outside.request_id == "-"
