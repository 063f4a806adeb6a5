"""Malformed, oversized and hostile requests to every operation of the API, as a reporter's
system and as an office's: the answer is never a server error, every refusal is JSON with its
code, and no report other than the one the request names changes."""

import json
from urllib.parse import urlencode

import pytest
from access.conftest import MEMBERS
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from fuzz.harness import COUNTS, EXAMPLES, hostile_bytes, hostile_text
from fuzz.test_form_handlers import reports_state
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ssoz.api.core import api
from ssoz.api.tokens import create_token

OPERATIONS = sorted(
    (path, method.upper(), operation)
    for path, item in api.get_openapi_schema()["paths"].items()
    for method, operation in item.items()
)
CALLERS = ("alice", "celina")

json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False),
        hostile_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.one_of(hostile_text, st.sampled_from(["values", "units"])), inner, max_size=5
        ),
    ),
    max_leaves=20,
)


def _body(operation: dict):
    """A JSON body: the operation's own keys with hostile values, or anything at all."""
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    keys = ["revision", "values", "explanations", "collective", "units", "comment"]
    if "$ref" in schema.get("schema", {}):
        name = schema["schema"]["$ref"].rpartition("/")[2]
        keys = list(api.get_openapi_schema()["components"]["schemas"][name]["properties"])
    return st.one_of(json_value, st.dictionaries(st.sampled_from(keys), json_value, max_size=6))


def _on_cards(path: str) -> bool:
    """The operations on a report's cards act on the MZ/Szp-11B draft, as its card clerk."""
    return "/records" in path


def _path_value(world, name: str, path: str = ""):
    real = {
        "report_id": world.card_draft.pk if _on_cards(path) else world.draft.pk,
        "obligation_id": world.obligation.pk,
        "version_id": world.form_version.pk,
        "number": 1,
        "export_id": world.export.pk,
        "publication_id": world.publication.pk,
    }.get(name, 1)
    return st.one_of(
        st.just(str(real)),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.sampled_from(["0", "abc", "1.5", "%00", "1e9", "٣", "..", "9" * 40]),
    )


def _query(operation: dict):
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    return st.dictionaries(st.sampled_from([*names, "stray"]), hostile_text, max_size=4)


def _takes_file(operation: dict) -> bool:
    return "multipart/form-data" in operation.get("requestBody", {}).get("content", {})


def _request(world, path: str, operation: dict):
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
    return st.fixed_dictionaries(
        {
            "path": st.fixed_dictionaries({n: _path_value(world, n, path) for n in names}),
            "query": _query(operation),
            "body": _body(operation),
            "raw": st.one_of(st.none(), st.binary(max_size=300)),
            # An operation that takes a file gets one, of any content and name, mostly.
            "file": st.one_of(
                st.none(),
                st.tuples(hostile_bytes, st.sampled_from(["w.csv", "w.xlsx", "w", "w.png"])),
            )
            if _takes_file(operation)
            else st.none(),
        }
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "path,method,operation", OPERATIONS, ids=[f"{m} {p}" for p, m, _o in OPERATIONS]
)
def test_hostile_requests_never_give_a_server_error_nor_touch_other_reports(
    client, world, caller, path, method, operation
):
    assert caller in MEMBERS
    if _on_cards(path) and caller == "alice":
        caller = "piotr"
    secret = create_token(actor=world.members[caller], name="fuzz", scope="write", days=30)
    headers = {"Authorization": f"Bearer {secret.secret}"}
    COUNTS["handlers"] += 1

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(request=_request(world, path, operation))
    def send(request):
        url = path.format(**request["path"])
        report = world.card_draft if _on_cards(path) else world.draft
        touched = {report.pk} if "{report_id}" in path else set()
        before = reports_state(touched)
        if method == "GET":
            response = client.get(url, request["query"], headers=headers)
        elif request["file"] is not None:
            content, name = request["file"]
            response = client.post(
                f"{url}?{urlencode(request['query'])}",
                {"file": SimpleUploadedFile(name, content)},
                headers=headers,
            )
        else:
            body = request["raw"] if request["raw"] is not None else json.dumps(request["body"])
            response = client.generic(
                method, url, body, content_type="application/json", headers=headers
            )
        COUNTS["posts"] += 1
        if response.status_code >= 500:
            COUNTS["server_errors"] += 1
        assert response.status_code < 500, (method, url, request)
        if response.status_code >= 400:
            assert response.json()["error"], (method, url, response.content)
        assert reports_state(touched) == before, f"{method} {url} changed another report"

    send()


def test_an_api_body_over_the_limit_is_refused_as_json(client, world):
    secret = create_token(actor=world.members["alice"], name="fuzz", scope="write", days=30)
    huge = b"x" * (django_settings.REQUEST_MAX_BYTES + 1)
    response = client.generic(
        "PATCH",
        f"/api/v1/reports/{world.draft.pk}/values",
        huge,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret.secret}"},
    )
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    big = json.dumps({"values": {"A_NOTE": "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE}})
    response = client.generic(
        "PATCH",
        f"/api/v1/reports/{world.draft.pk}/values",
        big,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret.secret}"},
    )
    assert response.status_code in (400, 413) and response.json()["error"]
