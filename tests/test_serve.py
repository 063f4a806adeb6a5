"""The production profile starts with its one command: ./scripts/serve runs gunicorn with
DEBUG=0 and the task worker, and serves the pages and the static files."""

import json

import background
import pytest
from background import fetch, free_port


@pytest.fixture
def served(tmp_path):
    with background.served(background.production_environment(tmp_path, free_port())) as base:
        yield base, tmp_path


def test_the_production_profile_serves_pages_and_static_files(served):
    base, var_dir = served
    status, headers, body = fetch(base + "/info.html")
    assert status == 200
    assert len(headers.get("X-Request-ID", "")) == 32
    # Ready: the database answers and the worker beside the server takes the tasks.
    status, _headers, body = fetch(base + "/zdrowie/gotowy")
    assert status == 200 and json.loads(body)["ok"] is True
    status, _headers, body = fetch(base + "/info.html")
    page = body.decode()
    assert "System Statystyki w Ochronie Zdrowia" in page
    # Static files come from whitenoise under their hashed names, cached for good.
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/css/ssoz.") and stylesheet != "/static/css/ssoz.css"
    status, headers, _ = fetch(base + stylesheet)
    assert status == 200
    assert "max-age=315360000" in headers.get("Cache-Control", "")
    # Production mode: no debug page, and a secret key kept for the next start.
    status, _headers, body = fetch(base + "/nie-ma-takiej-strony/")
    assert status == 404 and b"Traceback" not in body and b"URLconf" not in body
    assert (var_dir / "secret-key").stat().st_mode & 0o077 == 0
