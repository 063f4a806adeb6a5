"""Django's database sessions, read with a query compiled once (`lib/query_templates.py`):
every request of a logged-in user reads its session, the background save's every few seconds
included."""

import datetime
import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from ssoz.lib.query_templates import KeptQuery, first_instance

_SESSION = KeptQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    ("\x00first", "\x00second"),
    (
        datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(2002, 1, 1, tzinfo=datetime.UTC),
    ),
)


class SessionStore(DatabaseSessionStore):
    """What `SESSION_ENGINE = "ssoz.accounts.sessions"` uses: Django's own, but for how the
    row is read."""

    def _get_session_from_db(self) -> Session | None:
        try:
            query = _SESSION.sql(self.session_key, timezone.now())
            found = first_instance(Session, query)
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = None
        if found is None:
            self._session_key = None
        return found
