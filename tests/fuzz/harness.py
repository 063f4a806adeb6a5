"""Every form handler of SSOZ, registered with what it takes and who may use it, and the
values the harness sends it: malformed, oversized and hostile.

A page added later registers its handler here (`register`); the harness then posts to it with
the rest. `test_every_page_that_takes_input_has_a_handler` fails until it does.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import strategies as st

# Short in the test suite; the long run is `SSOZ_FUZZ_EXAMPLES=1000 ./scripts/test tests/fuzz`.
EXAMPLES = int(os.environ.get("SSOZ_FUZZ_EXAMPLES", "15"))
COUNTS = {"handlers": 0, "posts": 0, "server_errors": 0}


@dataclass(frozen=True)
class Handler:
    """A page that takes input: how to reach it, as whom, its field names, and the reports
    it may change (every other report must stay as it is)."""

    name: str
    url_name: str
    url: Callable
    member: str
    fields: tuple[str, ...]
    method: str = "post"
    files: tuple[str, ...] = ()
    changes: Callable = field(default=lambda world: set())


HANDLERS: list[Handler] = []


def register(handler: Handler) -> Handler:
    HANDLERS.append(handler)
    return handler


def _survey_url(world) -> str:
    """The assignment survey, with a question asked about the world's publication."""
    from django.utils import timezone

    from ssoz.publications.models import Publication

    Publication.objects.filter(pk=world.publication.pk).update(
        deadline=timezone.localdate() + timedelta(days=30),
        assignment_question="Czy podmiot ma zespół ds. cyberbezpieczeństwa?",
    )
    return reverse("publications:assignment_survey")


def _report(world, attribute="draft") -> set[int]:
    return {getattr(world, attribute).pk}


def _zero_draft(world) -> set[int]:
    return _report(world, "zero_draft")


def _card_draft(world) -> set[int]:
    return _report(world, "card_draft")


CARD_FIELDS = ("PESEL", "SEX", "BIRTH_DATE", "ADMISSION_DATE", "DISCHARGE_DATE", "DIAGNOSIS")
REPORT_FIELDS = ("A_TEAM", "A_SIZE", "A_NOTE", "D1.W01.K2", "D1.W01.K3", "D1.W02.K2", "D1.W01.K1")
for handler in (
    Handler("log-in", "accounts:login", lambda w: reverse("accounts:login"), "anonymous",
            ("login", "password", "next")),
    Handler("registration", "accounts:register", lambda w: reverse("accounts:register"),
            "anonymous",
            ("first_name", "last_name", "email", "phone", "username", "password1", "password2",
             "entity_type", "regon", "register_book", "entity", "privacy_accepted",
             "financial_reports", "psychiatric_card_only", "captcha_0", "captcha_1",
             "captcha_mode", "action")),
    Handler("registration look-up", "accounts:register", lambda w: reverse("accounts:register"),
            "anonymous", ("regon", "register_book", "entity_type", "entity", "kod"),
            method="get"),
    Handler("„przypomnij hasło”", "accounts:password_reminder",
            lambda w: reverse("accounts:password_reminder"), "anonymous", ("identifier",)),
    Handler("password change", "accounts:change_password",
            lambda w: reverse("accounts:change_password"), "alice",
            ("old_password", "new_password1", "new_password2")),
    Handler("application decision", "accounts:application_detail",
            lambda w: reverse("accounts:application_detail", args=[w.application.pk]), "wanda",
            ("action", "reason", "scan"), files=("scan",)),
    Handler("applications list", "accounts:application_list",
            lambda w: reverse("accounts:application_list"), "wanda", ("stan",), method="get"),
    Handler("report page save and verify", "reports:detail",
            lambda w: reverse("reports:detail", args=[w.draft.pk]), "alice",
            (*REPORT_FIELDS, "revision", "action", "explanation:R1", "explanation:X"),
            changes=_report),
    Handler("report page read", "reports:detail",
            lambda w: reverse("reports:detail", args=[w.draft.pk]), "alice", ("weryfikacja",),
            method="get"),
    Handler("background save", "reports:autosave",
            lambda w: reverse("reports:autosave", args=[w.draft.pk]), "alice",
            (*REPORT_FIELDS, "revision", "explanation:R1"), changes=_report),
    Handler("values from a file", "reports:upload",
            lambda w: reverse("reports:upload", args=[w.draft.pk]), "alice", ("file",),
            files=("file",), changes=_report),
    Handler("values from a file applied", "reports:upload_apply",
            lambda w: reverse("reports:upload_apply", args=[w.draft.pk]), "alice",
            ("preview_key",), changes=_report),
    Handler("„Dodaj kartę”", "reports:record_new",
            lambda w: reverse("reports:record_new", args=[w.card_draft.pk]), "piotr",
            (*CARD_FIELDS, "explanation:TRANSFER_NOT_FIRST"), changes=_card_draft),
    Handler("„Zapisz kartę”", "reports:record",
            lambda w: reverse("reports:record", args=[w.card_draft.pk, 1]), "piotr",
            (*CARD_FIELDS, "explanation:TRANSFER_NOT_FIRST", "explanation:X"),
            changes=_card_draft),
    Handler("„Usuń kartę”", "reports:record_remove",
            lambda w: reverse("reports:record_remove", args=[w.card_draft.pk, 1]), "piotr",
            ("confirm",), changes=_card_draft),
    Handler("cards list", "reports:records",
            lambda w: reverse("reports:records", args=[w.card_draft.pk]), "piotr",
            ("bledy", "strona"), method="get"),
    Handler("cards from a file", "reports:records_upload",
            lambda w: reverse("reports:records_upload", args=[w.card_draft.pk]), "piotr",
            ("file",), files=("file",), changes=_card_draft),
    Handler("cards from a file applied", "reports:records_upload_apply",
            lambda w: reverse("reports:records_upload_apply", args=[w.card_draft.pk]), "piotr",
            ("preview_key",), changes=_card_draft),
    Handler("send", "reports:send", lambda w: reverse("reports:send", args=[w.draft.pk]),
            "alice", ("confirm",), changes=_report),
    Handler("send as a zero report", "reports:send_zero",
            lambda w: reverse("reports:send_zero", args=[w.zero_draft.pk]), "alice",
            ("confirm",), changes=_zero_draft),
    Handler("„aktywuj” window", "reports:obligation",
            lambda w: reverse("reports:obligation", args=[w.clinic_obligation.pk]), "charlie",
            ("action",)),
    Handler("„aktywuj” in the list", "reports:activate",
            lambda w: reverse("reports:activate", args=[w.clinic_obligation.pk]), "charlie",
            ("action",)),
    Handler("collectively or per unit", "reports:choose_level",
            lambda w: reverse("reports:choose_level", args=[w.obligation.pk]), "alice",
            ("action", "units")),
    Handler("reports list", "reports:list", lambda w: reverse("reports:list"), "alice",
            ("rodzaj", "stan", "rok", "strona"), method="get"),
    Handler("versions compared", "reports:versions",
            lambda w: reverse("reports:versions", args=[w.report.pk]), "alice", ("a", "b"),
            method="get"),
    Handler("review queue", "review:queue", lambda w: reverse("review:queue"), "celina",
            ("stan", "formularz", "rok", "wojewodztwo", "powiat", "typ", "ostrzezenia", "szukaj",
             "sortuj", "strona"), method="get"),
    Handler("approve", "review:approve",
            lambda w: reverse("review:approve", args=[w.report.pk]), "wanda",
            ("note", "confirm"),
            changes=lambda w: {w.report.pk}),
    Handler("approve without warnings", "review:bulk_approve",
            lambda w: reverse("review:bulk_approve"), "wanda",
            ("confirm", "formularz", "rok", "powiat", "typ", "ostrzezenia", "szukaj"),
            changes=lambda w: {w.report.pk}),
    Handler("return for correction", "review:return",
            lambda w: reverse("review:return", args=[w.report.pk]), "wanda", ("comment",),
            changes=lambda w: {w.report.pk}),
    Handler("reopen", "review:reopen", lambda w: reverse("review:reopen", args=[w.approved.pk]),
            "wanda", ("comment",), changes=lambda w: {w.approved.pk}),
    Handler("accept", "review:accept", lambda w: reverse("review:accept", args=[w.approved.pk]),
            "celina", (), changes=lambda w: {w.approved.pk}),
    Handler("ask for a correction", "reports:request_reopening",
            lambda w: reverse("reports:request_reopening", args=[w.approved.pk]), "alice",
            ("reason",), changes=lambda w: {w.approved.pk}),
    Handler("paper report", "reports:paper",
            lambda w: reverse("reports:paper", args=[w.obligation.pk]), "wanda", ()),
    Handler("close a period", "publications:close",
            lambda w: reverse("publications:close", args=[w.publication.pk]), "celina",
            ("closed",)),
    Handler("deadline", "publications:deadline",
            lambda w: reverse("publications:deadline", args=[w.publication.pk]), "celina",
            ("deadline",)),
    Handler("acceptance of a publication", "publications:acceptance",
            lambda w: reverse("publications:acceptance", args=[w.publication.pk]), "celina",
            ("required",)),
    Handler("withdraw an approval", "review:withdraw",
            lambda w: reverse("review:withdraw", args=[w.approved.pk]), "celina", ("reason",),
            changes=lambda w: {w.approved.pk}),
    Handler("publishing", "publications:publish",
            lambda w: reverse("publications:publish") + f"?wersja={w.form_version.pk}", "celina",
            ("year", "quarter", "deadline", "preliminary_deadline", "audience", "entity_types",
             "voivodeships", "activity_codes", "specialty_codes", "nfz_contract",
             "excluded_legal_forms", "assignment_question", "regons", "action",
             "preview_key")),
    Handler("publishing: version chooser", "publications:publish",
            lambda w: reverse("publications:publish"), "celina", ("wersja",), method="get"),
    Handler("the programme's year", "publications:list",
            lambda w: reverse("publications:list"), "celina", ("rok",), method="get"),
    Handler("check again", "publications:recheck",
            lambda w: reverse("publications:recheck", args=[w.publication.pk]), "celina", ()),
    Handler("completeness counts", "completeness:summary",
            lambda w: reverse("completeness:summary", args=[w.publication.pk]), "celina",
            ("grupuj", "wojewodztwo"), method="get"),
    Handler("not reported list", "completeness:not_reported",
            lambda w: reverse("completeness:not_reported", args=[w.publication.pk]), "wanda",
            ("stan", "typ", "powiat", "wojewodztwo", "strona"), method="get"),
    Handler("not reported CSV", "completeness:not_reported_csv",
            lambda w: reverse("completeness:not_reported_csv", args=[w.publication.pk]),
            "celina", ("stan", "typ", "powiat", "wojewodztwo"), method="get"),
    Handler("reminder", "completeness:remind",
            lambda w: reverse("completeness:remind", args=[w.publication.pk]), "celina",
            ("wojewodztwo",)),
    Handler("assignment survey", "publications:assignment_survey", _survey_url, "alice",
            ("pytanie", "next")),
    Handler("aggregates", "results:aggregate",
            lambda w: reverse("results:aggregate", args=[w.publication.pk]), "wanda",
            ("cecha", "wedlug", "kolumny", "zakres", "wszystkie", "format"), method="get"),
    Handler("export of the publication's data", "exports:publication",
            lambda w: reverse("exports:publication", args=[w.publication.pk]), "wanda",
            ("zawartosc", "format", "naglowek", "wszystkie")),
    Handler("export of the results table", "exports:table",
            lambda w: reverse("exports:table", args=[w.publication.pk]), "wanda",
            ("cecha", "wedlug", "kolumny", "zakres", "wszystkie", "format")),
    Handler("survey results", "results:survey",
            lambda w: reverse("results:survey", args=[w.survey_report.publication_id]), "wanda",
            ("zakres", "wszystkie", "szukaj", "podmiot", "tabela", "format"), method="get"),
    Handler("reporter's survey results", "results:survey_report",
            lambda w: reverse("results:survey_report", args=[w.survey_report.pk]), "alice",
            ("format",), method="get"),
    Handler("exemption", "completeness:exempt",
            lambda w: reverse("completeness:exempt", args=[w.clinic_obligation.pk]), "celina",
            ("reason",)),
    Handler("exempted list", "completeness:exempted",
            lambda w: reverse("completeness:exempted", args=[w.publication.pk]), "wanda",
            ("strona",), method="get"),
    Handler("lift an exemption", "completeness:lift_exemption",
            lambda w: reverse("completeness:lift_exemption", args=[w.clinic_obligation.pk]),
            "celina", ()),
    Handler("definition upload", "definitions:list", lambda w: reverse("definitions:list"),
            "celina", ("file", "check_only"), files=("file",)),
    Handler("session keep-alive", "portal:keep_alive", lambda w: reverse("portal:keep_alive"),
            "alice", ()),
    Handler("language", "set_language", lambda w: reverse("set_language"), "alice",
            ("language", "next")),
    Handler("API token creation", "tokens:list", lambda w: reverse("tokens:list"), "alice",
            ("name", "scope", "days")),
    Handler("API token revocation", "tokens:revoke",
            lambda w: reverse("tokens:revoke", args=[w.api_token.pk]), "alice", ()),
    Handler("log-out", "accounts:logout", lambda w: reverse("accounts:logout"), "alice", ()),
):  # fmt: skip
    register(handler)

# Values a careless or hostile sender types: numbers far out of range, text far too long,
# markup, injections, format strings, control and direction characters, nothing at all.
SPECIAL = (
    "", " ", "0", "-1", "1.5", "1,5", "1e309", "NaN", "-0", "9" * 25_000, str(10**30), "²", "٣",
    "x" * 30_000, "<script>alert(1)</script>", "'; DROP TABLE reports_report; --",
    "../../../etc/passwd", "%(x)s %s {0} {x}", "\x00", "a\x00b", "\u202eevil", "🙂" * 500,
    "tak", "nie", "true", "null", "[]", "{}", "2023-02-30", "31.12.9999", "https://ssoz.example/",
    "javascript:alert(1)", "//evil.example", "\r\n\r\nSet-Cookie: x=1",
)  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=4))
hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(
        [
            b"",
            b"PK\x03\x04" + b"\x00" * 100,
            b"\xff\xfe",
            b"format: ssoz-form/1\n",
            b'kod;warto\xc5\x9b\xc4\x87\nD1.W01.K2;12\nA_NOTE;"a;b"\nX;"',
            b"D1.W01.K2,1e999\n",
        ]
    ),
)


def form_data(handler: Handler, world=None):
    """A strategy for what is sent to the handler: its own fields and a stray one, with any
    of the hostile values; an uploaded file where it takes one. A field named `pytanie` is
    the assignment survey's question about the world's publication."""
    fields = tuple(
        f"pytanie_{world.publication.pk}" if name == "pytanie" and world else name
        for name in handler.fields
    )
    keys = st.sampled_from((*fields, "stray"))
    values = st.dictionaries(keys, hostile_value, max_size=len(fields) + 1)
    if not handler.files:
        return values
    files = st.fixed_dictionaries(
        {
            name: st.builds(
                lambda content, suffix: SimpleUploadedFile(f"plik{suffix}", content),
                hostile_bytes,
                st.sampled_from([".yaml", ".xlsx", ".csv", ".pdf", ".png", ""]),
            )
            for name in handler.files
        }
    )
    return st.builds(lambda data, uploads: {**data, **uploads}, values, files)
