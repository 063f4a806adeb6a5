"""Production mode refuses unsafe settings; each case starts a fresh interpreter."""

import os
import subprocess
import sys

SAFE_KEY = "k" * 20 + "Q9w!e#R5t^Y7u*I0o(P1a)S3d_F5g+H7j"


def load_settings(**env) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import ssoz.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_refuses_the_demo_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "insecure SECRET_KEY" in result.stderr


def test_production_mode_refuses_a_short_secret_key():
    result = load_settings(DEBUG="0", SECRET_KEY="short")
    assert "insecure SECRET_KEY" in result.stderr


def test_production_mode_starts_with_a_strong_secret_key():
    assert load_settings(DEBUG="0", SECRET_KEY=SAFE_KEY).returncode == 0


def test_production_mode_refuses_the_captcha_test_mode():
    result = load_settings(DEBUG="0", SECRET_KEY=SAFE_KEY, SSOZ_CAPTCHA_TEST_MODE="1")
    assert result.returncode != 0
    assert "SSOZ_CAPTCHA_TEST_MODE is refused in production mode" in result.stderr


def test_demo_mode_runs_with_nothing_set():
    assert load_settings().returncode == 0


def test_database_url_chooses_the_database():
    code = "import ssoz.settings as s; print(s.DATABASES['default']['ENGINE'])"
    environment = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "ssoz.lib.postgresql"


def test_smtp_settings_come_from_the_environment():
    code = (
        "import ssoz.settings as s; o = s.MAILERS['default']['OPTIONS']; "
        "print(o['host'], o['port'])"
    )
    environment = {**os.environ, "SMTP_HOST": "smtp.example.org", "SMTP_PORT": "2525"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "smtp.example.org 2525"


def test_every_setting_read_from_the_environment_is_documented_with_its_default():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    source = (root / "src" / "ssoz" / "settings.py").read_text(encoding="utf-8")
    read = set(
        re.findall(r'(?:env(?:bool|int|list)\(|os\.environ(?:\.get\(|\[))"([A-Z_]+)"', source)
    )
    documented = (root / "docs" / "deployment.md").read_text(encoding="utf-8")
    rows = {
        name
        for line in documented.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", line.split("|")[1])
    }
    assert read, "no settings found"
    assert not read - rows, f"settings without a row in docs/deployment.md: {sorted(read - rows)}"
