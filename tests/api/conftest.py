import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from background import ROOT, free_port, production_environment, served
from reports.conftest import (  # noqa: F401
    SURVEY,
    card_report,
    obligation,
    publication,
    report,
    survey,
)

from ssoz.api import tokens
from ssoz.api.models import ApiToken


class ApiClient:
    """A system calling the API with one token: `get`, `post`, `patch` answer the response,
    whose `.json()` is the body."""

    def __init__(self, client, secret: str) -> None:
        self.client = client
        self.secret = secret

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.secret}", **(headers or {})}

    def get(self, path: str, headers: dict | None = None, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def _send(self, method: str, path: str, body, headers: dict | None):
        send = getattr(self.client, method)
        return send(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path: str, body=None, headers: dict | None = None):
        return self._send("post", path, body, headers)

    def patch(self, path: str, body=None, headers: dict | None = None):
        return self._send("patch", path, body, headers)

    def put(self, path: str, body=None, headers: dict | None = None):
        return self._send("put", path, body, headers)

    def delete(self, path: str, headers: dict | None = None):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))


def token_of(user, *, scope: str = ApiToken.Scope.WRITE, days: int = 90) -> tokens.NewToken:
    return tokens.create_token(actor=user, name=f"HIS of {user.username}", scope=scope, days=days)


@pytest.fixture
def api_as(client):
    """`api_as(user)`: a client calling with a new read-and-write token of `user`;
    `api_as(user, scope="read")` with a read token."""

    def make(user, **options) -> ApiClient:
        return ApiClient(client, token_of(user, **options).secret)

    return make


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


@contextmanager
def demo_server(var_dir: Path, usernames: tuple[str, ...]) -> Iterator[tuple[str, dict]]:
    """./scripts/serve (production profile) over the demo data in `var_dir`, with a
    read-and-write token of each of `usernames`: yields the base URL and the secrets."""
    env = production_environment(var_dir, free_port(), API_REQUESTS_PER_MINUTE="1000000")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_demo")
    secrets = {
        username: manage(env, "create_api_token", username, "--name", "run", "--scope", "write")
        for username in usernames
    }
    with served(env) as base:
        yield base, secrets


__all__ = ["SURVEY", "obligation", "publication", "report", "survey"]
