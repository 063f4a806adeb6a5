"""The persistent connection's health check: no query for a connection that is fine, and a
connection the server ended is found out and replaced before a request uses it."""

import select

import pytest
from django.db import DatabaseError, connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_connection():
    if connection.vendor != "postgresql":
        pytest.skip("the health check is the PostgreSQL backend's")
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def test_an_idle_connection_is_usable_without_a_query(second_connection, monkeypatch):
    raw = second_connection.connection

    def refuse(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    with monkeypatch.context() as patched:
        patched.setattr(type(raw), "cursor", refuse)
        assert second_connection.is_usable()
    # A connection in a failed transaction is asked, and answers as Django's check has it.
    with second_connection.cursor() as cursor:
        second_connection.set_autocommit(False)
        with pytest.raises(DatabaseError):
            cursor.execute("SELECT * FROM no_such_table")
    assert not second_connection.is_usable()
    second_connection.rollback()
    second_connection.set_autocommit(True)


def test_a_connection_the_server_ended_is_replaced_before_the_next_request(second_connection):
    raw = second_connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [raw.info.backend_pid])
    # The server's farewell reaches the socket a moment later: wait for it, not for a time.
    poller = select.poll()
    poller.register(raw.fileno(), select.POLLIN)
    assert poller.poll(10_000), "the server did not end the connection"
    assert not second_connection.is_usable()
    # What Django does before a request's first query when health checks are on.
    second_connection.health_check_enabled = True
    second_connection.health_check_done = False
    second_connection.close_if_health_check_failed()
    assert second_connection.connection is None
    with second_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
