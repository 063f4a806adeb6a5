"""The production profile starts with its one command: ./scripts/serve runs gunicorn with
DEBUG=0 and the task worker, and serves the pages and the static files."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from background import free_port

ROOT = Path(__file__).resolve().parents[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SSOZ_NO_INSTALL": "1",
        "SSOZ_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SSOZ_ADDRESS": f"127.0.0.1:{port}",
        "SSOZ_WORKERS": "2",
    }
    env.pop("SECRET_KEY", None)
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if fetch(base + "/zdrowie/zyje")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read().decode() if process.stdout else ""
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"./scripts/serve did not start:\n{output[-3000:]}")
        time.sleep(0.25)
    yield base, tmp_path
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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
