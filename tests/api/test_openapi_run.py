"""schemathesis against the OpenAPI document of the running production profile: generated
requests to every operation, as a reporter's system and as an office's, never get a server
error nor an answer outside the document (its status codes, content types and schemas).

Short here; the long run is `SSOZ_SCHEMATHESIS_EXAMPLES=500 ./scripts/test tests/api`."""

import os
import subprocess

import pytest
from api.conftest import demo_server
from background import ROOT

EXAMPLES = os.environ.get("SSOZ_SCHEMATHESIS_EXAMPLES", "25")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data served by ./scripts/serve, with a read-and-write token of its clerk
    (`sprawozdawca`) and of its Mazovian office (`admin.14`)."""
    var_dir = tmp_path_factory.mktemp("api-run")
    with demo_server(var_dir, ("sprawozdawca", "admin.14")) as (base, secrets):
        yield base, secrets, var_dir


@pytest.mark.parametrize("username", ["sprawozdawca", "admin.14"])
def test_generated_requests_get_no_server_error_and_only_documented_answers(demo, username):
    base, secrets, var_dir = demo
    run = subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "schemathesis"),
            "run",
            f"{base}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {secrets[username]}",
            "--checks",
            CHECKS,
            "--max-examples",
            EXAMPLES,
            "--seed",
            "20261203",
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--report-dir",
            str(var_dir / f"report-{username}"),
        ],
        cwd=var_dir,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )
    print(run.stdout[-4000:])
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
