"""Whether this server can do its work: the database answers, and the task queue moves.

For the load balancer and the supervisor (`zdrowie/gotowy`): an application server whose
database is gone, or whose tasks (mail, exports, re-validation) wait with no worker to take
them, answers 503 with what failed, so that it is taken out of rotation and somebody is
told. `zdrowie/zyje` only says that the process answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone


@dataclass
class Check:
    ok: bool
    details: dict = field(default_factory=dict)


def database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check(False, {"error": error.__class__.__name__})
    return Check(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


def queue() -> Check:
    """The oldest task ready to run, and how long it has waited: longer than
    `HEALTH_QUEUE_MAX_WAIT` seconds means no worker takes the tasks."""
    if settings.TASKS_BACKEND != "database":
        return Check(True, {"backend": "immediate"})
    from django_tasks_db.models import DBTaskResult, get_date_max

    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    except DatabaseError as error:
        return Check(False, {"error": error.__class__.__name__})
    waited = 0
    if oldest is not None:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        waited = max(0, int((timezone.now() - since).total_seconds()))
    ok = waited <= settings.HEALTH_QUEUE_MAX_WAIT
    return Check(ok, {"waiting": waiting, "oldest_waited_s": waited})


def readiness() -> dict:
    checks = {"database": database()}
    # Without the database there is no queue to look at.
    checks["queue"] = queue() if checks["database"].ok else Check(False, {"error": "database"})
    return {
        "ok": all(check.ok for check in checks.values()),
        "checks": {name: {"ok": c.ok, **c.details} for name, c in checks.items()},
    }
