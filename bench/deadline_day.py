"""Deadline day on one small server: the background save against its floors, in the same run.

    .venv/bin/python bench/deadline_day.py [--rounds 5] [--seconds 10] [--entities 30000] [--api]

On PostgreSQL (DATABASE_URL, default the database ssoz_bench on 127.0.0.1), filled at national
scale by `manage.py generate_national` when it is empty. It starts the production profile's
application server (gunicorn, DEBUG=0, persistent connections) with two floor pages added,
and, in rounds, drives each of these with 16 connections in a closed loop with no think time
(wrk, one reporter per connection):

- a trivial Django view;
- a bare save: the same body read and written with one UPDATE;
- the real background save of MZ-88 section D1 (83 input fields): session, access check, form,
  types, merge, the values and an audit row;
- pgbench's simple update against the same database;
- with --api, the API's bulk write (PATCH /api/v1/reports/{id}/values) of every input value
  of the reporter's MZ-88 report, each connection a reporter with her own write token.

It prints req/s, p50/p95/p99 and values written per second (medians over the rounds) with the
ratios to the floors, the application workers' memory before and after, and then checks that
every save (and API write) a client was told succeeded is what the database holds. The
figures go to docs/performance.md.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = Path(__file__).resolve().parent / "server"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ssoz_bench"
CONNECTIONS = 16


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SSOZ_VAR_DIR": var_dir,
        "PYTHONPATH": os.pathsep.join([str(SERVER), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "floor_settings",
        "LOG_LEVEL": "WARNING",
        # The API's rate limit per token would otherwise stop a closed loop within a second.
        "API_REQUESTS_PER_MINUTE": "10000000",
        # As ./scripts/serve runs it.
        "DATABASE_PREPARED_STATEMENTS": os.environ.get("DATABASE_PREPARED_STATEMENTS", "1"),
    }


def manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def prepare(env: dict, entities: int) -> None:
    """Migrate and, when there are no reports yet, fill the database at national scale."""
    manage(env, "migrate", "--no-input", "-v0")
    count = manage(
        env, "shell", "-c", "from ssoz.reports.models import Report; print(Report.objects.count())"
    )
    if int(count.split()[-1]) < 1000:
        print(f"generating national data ({entities} entities), this takes a few minutes…")
        print(
            manage(
                env,
                "generate_national",
                "--entities",
                str(entities),
                "--yes-this-is-not-production",
            )  # fmt: skip
        )
    manage(env, "collectstatic", "--no-input", "-v0")


CLIENTS_SCRIPT = r"""
import json, sys
from people import bench_token, draft_reports, logged_in, reporter_of

chosen = []
for report in draft_reports("MZ-88", 2025):
    user = reporter_of(report.obligation.entity_id)
    if user is None:
        continue
    form = report.form_version.compiled()
    fields = [ref for ref in form.section("D1").refs if form.field(ref).is_input]
    client = {"report": report.pk, **logged_in(user), "fields": fields}
    if WITH_TOKENS:
        inputs = [ref for ref, spec in form.fields.items() if spec.is_input]
        multiple = [ref for ref in inputs if form.field(ref).type == "multiple_choice"]
        client.update(token=bench_token(user), inputs=inputs, multiple=multiple)
    chosen.append(client)
    if len(chosen) == int(sys.argv[1]):
        break
print(json.dumps(chosen))
"""


def shell_json(env: dict, script: str):
    """What a `manage.py shell` script prints as JSON on its last line."""
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def clients(env: dict, count: int, *, tokens: bool = False) -> list[dict]:
    """`count` reporters, each logged in with her MZ-88 draft and its section D1's input
    fields; with `tokens`, also a new write token of hers and all the form's input fields."""
    script = CLIENTS_SCRIPT.replace("sys.argv[1]", str(count))
    return shell_json(env, script.replace("WITH_TOKENS", str(tokens)))


def stored_reports(env: dict, report_ids: list[int]) -> dict[str, dict]:
    """The values, revision and state the database holds of these reports."""
    return shell_json(env, f"import json, people; print(json.dumps(people.stored({report_ids})))")


def create_database(database: str) -> None:
    """Create the PostgreSQL database when it does not exist yet."""
    name = database.rsplit("/", 1)[-1]
    admin = database.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], capture_output=True,
                   check=False)  # fmt: skip


def write_floor_listing(path: Path, chosen: list[dict]) -> Path:
    """The bare save's clients for save.lua: each writes the fields of its report."""
    path.write_text(
        "".join(
            f"/floor/bare-save/{c['report']}/\tx=1\tx\t{','.join(c['fields'])}\t0\n" for c in chosen
        )
    )
    return path


def floors(
    base: str, env: dict, floor_listing: Path, seconds: int, connections: int = CONNECTIONS
) -> dict[str, dict]:
    """One round of the two floors: the trivial view and the bare save."""
    return {
        "trivial": wrk(base + "/floor/trivial/", SERVER / "get.lua", seconds, env, connections),
        "bare": wrk(base, SERVER / "save.lua", seconds,
                    {**env, "SSOZ_BENCH_CLIENTS": str(floor_listing)}, connections),
    }  # fmt: skip


def write_clients(listing: Path, chosen: list[dict], database: str) -> None:
    """The file save.lua reads: a line per reporter, with her report's current revision, so
    that her first save is not from an out-of-date page (which costs more, see
    `workflow.save_report`)."""
    ids = ",".join(str(client["report"]) for client in chosen)
    rows = subprocess.run(
        ["psql", database, "-Atc", f"SELECT id, revision FROM reports_report WHERE id IN ({ids})"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    revisions = dict(row.split("|") for row in rows)
    listing.write_text(
        "".join(
            f"/sprawozdania/{c['report']}/zapisz/\t{c['cookie']}\t{c['csrf']}\t"
            f"{','.join(c['fields'])}\t{revisions[str(c['report'])]}\n"
            for c in chosen
        )
    )


def write_api_clients(path: Path, chosen: list[dict]) -> Path:
    """The file api_write.lua reads: a line per reporter, with her token and her report's
    input fields."""
    path.write_text(
        "".join(
            f"/api/v1/reports/{c['report']}/values\t{c['token']}\t{','.join(c['inputs'])}\t"
            f"{','.join(c['multiple']) or '-'}\n"
            for c in chosen
        )
    )
    return path


class Server:
    """The production profile's gunicorn with the floor pages, on `port` (any free one by
    default)."""

    def __init__(self, env: dict, workers: int, port: int = 0) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "ssoz.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
            ],  # fmt: skip
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/zdrowie/zyje", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the application server did not start")

    def worker_memory_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sorted(sizes)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url: str, script: Path, seconds: int, env: dict, connections: int = CONNECTIONS) -> dict:
    """wrk in a closed loop, one thread a connection; the figures the script reports."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    data = json.loads(line[len("RESULT ") :])
    data["rps"] = data["requests"] / data["seconds"]
    return data


def pgbench(database: str, seconds: int) -> dict:
    result = subprocess.run(
        ["pgbench", "-n", "-N", "-c", str(CONNECTIONS), "-j", "2", "-T", str(seconds), database],
        capture_output=True,
        text=True,
        check=True,
    )
    tps = float(re.search(r"tps = ([\d.]+)", result.stdout).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", result.stdout).group(1))
    return {"rps": tps, "p50": latency, "p95": float("nan"), "p99": float("nan"), "non2xx": 0,
            "errors": 0}  # fmt: skip


def value(counter: int, index: int, every: bool) -> int:
    """The value save number `counter` sends for the `index`-th field (as save.lua does)."""
    if every:
        return (counter * 7 + index) % 50
    return ((counter + 17 - (index % 17)) // 17) % 50


def check_acknowledged(
    env: dict, chosen: list[dict], acked: dict[str, int], every: bool, *, api: bool = False
) -> list[str]:
    """Every save a client was told succeeded is in the database: the values stored are those
    of its last acknowledged save (or of one more, answered after the load stopped). With
    `api`, the saves are the API's writes of every input field (a multiple choice as a list
    of the one code written)."""
    stored = stored_reports(env, [client["report"] for client in chosen])
    problems = []
    for number, client in enumerate(chosen, start=1):
        counter = acked.get(str(number), 0)
        if not counter:
            continue
        values = stored[str(client["report"])]["values"]
        fields = client["inputs"] if api else client["fields"]
        multiple = set(client.get("multiple", ())) if api else set()
        expected = [
            {name: [text] if name in multiple else text
             for i, name in enumerate(fields, start=1)
             for text in [str(value(counters, i, every))]}
            for counters in (counter, counter + 1)
        ]  # fmt: skip
        if not any(all(values.get(k) == v for k, v in want.items()) for want in expected):
            what = "API write" if api else "save"
            problems.append(f"report {client['report']}: acknowledged {what} #{counter} lost")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--entities", type=int, default=30_000)
    parser.add_argument("--port", type=int, default=0, help="the server's (default: any free)")
    parser.add_argument(
        "--api", action="store_true", help="also the API's bulk write of the whole report"
    )
    parser.add_argument(
        "--database", default=os.environ.get("SSOZ_BENCH_DATABASE", DEFAULT_DATABASE)
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    var_dir = tempfile.mkdtemp(prefix="ssoz-bench-")
    env = environment(options.database, var_dir)
    create_database(options.database)
    prepare(env, options.entities)
    chosen = clients(env, CONNECTIONS, tokens=options.api)
    assert len(chosen) == CONNECTIONS, "not enough draft MZ-88 reports with a reporter"
    listing = Path(var_dir) / "clients.tsv"
    floor_listing = write_floor_listing(Path(var_dir) / "floor.tsv", chosen)
    if options.api:
        api_listing = write_api_clients(Path(var_dir) / "api.tsv", chosen)
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", options.database], capture_output=True,
                   check=True)  # fmt: skip
    server = Server(env, options.workers, options.port)
    idle = server.worker_memory_mb()
    results: dict[str, list[dict]] = {
        "trivial": [], "bare": [], "save": [], "save_all": [], "api": [], "pgbench": []
    }  # fmt: skip
    lost: list[str] = []
    try:
        for round_number in range(1, options.rounds + 1):
            for key, result in floors(server.base, env, floor_listing, options.seconds).items():
                results[key].append(result)
            write_clients(listing, chosen, options.database)
            save = wrk(server.base, SERVER / "save.lua", options.seconds,
                       {**env, "SSOZ_BENCH_CLIENTS": str(listing)})  # fmt: skip
            results["save"].append(save)
            write_clients(listing, chosen, options.database)
            every = wrk(server.base, SERVER / "save.lua", options.seconds,
                        {**env, "SSOZ_BENCH_CLIENTS": str(listing),
                         "SSOZ_BENCH_CHANGES": "all"})  # fmt: skip
            results["save_all"].append(every)
            last = round_number == options.rounds
            if last:
                # Before the API writes over the same reports.
                lost += check_acknowledged(env, chosen, every["acked"], every=True)
            line = f"round {round_number}: save {save['rps']:.0f} req/s, p95 {save['p95']:.1f} ms"
            if options.api:
                bulk = wrk(server.base, SERVER / "api_write.lua", options.seconds,
                           {**env, "SSOZ_BENCH_CLIENTS": str(api_listing)})  # fmt: skip
                results["api"].append(bulk)
                if last:
                    lost += check_acknowledged(env, chosen, bulk["acked"], every=True, api=True)
                line += f"; API write {bulk['rps']:.0f} req/s, p95 {bulk['p95']:.1f} ms"
            results["pgbench"].append(pgbench(options.database, options.seconds))
            print(line)
        after = server.worker_memory_mb()
    finally:
        server.stop()
        subprocess.run(["psql", options.database, "-qc",
                        "DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, "
                        "pgbench_history, pgbench_tellers"], check=False)  # fmt: skip
    values = {
        "bare": len(chosen[0]["fields"]),
        "save": len(chosen[0]["fields"]),
        "save_all": len(chosen[0]["fields"]),
        "api": len(chosen[0].get("inputs", ())),
    }
    report(results, values, idle, after, lost, options)


def median(rows: list[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def report(results, values, idle, after, lost, options) -> None:
    """The medians of the rounds; values/s is the values a request posts (a section's or,
    the API's, the whole report's) times its req/s."""
    bare = median(results["bare"], "rps")
    print()
    print(f"{options.rounds} rounds of {options.seconds} s, {CONNECTIONS} connections, "
          f"{options.workers} application workers; medians over the rounds")  # fmt: skip
    print(f"{'':34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'vs bare':>7} "
          f"{'values':>6} {'values/s':>8} errors")  # fmt: skip
    labels = {
        "trivial": "trivial Django view",
        "bare": "bare save (one UPDATE)",
        "save": "real save, 5 values changed",
        "save_all": f"real save, all {values['save_all']} changed",
        "api": f"API bulk write, all {values['api']} inputs",
        "pgbench": "pgbench simple update",
    }
    per_second = {}
    for key, label in labels.items():
        rows = results[key]
        if not rows:
            continue
        rps = median(rows, "rps")
        errors = sum(row["non2xx"] + row["errors"] for row in rows)
        written = ""
        if key in values:
            per_second[key] = values[key] * rps
            written = f"{values[key]:6} {per_second[key]:8.0f}"
        print(
            f"{label:34} {rps:7.0f} {median(rows, 'p50'):7.1f} {median(rows, 'p95'):7.1f} "
            f"{median(rows, 'p99'):7.1f} {rps / bare:7.2f} {written or ' ' * 15} {errors}"
        )
    if "api" in per_second:
        print(
            "API values/s against the page's: "
            f"{per_second['api'] / per_second['save']:.2f} (5 values changed), "
            f"{per_second['api'] / per_second['save_all']:.2f} (all changed)"
        )
    print(f"application workers' memory: idle {idle} MB, after {after} MB")
    if lost:
        print("LOST ACKNOWLEDGED SAVES:\n  " + "\n  ".join(lost))
        sys.exit(1)
    print("every acknowledged save is in the database")


if __name__ == "__main__":
    main()
