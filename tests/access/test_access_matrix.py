"""Who may open what, and who may change what: every page of the URL configuration, found by
walking it, asked by every member of the cast; and every verb that changes state, tried by each.

The cast: an anonymous visitor; Alice, a clerk of the Mazovian hospital (entity A) without the
financial authorisation, who faces its financial form too; Fiona, her colleague with that
authorisation; Charlie, a clerk of the Silesian clinic (entity B); Piotr, whose account at the
hospital may fill only the MZ/Szp-11B card; Olaf, the regional administrator of Śląskie; Wanda,
that of the hospital's Mazowieckie; Celina, the central administrator; Anna, an analyst at the
Ministry, who reads the results of the whole country (and the publications list that leads to
them) and nothing else.

A page added to the URL configuration fails `test_every_page_is_in_the_matrix` until it is
classified here. A redirect is an answer like any other: its target is checked.
"""

import datetime
import re

import pytest
from access.conftest import CARD, MEMBERS, as_member, preview_key
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ssoz.accounts.models import ApplicationStatus
from ssoz.api.models import ApiToken
from ssoz.definitions.models import FormVersion
from ssoz.exports.models import Export
from ssoz.jobs.models import Job
from ssoz.publications.models import AssignmentAnswer, Obligation, Publication
from ssoz.reports.models import Report, Status

# The answer each member gets, in the order of MEMBERS:
# anonymous, alice, fiona, charlie, piotr, olaf, wanda, celina, anna.
# "ok" is 200; "login" a redirect to the log-in page and back; "→name" a redirect to that page
# (with the row's own arguments where it takes them); a number, that status.
REPORTER_PAGE = ("login", "ok", "ok", 404, 404, 403, 403, 403, 403)
FINANCIAL_REPORTER_PAGE = ("login", 404, "ok", 404, 404, 403, 403, 403, 403)
REPORT_PAGE = ("login", "ok", "ok", 404, 404, 404, "ok", "ok", 404)
FINANCIAL_REPORT_PAGE = ("login", 404, "ok", 404, 404, 404, "ok", "ok", 404)
REVIEW_PAGE = ("login", 403, 403, 403, 403, 404, "ok", "ok", 403)
ADMINISTRATORS = ("login", 403, 403, 403, 403, "ok", "ok", "ok", 403)
APPLICATION_PAGE = ("login", 403, 403, 403, 403, 404, "ok", "ok", 403)
CENTRAL = ("login", 403, 403, 403, 403, 403, 403, "ok", 403)
# The results, and the publications list that leads an analyst to them.
RESULTS = ("login", 403, 403, 403, 403, "ok", "ok", "ok", "ok")
WHOLE_COUNTRY = ("login", 403, 403, 403, 403, 403, 403, "ok", "ok")
CARD_PAGE = ("login", 404, 404, 404, "ok", 404, "ok", "ok", 404)


def CARD_PAGE_SENT(target: str) -> tuple:  # noqa: N802 - a row of the table, as the others
    return ("login", 404, 404, 404, target, 404, target, target, 404)


PUBLIC = ("ok",) * 9
SIGNED_IN = ("login",) + ("ok",) * 8
POST_ONLY = ("login",) + (405,) * 8

PAGES = {
    "portal:root": ("→portal:info",) * 9,
    "portal:info": PUBLIC,
    "portal:alive": PUBLIC,
    "portal:ready": PUBLIC,
    "portal:home": SIGNED_IN,
    "portal:privacy": PUBLIC,
    "portal:accessibility": PUBLIC,
    "portal:help": PUBLIC,
    "portal:keep_alive": POST_ONLY,
    "accounts:login": ("ok",) + ("→portal:home",) * 8,
    "accounts:logout": POST_ONLY,
    "accounts:register": PUBLIC,
    # The signed link is the registrant's key to her form, whoever holds it.
    "accounts:registration_pdf": PUBLIC,
    "accounts:password_reminder": PUBLIC,
    "accounts:change_password": SIGNED_IN,
    "accounts:application_list": ADMINISTRATORS,
    "accounts:application_detail": APPLICATION_PAGE,
    "accounts:application_scan": APPLICATION_PAGE,
    "accounts:application_pdf": APPLICATION_PAGE,
    # Regional administrators may read the definitions; only the central one loads them.
    "definitions:list": ADMINISTRATORS,
    "definitions:version_detail": ADMINISTRATORS,
    "definitions:version_source": ADMINISTRATORS,
    "definitions:schema": PUBLIC,
    "publications:list": WHOLE_COUNTRY,
    "publications:publish": CENTRAL,
    "publications:recheck": POST_ONLY,
    "publications:acceptance": POST_ONLY,
    "publications:deadline": CENTRAL,
    "publications:close": POST_ONLY,
    "reports:list": ("login", "ok", "ok", "ok", "ok", 403, 403, 403, 403),
    "reports:obligation": REPORTER_PAGE,
    "reports:obligation@financial": FINANCIAL_REPORTER_PAGE,
    "reports:activate": POST_ONLY,
    "reports:paper": POST_ONLY,
    "reports:request_reopening": POST_ONLY,
    "reports:request_reopening@financial": POST_ONLY,
    "reports:paper@financial": POST_ONLY,
    "reports:activate@financial": POST_ONLY,
    "reports:choose_level": REPORTER_PAGE,
    "reports:choose_level@financial": FINANCIAL_REPORTER_PAGE,
    "reports:detail": REPORT_PAGE,
    "reports:detail@financial": FINANCIAL_REPORT_PAGE,
    "reports:autosave": POST_ONLY,
    "reports:autosave@financial": POST_ONLY,
    # Sent already: the confirmation page leads back to the report. Administrators fill in
    # only paper reports: another voivodeship's is not even seen.
    "reports:send": ("login", "→reports:detail", "→reports:detail", 404, 404, 404, 403, 403, 403),
    "reports:send@financial": ("login", 404, "→reports:detail", 404, 404, 404, 403, 403, 403),
    # A zero report's confirmation, for a report sent already, leads back to it as „Wyślij” does.
    "reports:send_zero": ("login", "→reports:detail", "→reports:detail", *(404,) * 3, *(403,) * 3),
    "reports:send_zero@financial": ("login", 404, "→reports:detail", *(404,) * 3, *(403,) * 3),
    # Values from a file: for a sent report, the upload leads back to it as „Wyślij” does.
    "reports:upload": ("login", "→reports:detail", "→reports:detail", *(404,) * 3, *(403,) * 3),
    "reports:upload@financial": ("login", 404, "→reports:detail", *(404,) * 3, *(403,) * 3),
    "reports:upload_apply": POST_ONLY,
    "reports:template_csv": REPORT_PAGE,
    "reports:template_csv@financial": FINANCIAL_REPORT_PAGE,
    "reports:template_xlsx": REPORT_PAGE,
    "reports:template_xlsx@financial": FINANCIAL_REPORT_PAGE,
    "reports:version_pdf": REPORT_PAGE,
    "reports:version_pdf@financial": FINANCIAL_REPORT_PAGE,
    "reports:versions": REPORT_PAGE,
    "reports:versions@financial": FINANCIAL_REPORT_PAGE,
    "reports:history": REPORT_PAGE,
    "reports:history@financial": FINANCIAL_REPORT_PAGE,
    # Cards: of a form with repeating records only, seen by who sees its report (the
    # hospital's MZ/Szp-11B accounts and its administrators); a report without them has none.
    "reports:records": ("login",) + (404,) * 8,
    "reports:records@card": CARD_PAGE,
    "reports:record": ("login",) + (404,) * 8,
    "reports:record@card": CARD_PAGE,
    # Sent: nothing to add or remove, and the page leads back to the cards.
    "reports:record_new": ("login",) + (404,) * 8,
    "reports:record_new@card": CARD_PAGE_SENT("→reports:records"),
    "reports:record_remove": ("login",) + (404,) * 8,
    "reports:record_remove@card": CARD_PAGE_SENT("→reports:record"),
    "reports:records_upload": ("login",) + (404,) * 8,
    "reports:records_upload@card": CARD_PAGE_SENT("→reports:records"),
    "reports:records_upload_apply": POST_ONLY,
    "reports:records_template_csv": ("login",) + (404,) * 8,
    "reports:records_template_csv@card": CARD_PAGE,
    "reports:records_template_xlsx": ("login",) + (404,) * 8,
    "reports:records_template_xlsx@card": CARD_PAGE,
    "review:queue": ADMINISTRATORS,
    "review:report": REVIEW_PAGE,
    "review:report@financial": REVIEW_PAGE,
    "review:approve": POST_ONLY,
    "review:bulk_approve": POST_ONLY,
    "review:approve@financial": POST_ONLY,
    "review:return": POST_ONLY,
    "review:return@financial": POST_ONLY,
    "review:reopen": POST_ONLY,
    "review:reopen@financial": POST_ONLY,
    "review:withdraw": POST_ONLY,
    "review:accept": POST_ONLY,
    "review:accept@financial": POST_ONLY,
    "review:withdraw@financial": POST_ONLY,
    # Completeness: every administrator, each reading her own voivodeship's entities.
    "completeness:index": ADMINISTRATORS,
    "completeness:summary": ADMINISTRATORS,
    "completeness:not_reported": ADMINISTRATORS,
    "completeness:not_reported_csv": ADMINISTRATORS,
    "completeness:remind": ADMINISTRATORS,
    "completeness:exempted": ADMINISTRATORS,
    "results:aggregate": RESULTS,
    "exports:publication": RESULTS,
    "exports:table": POST_ONLY,
    # An export's file is downloaded by the person who asked for it (Celina), nobody else.
    "exports:download": ("login", 404, 404, 404, 404, 404, 404, "ok", 404),
    # The survey's results: of a maturity survey only (the ordinary form has no scale); the
    # reporter's page is the report's, by the report's own rule.
    "results:survey": ("login", 403, 403, 403, 403, 404, 404, 404, 404),
    "results:survey@survey": RESULTS,
    "results:survey_report": ("login", 404, 404, 404, 404, 404, 404, 404, 404),
    "results:survey_report@survey": REPORT_PAGE,
    "publications:assignment_survey": ("login", "ok", "ok", "ok", "ok", 403, 403, 403, 403),
    # The hospital's obligation, in Wanda's Mazowieckie.
    "completeness:exempt": REVIEW_PAGE,
    "completeness:lift_exemption": POST_ONLY,
    # A job is followed by the person who started it (Celina) and nobody else.
    "jobs:detail": ("login", 404, 404, 404, 404, 404, 404, "ok", 404),
    "jobs:state": ("login", 404, 404, 404, 404, 404, 404, "ok", 404),
    # API tokens: for reporters and administrators; an analyst reads results on the pages.
    "tokens:list": ("login", "ok", "ok", "ok", "ok", "ok", "ok", "ok", 403),
    "tokens:revoke": POST_ONLY,
    # The API's document and its interactive documentation are public; its operations are
    # in tests/access/test_api_matrix.py.
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "set_language": ("→/",) * 9,
    "captcha-image": PUBLIC,
    "captcha-image-2x": PUBLIC,
}

# Patterns that are not pages of SSOZ's own: Django's admin (checked below as a whole) and the
# static files the development server serves.
NOT_PAGES = re.compile(r"^admin:|^None$|^api:(?!openapi-)")


def url_patterns(patterns=None, namespace=None):
    """(name, pattern) of every URL pattern, namespaces included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            yield from url_patterns(
                entry.url_patterns, ":".join(filter(None, [namespace, inner])) or None
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, entry


def page_url(world, key: str) -> str:
    name, _, variant = key.partition("@")
    pattern = dict(url_patterns())[name]
    values = world.kwargs(
        financial=variant == "financial", survey=variant == "survey", card=variant == "card"
    )
    return reverse(name, kwargs={arg: values[arg] for arg in pattern.pattern.regex.groupindex})


def answer_of(response) -> str:
    if response.status_code in (301, 302):
        return "→" + response.url
    return str(response.status_code)


def expected_answer(world, key: str, expected, url: str) -> str:
    if expected == "ok":
        return "200"
    if expected == "login":
        return f"→{reverse('accounts:login')}?next={url}"
    if isinstance(expected, str) and expected.startswith("→"):
        target = expected[1:]
        if target.startswith("/"):
            return expected
        pattern = dict(url_patterns())[target]
        values = world.kwargs(
            financial=key.endswith("@financial"),
            survey=key.endswith("@survey"),
            card=key.endswith("@card"),
        )
        arguments = {arg: values[arg] for arg in pattern.pattern.regex.groupindex}
        return "→" + reverse(target, kwargs=arguments)
    return str(expected)


def test_every_page_is_in_the_matrix():
    found = {name for name, _ in url_patterns() if not NOT_PAGES.search(name)}
    classified = {key.partition("@")[0] for key in PAGES}
    assert not found - classified, f"pages missing from the matrix: {sorted(found - classified)}"
    assert not classified - found, f"the matrix names pages that are gone: {classified - found}"
    for key, answers in PAGES.items():
        assert len(answers) == len(MEMBERS), key


@pytest.mark.parametrize("member", MEMBERS)
def test_every_page_answers_each_member_as_the_access_rules_say(client, world, member):
    as_member(client, world, member)
    wrong = []
    for key, answers in PAGES.items():
        url = page_url(world, key)
        expected = expected_answer(world, key, answers[MEMBERS.index(member)], url)
        got = answer_of(client.get(url))
        if got != expected:
            wrong.append(f"{key} {url}: expected {expected}, got {got}")
    assert not wrong, f"{member}:\n" + "\n".join(wrong)


def test_the_back_office_opens_to_the_central_administrator(client, world):
    """Django's admin is the central administrator's technical back office
    (tests/lib/test_backoffice.py says what she may do there)."""
    as_member(client, world, "celina")
    for name in (
        "admin:index",
        "admin:registry_entity_changelist",
        "admin:reports_report_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("member", [member for member in MEMBERS if member != "celina"])
def test_the_back_office_is_closed_to_everybody_else(client, world, member):
    """Nobody else of the cast gets into Django's admin, at any of its addresses."""
    as_member(client, world, member)
    login = reverse("admin:login")
    for name, pattern in url_patterns():
        if not name.startswith("admin:"):
            continue
        arguments = {
            arg: {"app_label": "registry", "url": "nic"}.get(arg, "1")
            for arg in pattern.pattern.regex.groupindex
        }
        converters = getattr(pattern.pattern, "converters", {})
        arguments.update({arg: "1" for arg in converters if arg not in arguments})
        url = reverse(name, kwargs=arguments) if name != "admin:None" else None
        if url is None:
            continue
        response = client.get(url)
        if name == "admin:login":
            assert response.status_code == 200
            continue
        # Anonymous visitors are sent to SSOZ's log-in, signed-in ones to the admin's; a
        # log-out by GET goes back to the admin's start page, which sends them on.
        targets = (reverse("accounts:login"), login)
        if name == "admin:logout":
            targets += (reverse("admin:index"),)
        assert response.status_code in (302, 405), (name, url, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(targets), (name, response.url)


# --- Verbs that change state --------------------------------------------------------------------
#
# Each verb: how to ask for it, who may, what a member who may not gets (the "refused" answers
# are any of these), and how to tell whether it took effect. Members not named as allowed are
# refused and change nothing; each allowed member, in a world of her own, changes it.


def _report_values(world, attribute):
    return Report.objects.get(pk=getattr(world, attribute).pk).values


VERBS = {
    "save a draft": {
        "url": lambda w: reverse("reports:detail", args=[w.draft.pk]),
        "data": lambda w: {"revision": str(w.draft.revision), "action": "save", "A_NOTE": "x"},
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report_values(w, "draft").get("A_NOTE") == "x",
    },
    "save a financial draft": {
        "url": lambda w: reverse("reports:detail", args=[w.financial_draft.pk]),
        "data": lambda w: {"revision": "1", "action": "save", "A_NOTE": "x"},
        "allowed": ("fiona",),
        "done": lambda w: _report_values(w, "financial_draft").get("A_NOTE") == "x",
    },
    "save a draft in the background": {
        "url": lambda w: reverse("reports:autosave", args=[w.draft.pk]),
        "data": lambda w: {"revision": str(w.draft.revision), "A_NOTE": "y"},
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report_values(w, "draft").get("A_NOTE") == "y",
    },
    "save a financial draft in the background": {
        "url": lambda w: reverse("reports:autosave", args=[w.financial_draft.pk]),
        "data": lambda w: {"revision": "1", "A_NOTE": "y"},
        "allowed": ("fiona",),
        "done": lambda w: _report_values(w, "financial_draft").get("A_NOTE") == "y",
    },
    # A preview of the member's own where she may make one, else Alice's key: it is hers.
    "apply a file of values to a draft": {
        "url": lambda w: reverse("reports:upload_apply", args=[w.draft.pk]),
        "data_for": lambda w, member: {"preview_key": preview_key(w, member, "draft")},
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report_values(w, "draft").get("A_NOTE") == "z pliku",
    },
    "apply a file of values to a financial draft": {
        "url": lambda w: reverse("reports:upload_apply", args=[w.financial_draft.pk]),
        "data_for": lambda w, member: {"preview_key": preview_key(w, member, "financial_draft")},
        "allowed": ("fiona",),
        "done": lambda w: _report_values(w, "financial_draft").get("A_NOTE") == "z pliku",
    },
    "send a zero report": {
        "url": lambda w: reverse("reports:send_zero", args=[w.zero_draft.pk]),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("alice", "fiona"),
        "done": lambda w: Report.objects.filter(
            pk=w.zero_draft.pk, status=Status.SENT, is_zero=True
        ).exists(),
    },
    "send a draft": {
        "url": lambda w: reverse("reports:send", args=[w.draft.pk]),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("alice", "fiona"),
        "done": lambda w: Report.objects.get(pk=w.draft.pk).status == Status.SENT,
    },
    "send a financial draft": {
        "url": lambda w: reverse("reports:send", args=[w.financial_draft.pk]),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("fiona",),
        "done": lambda w: Report.objects.get(pk=w.financial_draft.pk).status == Status.SENT,
    },
    "add a card": {
        "url": lambda w: reverse("reports:record_new", args=[w.card_draft.pk]),
        "data": lambda w: CARD,
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.count() == 2,
    },
    "change a card": {
        "url": lambda w: reverse("reports:record", args=[w.card_draft.pk, 1]),
        "data": lambda w: {**CARD, "DISCHARGE_DATE": "2026-11-06"},
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.get().values["DISCHARGE_DATE"] == "2026-11-06",
    },
    "remove a card": {
        "url": lambda w: reverse("reports:record_remove", args=[w.card_draft.pk, 1]),
        "data": lambda w: {},
        "allowed": ("piotr",),
        "done": lambda w: not w.card_draft.records.exists(),
    },
    "take up the clinic's obligation": {
        "url": lambda w: reverse("reports:activate", args=[w.clinic_obligation.pk]),
        "data": lambda w: {},
        "allowed": ("charlie",),
        "done": lambda w: Obligation.objects.get(pk=w.clinic_obligation.pk).is_activated,
    },
    "report for a unit of the hospital": {
        "url": lambda w: reverse("reports:choose_level", args=[w.obligation.pk]),
        "data": lambda w: {"action": "units", "units": [str(w.obligation.entity.units.last().pk)]},
        "allowed": ("alice", "fiona"),
        "done": lambda w: w.obligation.reports.filter(
            unit=w.obligation.entity.units.last()
        ).exists(),
    },
    "report for a unit on the financial form": {
        "url": lambda w: reverse("reports:choose_level", args=[w.financial_obligation.pk]),
        "data": lambda w: {"action": "units", "units": [str(w.obligation.entity.units.last().pk)]},
        "allowed": ("fiona",),
        "done": lambda w: w.financial_obligation.reports.filter(unit__isnull=False).exists(),
    },
    "approve a sent report": {
        "url": lambda w: reverse("review:approve", args=[w.report.pk]),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("wanda", "celina"),
        "done": lambda w: Report.objects.get(pk=w.report.pk).status == Status.APPROVED,
    },
    "approve a sent financial report": {
        "url": lambda w: reverse("review:approve", args=[w.financial_report.pk]),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("wanda", "celina"),
        "done": lambda w: Report.objects.get(pk=w.financial_report.pk).status == Status.APPROVED,
    },
    "approve every sent report without warnings": {
        "url": lambda w: reverse("review:bulk_approve"),
        "data": lambda w: {"confirm": "yes"},
        "allowed": ("wanda", "celina"),
        # Another voivodeship's administrator may start it; it chooses nothing of Mazowieckie.
        "in_scope_only": ("olaf",),
        "done": lambda w: Job.objects.filter(
            title__startswith="Zatwierdzenie", title_params__count__gt=0
        ).exists(),
    },
    "return a sent report": {
        "url": lambda w: reverse("review:return", args=[w.report.pk]),
        "data": lambda w: {"comment": "Proszę poprawić."},
        "allowed": ("wanda", "celina"),
        "done": lambda w: Report.objects.get(pk=w.report.pk).status == Status.RETURNED,
    },
    "reopen an approved report": {
        "url": lambda w: reverse("review:reopen", args=[w.approved.pk]),
        "data": lambda w: {"comment": "Korekta danych."},
        "allowed": ("wanda", "celina"),
        "done": lambda w: Report.objects.get(pk=w.approved.pk).status == Status.RETURNED,
    },
    "ask for a correction of an approved report": {
        "url": lambda w: reverse("reports:request_reopening", args=[w.approved.pk]),
        "data": lambda w: {"reason": "Błąd w dziale 1."},
        "allowed": ("alice", "fiona"),
        "done": lambda w: bool(Report.objects.get(pk=w.approved.pk).reopen_request),
    },
    "enter a paper report": {
        "url": lambda w: reverse("reports:paper", args=[w.clinic_obligation.pk]),
        "data": lambda w: {},
        "allowed": ("olaf", "celina"),
        "done": lambda w: w.clinic_obligation.reports.filter(on_paper=True).exists(),
    },
    "close a period": {
        "url": lambda w: reverse("publications:close", args=[w.publication.pk]),
        "data": lambda w: {"closed": "yes"},
        "allowed": ("celina",),
        "done": lambda w: (
            w.publication.__class__.objects.get(pk=w.publication.pk).closed_at is not None
        ),
    },
    "move a publication's deadline": {
        "url": lambda w: reverse("publications:deadline", args=[w.publication.pk]),
        "data": lambda w: {"deadline": "2024-04-10"},
        "allowed": ("celina",),
        "done": lambda w: (
            str(w.publication.__class__.objects.get(pk=w.publication.pk).deadline) == "2024-04-10"
        ),
    },
    "ask for the central administrator's acceptance": {
        "url": lambda w: reverse("publications:acceptance", args=[w.publication.pk]),
        "data": lambda w: {"required": "yes"},
        "allowed": ("celina",),
        "done": lambda w: w.publication.__class__.objects.get(pk=w.publication.pk).needs_acceptance,
    },
    "accept an approved report": {
        "url": lambda w: reverse("review:accept", args=[w.approved.pk]),
        "data": lambda w: {},
        "allowed": ("celina",),
        "setup": lambda w: w.publication.__class__.objects.filter(pk=w.publication.pk).update(
            needs_acceptance=True
        ),
        "done": lambda w: Report.objects.get(pk=w.approved.pk).accepted_at is not None,
    },
    "withdraw an approval": {
        "url": lambda w: reverse("review:withdraw", args=[w.approved.pk]),
        "data": lambda w: {"reason": "Błąd w danych działu 1."},
        "allowed": ("celina",),
        "done": lambda w: Report.objects.get(pk=w.approved.pk).status == Status.SENT,
    },
    "activate an account": {
        "url": lambda w: reverse("accounts:application_detail", args=[w.application.pk]),
        "data": lambda w: {"action": "activate"},
        "allowed": ("wanda", "celina"),
        "done": lambda w: (
            w.application.user.__class__.objects.get(pk=w.application.user_id).is_active
        ),
    },
    "reject an application": {
        "url": lambda w: reverse("accounts:application_detail", args=[w.application.pk]),
        "data": lambda w: {"action": "reject", "reason": "Brak upoważnienia."},
        "allowed": ("wanda", "celina"),
        "done": lambda w: (
            w.application.__class__.objects.get(pk=w.application.pk).status
            == ApplicationStatus.REJECTED
        ),
    },
    "check a publication's reports again": {
        "url": lambda w: reverse("publications:recheck", args=[w.publication.pk]),
        "data": lambda w: {},
        "allowed": ("celina",),
        "done": lambda w: Job.objects.filter(title__startswith="Ponowne").exists(),
    },
    "remind the entities that have not sent": {
        "url": lambda w: reverse("completeness:remind", args=[w.publication.pk]),
        "data": lambda w: {},
        "allowed": ("olaf", "wanda", "celina"),
        "done": lambda w: Job.objects.filter(kind__endswith="send_reminders").exists(),
    },
    "answer the assignment survey": {
        "url": lambda w: reverse("publications:assignment_survey"),
        "setup": lambda w: Publication.objects.filter(pk=w.publication.pk).update(
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            assignment_question="Czy podmiot ma zespół ds. cyberbezpieczeństwa?",
        ),
        "data": lambda w: {f"pytanie_{w.publication.pk}": "tak"},
        "allowed": ("alice", "fiona", "charlie"),
        "done": lambda w: AssignmentAnswer.objects.exists(),
    },
    "exempt an obligation": {
        "url": lambda w: reverse("completeness:exempt", args=[w.clinic_obligation.pk]),
        "data": lambda w: {"reason": "Likwidacja podmiotu."},
        "allowed": ("olaf", "celina"),
        "done": lambda w: Obligation.objects.get(pk=w.clinic_obligation.pk).is_exempted,
    },
    "lift an exemption": {
        "url": lambda w: reverse("completeness:lift_exemption", args=[w.clinic_obligation.pk]),
        "setup": lambda w: Obligation.objects.filter(pk=w.clinic_obligation.pk).update(
            exempted_at=timezone.now(), exemption_reason="Likwidacja podmiotu."
        ),
        "data": lambda w: {},
        "allowed": ("olaf", "celina"),
        "done": lambda w: not Obligation.objects.get(pk=w.clinic_obligation.pk).is_exempted,
    },
    "preview and publish a form": {
        "url": lambda w: reverse("publications:publish") + f"?wersja={w.form_version.pk}",
        "data": lambda w: {
            "year": "2025",
            "deadline": "2026-03-31",
            "audience": "types",
            "entity_types": ["podmiot_leczniczy"],
            "voivodeships": ["14", "24"],
            "regons": "",
            "action": "preview",
        },
        "allowed": ("celina",),
        # A preview changes nothing; for Celina, the test then publishes what it showed.
        "done": lambda w: Publication.objects.filter(year=2025).exists(),
    },
    "ask for an export of the publication's data": {
        "url": lambda w: reverse("exports:publication", args=[w.publication.pk]),
        "data": lambda w: {"zawartosc": "dane", "format": "csv", "naglowek": "pl"},
        "allowed": ("olaf", "wanda", "celina", "anna"),
        "done": lambda w: Export.objects.exclude(pk=w.export.pk).exists(),
    },
    "ask for an export of the results table": {
        "url": lambda w: reverse("exports:table", args=[w.publication.pk]),
        "data": lambda w: {"cecha": "D1.W01.K2", "wedlug": "wojewodztwo", "format": "xlsx"},
        "allowed": ("olaf", "wanda", "celina", "anna"),
        "done": lambda w: Export.objects.exclude(pk=w.export.pk).exists(),
    },
    "revoke an API token": {
        "url": lambda w: reverse("tokens:revoke", args=[w.api_token.pk]),
        "data": lambda w: {},
        "allowed": ("alice",),
        "done": lambda w: ApiToken.objects.get(pk=w.api_token.pk).revoked_at is not None,
    },
    "create an API token": {
        "url": lambda w: reverse("tokens:list"),
        "data": lambda w: {"name": "ERP", "scope": "read", "days": "30"},
        # Each for herself; an analyst holds none.
        "allowed": ("alice", "fiona", "charlie", "piotr", "olaf", "wanda", "celina"),
        "done": lambda w: ApiToken.objects.filter(name="ERP").exists(),
    },
    "load a definition": {
        "url": lambda w: reverse("definitions:list"),
        "data": lambda w: {"file": _definition_file()},
        "allowed": ("celina",),
        "done": lambda w: FormVersion.objects.filter(definition__code="TEST-NEW").exists(),
    },
}

REFUSED = {"anonymous": {302}}  # to the log-in page; everyone else: 403 or 404


def _definition_file():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from reports.conftest import SURVEY

    source = SURVEY.replace("code: TEST-1", "code: TEST-NEW").encode()
    return SimpleUploadedFile("test-new.yaml", source, content_type="application/yaml")


def _post(client, world, verb: dict, member: str):
    as_member(client, world, member)
    if "setup" in verb:
        verb["setup"](world)
    data = verb["data_for"](world, member) if "data_for" in verb else verb["data"](world)
    response = client.post(verb["url"](world), data)
    if member == "celina" and verb is VERBS["preview and publish a form"]:
        key = response.context["preview"].key
        data = {**verb["data"](world), "action": "publish", "preview_key": key}
        response = client.post(verb["url"](world), data)
    return response


@pytest.mark.parametrize("verb_name", sorted(VERBS))
def test_nobody_else_can_do_it(client, world, verb_name):
    verb = VERBS[verb_name]
    for member in MEMBERS:
        if member in verb["allowed"]:
            continue
        response = _post(client, world, verb, member)
        refused = REFUSED.get(member, {403, 404})
        if member in verb.get("in_scope_only", ()):
            refused = {200, 302}
        assert response.status_code in refused, (verb_name, member, response.status_code)
        if member == "anonymous":
            assert response.url.startswith(reverse("accounts:login"))
        assert not verb["done"](world), f"{member} could {verb_name}"


@pytest.mark.parametrize(
    "verb_name,member",
    [(name, member) for name, verb in sorted(VERBS.items()) for member in verb["allowed"]],
)
def test_each_member_who_may_do_it_can(client, world, verb_name, member):
    verb = VERBS[verb_name]
    response = _post(client, world, verb, member)
    assert response.status_code in (200, 302), (verb_name, member, response.status_code)
    assert verb["done"](world), f"{member} could not {verb_name}"
