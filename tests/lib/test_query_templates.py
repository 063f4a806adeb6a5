"""A kept query is the query the access rule builds, for every member of the cast, and a rule
that reads what the shape does not name is never kept."""

import pytest
from django.core.exceptions import EmptyResultSet

from ssoz.lib.query_templates import QueryTemplate
from ssoz.reports.access import _LOCKED, _locked_query
from ssoz.reports.models import Report

CAST = ("alice", "bob", "fiona", "piotr", "charlie", "wanda", "olaf", "celina", "anna")


def fresh(build, user, object_id) -> tuple[str, list] | None:
    queryset = build(user, object_id)
    try:
        text, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return text, list(params)


@pytest.mark.parametrize("first", CAST)
def test_the_lock_of_a_save_is_the_access_rules_query_for_everybody(request, first):
    """Whoever comes first and makes the query kept for her kind of account, every other
    member of the cast gets the query the rule builds for her."""
    template = QueryTemplate(_locked_query, shape=_LOCKED.shape)
    template.sql(request.getfixturevalue(first), 1)
    for name in CAST:
        user = request.getfixturevalue(name)
        for report_id in (7, 123456789):
            assert template.sql(user, report_id) == fresh(_locked_query, user, report_id), name


def test_reporters_of_one_kind_share_one_kept_query(alice, bob, charlie):
    template = QueryTemplate(_locked_query, shape=_LOCKED.shape)
    for user in (alice, bob, charlie):
        template.sql(user, 1)
    assert len(template._kept) == 1
    (kept,) = template._kept.values()
    assert isinstance(kept, tuple)
    assert [slot for slot in kept[1] if slot[0] != "constant"] == [
        ("user", "entity_id"),
        ("id", "id"),
    ]


def test_a_rule_that_reads_a_field_the_shape_does_not_name_gets_it_put_in(alice, charlie):
    def by_email(user, report_id):
        return Report.objects.filter(pk=report_id, obligation__entity__email=user.email)

    template = QueryTemplate(by_email, shape=("role",))
    template.sql(alice, 1)
    assert template.sql(charlie, 5) == fresh(by_email, charlie, 5)


@pytest.mark.parametrize(
    "rule",
    [
        # a value worked out from a field
        lambda user, report_id: Report.objects.filter(pk=report_id, revision=user.pk + 1),
        # a query whose structure follows a field the shape does not name
        lambda user, report_id: Report.objects.filter(pk=report_id).filter(
            **({"status": "sent"} if user.is_staff else {"revision__gt": 0})
        ),
        # a rule that reads the database to build the query
        lambda user, report_id: Report.objects.filter(
            pk=report_id, obligation_id__in=list(Report.objects.values_list("pk", flat=True))
        ),
    ],
)
def test_a_rule_that_cannot_be_kept_is_built_every_time(alice, charlie, rule):
    template = QueryTemplate(rule, shape=("role",))
    template.sql(alice, 1)
    assert template._kept
    assert not any(isinstance(kept, tuple) for kept in template._kept.values())
    assert template.sql(charlie, 5) == fresh(rule, charlie, 5)


def test_the_session_and_the_user_are_read_by_the_query_django_builds(db):
    import datetime

    from django.contrib.sessions.models import Session

    from ssoz.accounts import backends, sessions
    from ssoz.accounts.models import User

    now = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)
    kept = sessions._SESSION.sql("abc123", now)
    queryset = Session.objects.filter(session_key="abc123", expire_date__gt=now)
    assert kept == fresh(lambda _user, _id: queryset, None, None)
    assert backends._USER.sql(42) == fresh(lambda _user, _id: User.objects.filter(pk=42), None, 0)


def test_a_request_finds_its_user_only_while_the_session_and_the_account_last(client, alice):
    import cast
    from django.contrib.sessions.models import Session
    from django.urls import reverse

    from ssoz.accounts.backends import LoginOrEmailBackend

    cast.log_in(client, alice)
    home = reverse("portal:home")
    assert client.get(home).status_code == 200
    assert LoginOrEmailBackend().get_user(str(alice.pk)) == alice
    assert LoginOrEmailBackend().get_user("not a number") is None
    assert LoginOrEmailBackend().get_user("987654321") is None
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(home).status_code == 302  # to the log-in page
    alice.is_active = True
    alice.save(update_fields=["is_active"])
    cast.log_in(client, alice)
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert client.get(home).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_before_anything_is_read(alice):
    from django.db.transaction import TransactionManagementError

    from ssoz.reports.access import lock_visible

    with pytest.raises(TransactionManagementError):
        lock_visible(1, alice)


def test_a_row_read_by_its_kept_query_is_the_instance_raw_gives(alice, bob, monkeypatch):
    """`first_instance` gives what `raw()` gives: the fields with the database's conversions
    (dates on SQLite), fields left out deferred, other columns as attributes; and it works out
    the columns once per text."""
    from django.db.models import F

    from ssoz.accounts.models import User
    from ssoz.lib import query_templates

    def query(user, fields=None):
        queryset = User.objects.filter(pk=user.pk).annotate(twice=F("pk") * 2)
        return fresh(lambda _u, _i: queryset.only(*fields) if fields else queryset, None, 0)

    for fields in (None, ("id", "username", "date_joined")):
        expected = next(iter(User.objects.raw(*query(alice, fields))))
        found = query_templates.first_instance(User, query(alice, fields))
        assert found.get_deferred_fields() == expected.get_deferred_fields()
        for name in {f.attname for f in User._meta.concrete_fields} - found.get_deferred_fields():
            assert getattr(found, name) == getattr(expected, name), name
        assert found.twice == expected.twice == 2 * alice.pk
        assert found.date_joined == alice.date_joined
    assert query_templates.first_instance(User, None) is None
    missing = fresh(lambda _u, _i: User.objects.filter(pk=-5), None, 0)
    assert query_templates.first_instance(User, missing) is None

    learnt = []
    real = query_templates._RowPlan.__init__
    monkeypatch.setattr(
        query_templates._RowPlan,
        "__init__",
        lambda plan, *args: learnt.append(args) or real(plan, *args),
    )
    for user in (alice, bob, alice):
        assert query_templates.first_instance(User, query(user)).pk == user.pk
    assert learnt == []  # learnt above already, for this text
