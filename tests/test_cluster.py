"""Several application servers behind nginx share one database: ./scripts/cluster starts two
servers, the task worker and the proxy, and a logged-in clerk is served by both, with one
request id in the proxy's log and in the answer; when a server dies, the other serves on
until it is back."""

import http.cookies
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from background import free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PASSWORD = "Klaster-SSOZ-2026"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


class Browser:
    """A client that keeps its cookies itself: the session cookie is Secure in production
    mode, and this proxy speaks plain HTTP on the loopback."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (loopback)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _database(tmp_path: Path) -> str:
    """A database of its own: PostgreSQL when the suite runs on it, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'cluster.sqlite3'}"
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = f"ssoz_cluster_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def cluster(tmp_path):
    database = _database(tmp_path)
    port, first = free_port(), free_port()
    while abs(first - port) < 3:
        first = free_port()
    env = {
        **os.environ,
        "SSOZ_NO_INSTALL": "1",
        "SSOZ_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database,
        "SSOZ_ADDRESS": f"127.0.0.1:{port}",
        "SSOZ_FIRST_PORT": str(first),
        "SSOZ_SERVERS": "2",
        "SSOZ_WORKERS": "1",
    }
    env.pop("SECRET_KEY", None)
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts" / "cluster")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    browser = Browser(base)
    deadline = time.monotonic() + 120
    while True:
        try:
            if browser.request("/zdrowie/gotowy")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"./scripts/cluster did not start:\n{output[-3000:]}")
        time.sleep(0.25)
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c",
         "from ssoz.accounts.models import Role, User\n"
         "user = User(username='celina', email='celina@example.org', first_name='Celina', "
         "last_name='Testowa', role=Role.CENTRAL_ADMIN)\n"
         f"user.set_password({PASSWORD!r}); user.save()"],
        cwd=ROOT, env={**env, "DEBUG": "1"}, check=True, capture_output=True,
    )  # fmt: skip
    yield browser, tmp_path, (first, first + 1)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if database.startswith("postgres"):
        import psycopg

        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database.rsplit('/', 1)[1]}")


def _log_in(browser: Browser) -> None:
    status, _headers, page = browser.request("/logowanie/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _page = browser.request(
        "/logowanie/", {"csrfmiddlewaretoken": token, "login": "celina", "password": PASSWORD}
    )
    assert status == 302, _page[:2000]


def _served(var_dir: Path) -> list[dict]:
    lines = (var_dir / "nginx" / "access.log").read_text().splitlines()
    return [dict(re.findall(r"(\w+)=(\S+)", line)) | {"line": line} for line in lines]


def _logged(var_dir: Path, ids: list[str]) -> list[dict]:
    """The proxy's log lines of these requests: nginx writes a line once the answer is out,
    so wait for them, not for a time."""
    deadline = time.monotonic() + 10
    while True:
        served = [entry for entry in _served(var_dir) if entry.get("request_id") in ids]
        if len(served) == len(ids) or time.monotonic() > deadline:
            return served
        time.sleep(0.05)


def test_a_clerk_logged_in_through_the_proxy_is_served_by_every_server(cluster):
    browser, var_dir, ports = cluster
    _log_in(browser)
    ids = []
    for _ in range(6):
        status, headers, page = browser.request("/start/")
        assert status == 200 and "Wyloguj się" in page
        ids.append(headers["X-Request-ID"])
    served = _logged(var_dir, ids)
    # The proxy's request id is the application's: one id in both logs.
    assert len(served) == len(ids)
    assert {entry["upstream"] for entry in served} == {f"127.0.0.1:{port}" for port in ports}
    # Static files come from nginx itself, under their hashed names, cached for good.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    status, headers, _css = browser.request(stylesheet)
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert "X-Request-ID" not in headers  # which every answer of the application carries


def test_when_a_server_dies_the_other_serves_on(cluster):
    browser, var_dir, ports = cluster
    _log_in(browser)
    found = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-f", f"gunicorn ssoz.wsgi:application --bind 127.0.0.1:{ports[0]}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for pid in found:
        os.kill(int(pid), signal.SIGKILL)
    for _ in range(6):
        status, _headers, page = browser.request("/start/")
        assert status == 200 and "Wyloguj się" in page
    assert browser.request("/zdrowie/gotowy")[0] == 200
    # The dead server is started again and takes requests again: wait for that, not a time.
    back = f"127.0.0.1:{ports[0]}"
    deadline = time.monotonic() + 60
    while True:
        status, headers, _page = browser.request("/start/")
        assert status == 200
        (entry,) = _logged(var_dir, [headers["X-Request-ID"]])
        if entry["upstream"] == back:
            break
        assert time.monotonic() < deadline, "the killed server did not come back"
        time.sleep(0.2)
