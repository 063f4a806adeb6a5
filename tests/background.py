"""The real background machinery for the tests that need it: an SMTP server (aiosmtpd) that
keeps what it receives, and the task worker (`manage.py db_worker`) as a process of its own,
working on the test database and sending its mail to that server."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the SMTP server received, read as a person reads mail."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(envelope.content, policy=policy.default)
            for envelope in self.envelopes
        ]

    def wait_for(self, subject: str, *, to: str | None = None, timeout: float = 20) -> EmailMessage:
        """The first message whose subject contains `subject` (and sent to `to`), waiting
        until the worker has delivered it."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages:
                if subject in message["Subject"] and (to is None or to in message["To"]):
                    return message
            if time.monotonic() > deadline:
                subjects = [message["Subject"] for message in self.messages]
                raise AssertionError(f"no mail „{subject}” to {to} arrived; got {subjects}")
            time.sleep(0.05)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


class SMTPServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process of its own."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`manage.py db_worker` working on the test database until stopped."""

    def __init__(self, smtp_port: int) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_USE_TLS": "0",
            "LOG_LEVEL": "WARNING",
            # The worker writes export files where the test's server reads them.
            "SSOZ_EXPORTS_DIR": str(settings.EXPORTS_ROOT),
        }
        self.command = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--queue-name",
            "*",
        ]
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Worker":
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)  # noqa: S603
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


ROOT = Path(__file__).resolve().parents[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def production_environment(var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of ./scripts/serve on a database of its own in `var_dir`."""
    env = {
        **os.environ,
        "SSOZ_NO_INSTALL": "1",
        "SSOZ_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'serve.sqlite3'}",
        "SSOZ_ADDRESS": f"127.0.0.1:{port}",
        "SSOZ_WORKERS": "2",
        **extra,
    }
    env.pop("SECRET_KEY", None)
    return env


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """./scripts/serve (gunicorn, DEBUG=0, and the task worker) running with `env` until the
    block ends; yields its base URL once it answers. Its output (a JSON line per request)
    goes to serve.log in its var directory: a pipe nobody reads would fill and stop it."""
    log_path = Path(env["SSOZ_VAR_DIR"]) / "serve.log"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://{env['SSOZ_ADDRESS']}"
    deadline = time.monotonic() + 300  # migrate and collectstatic first, on a busy machine
    while True:
        try:
            if fetch(base + "/zdrowie/zyje")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            log.close()
            output = log_path.read_text(errors="replace")
            raise RuntimeError(f"./scripts/serve did not start:\n{output[-3000:]}")
        time.sleep(0.25)
    try:
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
