"""Django's PostgreSQL backend, with a persistent connection's health check that needs no query.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of every request,
one round trip of the background save's seven (docs/performance.md). A connection the server
has closed (`pg_terminate_backend`, a restart) has something to read while it is idle: the
server's farewell message, or the end of the stream. So an idle connection with nothing to read
is taken as usable without asking, and only one with something waiting is asked with
`SELECT 1`, as Django does; a connection psycopg knows is broken is not usable at all.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if (
            connection.info.transaction_status == TransactionStatus.IDLE
            and not _has_something_to_read(connection.fileno())
        ):
            return True
        return super().is_usable()


def _has_something_to_read(descriptor: int) -> bool:
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))
