"""schemathesis against the OpenAPI document of the running production profile: generated
requests to every operation, as a reporter's system and as an office's, never get a server
error nor an answer outside the document (its status codes, content types and schemas).

Short here; the long run is `SSOZ_SCHEMATHESIS_EXAMPLES=500 ./scripts/test tests/api`."""

import os
import subprocess
from pathlib import Path

import pytest
from background import ROOT, free_port, production_environment, served

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


def manage(env: dict, *arguments: str) -> str:
    done = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *arguments],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},  # the set-up, before the server starts in production mode
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data served by ./scripts/serve, with a read-and-write token of its clerk
    (`sprawozdawca`) and of its Mazovian office (`admin.14`)."""
    var_dir: Path = tmp_path_factory.mktemp("api-run")
    env = production_environment(var_dir, free_port(), API_REQUESTS_PER_MINUTE="1000000", DEBUG="0")
    env.setdefault("SECRET_KEY", "api-run-" + "x" * 60)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_demo")
    secrets = {
        username: manage(env, "create_api_token", username, "--name", "run", "--scope", "write")
        for username in ("sprawozdawca", "admin.14")
    }
    with served(env) as base:
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
