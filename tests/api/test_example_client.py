"""The example client of docs/examples fills in MZ-88 from a CSV and sends it, against the
running production profile, as a hospital's IT staff would run it."""

import io
import os
import subprocess
import sys

import pytest
from api.conftest import demo_server
from background import ROOT
from pypdf import PdfReader

CLIENT = ROOT / "docs" / "examples" / "send_from_csv.py"
# Physicians (row 1): 12 under an employment relationship, all in their main place of work,
# 7 of them women, 10 full-time; 11,5 FTE.
CSV = """ref,value
D1.W01.K2,12
D1.W01.K4,12
D1.W01.K5,7
D1.W01.K6,10
D2.W01.K1,"11,5"
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("client")
    with demo_server(var_dir, ("sprawozdawca2",)) as (base, secrets):
        yield base, secrets["sprawozdawca2"], var_dir


def run_client(demo, *arguments: str) -> subprocess.CompletedProcess:
    base, secret, var_dir = demo
    return subprocess.run(  # noqa: S603
        [sys.executable, str(CLIENT), "--url", base, "--form", "MZ-88", "--year", "2025",
         *arguments],
        cwd=var_dir,
        env={**os.environ, "SSOZ_TOKEN": secret},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_a_hospitals_script_fills_in_mz_88_from_a_csv_and_sends_it(demo):
    base, secret, var_dir = demo
    values = var_dir / "mz88.csv"
    values.write_text(CSV, encoding="utf-8")
    # With fewer full-time equivalents than full-time staff the form warns, and a warning
    # nobody explained keeps the report from being sent.
    (var_dir / "partial.csv").write_text(CSV.replace('"11,5"', "0"), encoding="utf-8")
    partial = run_client(demo, "partial.csv", "--send")
    assert partial.returncode == 1, partial.stdout + partial.stderr
    assert "FTE_FULL_TIME" in partial.stdout and "Wyjaśnij" in partial.stderr

    done = run_client(demo, "mz88.csv", "--send", "--pdf", "proof.pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sent as version 1" in done.stdout
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO((var_dir / "proof.pdf").read_bytes())).pages
    )
    assert "MZ-88" in text and "11,5" in text

    # Once sent, the report is read-only: running the script again changes nothing.
    again = run_client(demo, "mz88.csv", "--send")
    assert again.returncode == 1 and "wysłane" in again.stderr
