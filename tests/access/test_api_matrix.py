"""The access matrix of the API: every operation of the OpenAPI document, asked by each
member of the cast with a read-and-write token of her own (the anonymous caller and Anna,
who may hold no token, call without one). The API fetches and changes through the same
access rule as the pages, so its answers follow the pages' rows."""

import pytest
from access.conftest import CARD, MEMBERS, card_preview_key, preview_key
from django.core.files.uploadedfile import SimpleUploadedFile

from ssoz.api.core import api
from ssoz.api.tokens import create_token, may_hold_tokens
from ssoz.exports.models import Export
from ssoz.reports.models import Report, ReportEvent, Status

OK, NO_TOKEN = 200, 401
EVERY_HOLDER = (NO_TOKEN, OK, OK, OK, OK, OK, OK, OK, NO_TOKEN)
REPORT = (NO_TOKEN, OK, OK, 404, 404, 404, OK, OK, NO_TOKEN)
FINANCIAL_REPORT = (NO_TOKEN, 404, OK, 404, 404, 404, OK, OK, NO_TOKEN)
# A form's definition: whoever sees a publication of it, and administrators.
DEFINITION = (NO_TOKEN, OK, OK, OK, 404, OK, OK, OK, NO_TOKEN)
# The review queue and completeness: administrators only, each within her voivodeship.
ADMINISTRATORS = (NO_TOKEN, 403, 403, 403, 403, OK, OK, OK, NO_TOKEN)
# The cards of MZ/Szp-11B: the hospital's card accounts and its administrators.
CARDS = (NO_TOKEN, 404, 404, 404, OK, 404, OK, OK, NO_TOKEN)
# Celina's export: hers alone; nobody else learns that it exists.
HER_EXPORT = (NO_TOKEN, 404, 404, 404, 404, 404, 404, OK, NO_TOKEN)

READS = {
    "GET /api/v1/reports": ("", EVERY_HOLDER),
    "GET /api/v1/obligations": ("", EVERY_HOLDER),
    "GET /api/v1/reports/{report_id}": ("report", REPORT),
    "GET /api/v1/reports/{report_id}@financial": ("financial_report", FINANCIAL_REPORT),
    "GET /api/v1/reports/{report_id}/versions/{number}/pdf": ("report", REPORT),
    "GET /api/v1/reports/{report_id}/versions/{number}/pdf@financial": (
        "financial_report",
        FINANCIAL_REPORT,
    ),
    "GET /api/v1/reports/{report_id}/records": ("card_report", CARDS),
    "GET /api/v1/reports/{report_id}/records/{number}": ("card_report", CARDS),
    "GET /api/v1/forms/{version_id}": ("form_version", DEFINITION),
    "GET /api/v1/forms/{version_id}/template.csv": ("form_version", DEFINITION),
    "GET /api/v1/forms/{version_id}/template.xlsx": ("form_version", DEFINITION),
    "GET /api/v1/review": ("", ADMINISTRATORS),
    "GET /api/v1/completeness": ("", ADMINISTRATORS),
    "GET /api/v1/exports/{export_id}": ("export", HER_EXPORT),
    "GET /api/v1/exports/{export_id}/file": ("export", HER_EXPORT),
}
# The query a read needs, from the world.
QUERIES = {
    "GET /api/v1/completeness": lambda world: {"publication": world.publication.pk},
}


def _events(world, attribute: str, kind: str) -> bool:
    report = getattr(world, attribute)
    return ReportEvent.objects.filter(report=report, kind=kind, api_token__isnull=False).exists()


def _report(world, attribute: str) -> Report:
    return Report.objects.get(pk=getattr(world, attribute).pk)


# Each verb: its operation, the object it acts on, its body, who may, and how to tell it
# took effect.
VERBS = {
    "write values of a draft": {
        "operation": "PATCH /api/v1/reports/{report_id}/values",
        "on": "draft",
        "body": {"values": {"A_NOTE": "z API"}},
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report(w, "draft").values.get("A_NOTE") == "z API",
    },
    "write values of a financial draft": {
        "operation": "PATCH /api/v1/reports/{report_id}/values",
        "on": "financial_draft",
        "body": {"values": {"A_NOTE": "z API"}},
        "allowed": ("fiona",),
        "done": lambda w: _report(w, "financial_draft").values.get("A_NOTE") == "z API",
    },
    "upload a file of values to a draft and apply it at once": {
        "operation": "POST /api/v1/reports/{report_id}/upload",
        "on": "draft",
        "query": "?apply=true",
        "file": b"A_NOTE;z pliku\n",
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report(w, "draft").values.get("A_NOTE") == "z pliku",
    },
    # The key of a preview of the member's own where she may make one, else Alice's.
    "apply a previewed file of values": {
        "operation": "POST /api/v1/reports/{report_id}/upload/{preview_key}/apply",
        "on": "draft",
        "key": lambda w, member: preview_key(w, member, "draft"),
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report(w, "draft").values.get("A_NOTE") == "z pliku",
    },
    "add a card": {
        "operation": "POST /api/v1/reports/{report_id}/records",
        "on": "card_draft",
        "body": {"values": CARD},
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.count() == 2,
    },
    "change a card": {
        "operation": "PUT /api/v1/reports/{report_id}/records/{number}",
        "on": "card_draft",
        "body": {"values": {**CARD, "DISCHARGE_DATE": "2026-11-06"}},
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.get().values["DISCHARGE_DATE"] == "2026-11-06",
    },
    "remove a card": {
        "operation": "DELETE /api/v1/reports/{report_id}/records/{number}",
        "on": "card_draft",
        "allowed": ("piotr",),
        "done": lambda w: not w.card_draft.records.exists(),
    },
    "upload a file of cards and apply it at once": {
        "operation": "POST /api/v1/reports/{report_id}/records/upload",
        "on": "card_draft",
        "query": "?apply=true",
        "file": b"PESEL;DISCHARGE_DATE\n44051401359;2026-11-03\n44051401359;2026-11-04\n",
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.count() == 2,
    },
    "apply a previewed file of cards": {
        "operation": "POST /api/v1/reports/{report_id}/records/upload/{preview_key}/apply",
        "on": "card_draft",
        "key": lambda w, member: card_preview_key(w, member),
        "allowed": ("piotr",),
        "done": lambda w: w.card_draft.records.count() == 2,
    },
    "verify a draft": {
        "operation": "POST /api/v1/reports/{report_id}/verify",
        "on": "draft",
        "allowed": ("alice", "fiona"),
        "done": lambda w: _events(w, "draft", ReportEvent.Kind.VERIFIED),
    },
    "verify a financial draft": {
        "operation": "POST /api/v1/reports/{report_id}/verify",
        "on": "financial_draft",
        "allowed": ("fiona",),
        "done": lambda w: _events(w, "financial_draft", ReportEvent.Kind.VERIFIED),
    },
    "send a draft": {
        "operation": "POST /api/v1/reports/{report_id}/send",
        "on": "draft",
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report(w, "draft").status == Status.SENT,
    },
    "send a financial draft": {
        "operation": "POST /api/v1/reports/{report_id}/send",
        "on": "financial_draft",
        "allowed": ("fiona",),
        "done": lambda w: _report(w, "financial_draft").status == Status.SENT,
    },
    "send a draft as a zero report": {
        "operation": "POST /api/v1/reports/{report_id}/send-zero",
        "on": "zero_draft",
        "allowed": ("alice", "fiona"),
        "done": lambda w: _report(w, "zero_draft").is_zero,
    },
    "create the clinic's report": {
        "operation": "POST /api/v1/obligations/{obligation_id}/reports",
        "on": "clinic_obligation",
        "body": {"collective": True},
        "allowed": ("charlie",),
        "done": lambda w: w.clinic_obligation.reports.exists(),
    },
    "approve a sent report": {
        "operation": "POST /api/v1/reports/{report_id}/approve",
        "on": "report",
        "body": {"comment": "Dziękujemy."},
        "allowed": ("wanda", "celina"),
        "ready": lambda w: _report(w, "report").status == Status.SENT,
        "done": lambda w: (
            _report(w, "report").status == Status.APPROVED
            and _events(w, "report", ReportEvent.Kind.APPROVED)
        ),
    },
    "return a sent report for correction": {
        "operation": "POST /api/v1/reports/{report_id}/return",
        "on": "report",
        "body": {"comment": "Popraw liczbę lekarzy."},
        "allowed": ("wanda", "celina"),
        "ready": lambda w: _report(w, "report").status == Status.SENT,
        "done": lambda w: (
            _report(w, "report").status == Status.RETURNED
            and _events(w, "report", ReportEvent.Kind.RETURNED)
        ),
    },
    # Whoever may export on the page: every administrator (the analyst holds no token).
    "ask for an export": {
        "operation": "POST /api/v1/exports",
        "on": "",
        "body": lambda w: {"publication": w.publication.pk, "format": "csv"},
        "allowed": ("olaf", "wanda", "celina"),
        "done": lambda w: Export.objects.exclude(pk=w.export.pk).exists(),
    },
}


def operations() -> set[str]:
    """ "METHOD path" of every operation in the OpenAPI document."""
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item}


def test_every_operation_is_in_the_matrix():
    classified = {key.partition("@")[0] for key in READS} | {
        verb["operation"] for verb in VERBS.values()
    }
    assert operations() == classified
    for key, (_target, answers) in READS.items():
        assert len(answers) == len(MEMBERS), key


def _headers(world, member: str) -> dict:
    user = world.members.get(member)
    if user is None or not may_hold_tokens(user):
        return {}
    secret = create_token(actor=user, name="matrix", scope="write", days=30).secret
    return {"Authorization": f"Bearer {secret}"}


def _url(world, operation: str, target: str, key: str = "none") -> str:
    path = operation.partition(" ")[2]
    obj = getattr(world, target) if target else None
    return path.format(
        report_id=getattr(obj, "pk", 0),
        obligation_id=getattr(obj, "pk", 0),
        export_id=getattr(obj, "pk", 0),
        version_id=world.form_version.pk,
        number=1,
        preview_key=key,
    )


@pytest.mark.parametrize("member", MEMBERS)
def test_every_read_answers_each_member_as_the_access_rule_says(client, world, member):
    headers = _headers(world, member)
    wrong = []
    for key, (target, answers) in READS.items():
        operation = key.partition("@")[0]
        url = _url(world, operation, target)
        query = QUERIES[operation](world) if operation in QUERIES else {}
        got = client.get(url, query, headers=headers).status_code
        if got != answers[MEMBERS.index(member)]:
            wrong.append(f"{key} {url}: expected {answers[MEMBERS.index(member)]}, got {got}")
    assert not wrong, f"{member}:\n" + "\n".join(wrong)


def _call(client, world, verb: dict, member: str):
    method, _space, path = verb["operation"].partition(" ")
    send = getattr(client, method.lower())
    body = verb.get("body", {})
    key = verb["key"](world, member) if "key" in verb else "none"
    url = _url(world, verb["operation"], verb["on"], key) + verb.get("query", "")
    if "file" in verb:
        upload = SimpleUploadedFile("wartosci.csv", verb["file"])
        return client.post(url, {"file": upload}, headers=_headers(world, member))
    return send(
        url,
        body(world) if callable(body) else body,
        content_type="application/json",
        headers=_headers(world, member),
    )


@pytest.mark.parametrize("verb_name", sorted(VERBS))
def test_nobody_else_can_do_it_through_the_api(client, world, verb_name):
    verb = VERBS[verb_name]
    for member in MEMBERS:
        if member in verb["allowed"]:
            continue
        response = _call(client, world, verb, member)
        assert response.status_code in {401, 403, 404}, (verb_name, member, response.content)
        assert response.json()["error"], (verb_name, member)
        assert not verb["done"](world), f"{member} could {verb_name}"


@pytest.mark.parametrize(
    "verb_name,member",
    [(name, member) for name, verb in sorted(VERBS.items()) for member in verb["allowed"]],
)
def test_each_member_who_may_do_it_can_through_the_api(client, world, verb_name, member):
    verb = VERBS[verb_name]
    assert verb.get("ready", lambda w: True)(world), f"{verb_name}: the world is not ready"
    response = _call(client, world, verb, member)
    assert response.status_code in (200, 201, 202, 204), (verb_name, member, response.content)
    assert verb["done"](world), f"{member} could not {verb_name}"
