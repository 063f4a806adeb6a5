"""The people of the deadline-day benchmarks, logged in by sessions made in the database.

Run inside Django (`manage.py shell` with this folder on PYTHONPATH, or a test): a benchmark
needs many logged-in clients in seconds, and logging in through the login page would run the
password hasher for each and trip the lockout of repeated logins.
"""

import itertools
import random

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone

from ssoz.accounts.models import Role, User
from ssoz.api.models import ApiToken
from ssoz.api.tokens import create_token
from ssoz.reports import workflow
from ssoz.reports.models import Report, Status
from ssoz.reports.synthetic import valid_variants

EXPLANATION = "Wartość sprawdzona w dokumentacji jednostki."
SURVEY = ("ANKIETA-CYBER", 2023)  # the one-time survey the clerks also have to fill in


def logged_in(user: User) -> dict[str, str]:
    """A new session of `user` and a CSRF token: what a browser holds after logging in, with
    the Cookie header that carries both."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "ssoz.accounts.backends.LoginOrEmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = _get_new_csrf_string()
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    return {"session": session.session_key, "csrf": csrf, "cookie": cookie}


BENCH_TOKEN_NAME = "benchmark"


def bench_token(user: User) -> str:
    """A new write token of `user`, as she would create one on her account page; the
    benchmark's tokens of earlier runs are revoked, so that she never holds too many."""
    ApiToken.objects.filter(user=user, name=BENCH_TOKEN_NAME, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return create_token(actor=user, name=BENCH_TOKEN_NAME, scope="write", days=30).secret


def reporter_of(entity_id: int) -> User | None:
    """The entity's reporter who may fill its MZ-88 and survey reports."""
    return (
        User.objects.filter(
            entity_id=entity_id, role=Role.REPORTER, is_active=True, psychiatric_card_only=False
        )
        .order_by("pk")
        .first()
    )


def draft_reports(code: str, year: int):
    """The entities' own (not per unit) drafts of form `code` for `year`, oldest first."""
    return (
        Report.objects.filter(
            status=Status.DRAFT,
            unit__isnull=True,
            publication__form_version__definition__code=code,
            publication__year=year,
        )
        .select_related("obligation", "publication__form_version")
        .order_by("pk")
    )


def mixed_reporters(count: int, *, year: int = 2025, seed: int = 1) -> dict:
    """`count` reporters, each logged in with her own MZ-88 draft for `year` and, where her
    entity has one, her ANKIETA-CYBER draft; with, per report, values that pass every rule
    of the form (last period's included) and the explanations of the warnings they raise,
    for the reporter to send. The forms' input fields, by section, come once."""
    rng = random.Random(seed)
    forms: dict[str, dict] = {}
    variants: dict[int, list[dict]] = {}
    chosen: list[dict] = []
    # Clerks who have a survey to fill in as well come first, so that as many as the data
    # allows open both.
    with_survey = draft_reports(*SURVEY).values("obligation__entity_id")
    mz88 = draft_reports("MZ-88", year)
    candidates = itertools.chain(
        mz88.filter(obligation__entity_id__in=with_survey).iterator(chunk_size=200),
        mz88.exclude(obligation__entity_id__in=with_survey).iterator(chunk_size=200),
    )
    for report in candidates:
        user = reporter_of(report.obligation.entity_id)
        if user is None:
            continue
        form = report.form_version.compiled()
        key = str(report.form_version.pk)
        if key not in forms:
            forms[key] = _inputs(form)
            variants[report.form_version.pk] = valid_variants(form, rng, count=8)
        to_send = _passing_values(report, form, variants[report.form_version.pk], len(chosen))
        if to_send is None:
            continue
        chosen.append(
            {
                "report": report.pk,
                "entity": report.obligation.entity_id,
                "form": key,
                "revision": report.revision,
                "values": report.values,
                "send": to_send,
                **logged_in(user),
            }
        )
        if len(chosen) == count:
            break
    surveys = dict(
        draft_reports(*SURVEY)
        .filter(obligation__entity_id__in=[client["entity"] for client in chosen])
        .values_list("obligation__entity_id", "pk")
    )
    for client in chosen:
        client["survey"] = surveys.get(client["entity"])
    return {"forms": forms, "reporters": chosen}


def _inputs(form) -> dict:
    """The form's input fields with their types, in the order the page has them, and by
    section."""
    fields = {ref: str(spec.type) for ref, spec in form.fields.items() if spec.is_input}
    sections = {s.code: [ref for ref in s.refs if ref in fields] for s in form.sections}
    return {"fields": fields, "sections": sections}


def _passing_values(report: Report, form, variants: list[dict], start: int) -> dict | None:
    """The first of `variants` from the `start`-th on that verifies without errors for this
    report (its last period's values can make a rule fail), with an explanation of each
    warning."""
    previous = workflow.previous_values(report)
    period = workflow.period_of(report, form, "verify")
    for number in range(len(variants)):
        values = variants[(start + number) % len(variants)]
        result = form.check(values, previous, stage="verify", period=period)
        if not result.errors:
            explanations = {warning.rule_id: EXPLANATION for warning in result.warnings}
            return {"values": values, "explanations": explanations}
    return None


def administrators(count: int) -> list[dict]:
    """`count` logged-in administrators: the central one, and regional administrators of
    the voivodeships with the most reports sent for verification (a voivodeship again, in
    another session, when there are fewer)."""
    central = User.objects.filter(role=Role.CENTRAL_ADMIN, is_active=True).order_by("pk")
    busiest = (
        Report.objects.filter(status=Status.SENT)
        .values("voivodeship")
        .annotate(sent=Count("pk"))
        .order_by("-sent", "voivodeship")
    )
    regional = []
    for row in busiest:
        admin = (
            User.objects.filter(
                role=Role.REGIONAL_ADMIN, voivodeship=row["voivodeship"], is_active=True
            )
            .order_by("pk")
            .first()
        )
        if admin is not None:
            regional.append(admin)
    people = [*central[:1], *regional] or list(central)
    if not people:
        return []
    return [
        {"username": user.username, "voivodeship": user.voivodeship, **logged_in(user)}
        for user in (people[number % len(people)] for number in range(count))
    ]


def stored(report_ids: list[int]) -> dict[str, dict]:
    """What the database holds of these reports: their values, revision and state."""
    return {
        str(pk): {"values": values, "revision": revision, "status": status}
        for pk, values, revision, status in Report.objects.filter(pk__in=report_ids).values_list(
            "pk", "values", "revision", "status"
        )
    }
