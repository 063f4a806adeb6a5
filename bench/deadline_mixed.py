"""Deadline day, mixed: reporters fill in and send while administrators review, on one server.

    .venv/bin/pip install -e '.[bench]'       # locust, the load generator (and apt-get install wrk)
    createdb -h 127.0.0.1 -U postgres -T ssoz_bench ssoz_mixed     # a copy: runs use up drafts
    .venv/bin/python bench/deadline_mixed.py [--users 60] [--administrators 4] [--run-time 60]

On PostgreSQL (--database, default DATABASE_URL or the database ssoz_mixed on 127.0.0.1) at
national scale: every run sends reports, so it wants a copy of the benchmark database rather
than the database itself; an empty one is filled by `manage.py generate_national`. It starts
the production profile's application server (gunicorn, DEBUG=0) with the floor pages of
bench/deadline_day.py, warms it up, measures the floors there with wrk (a trivial view and a
bare save; with one connection by default, so that their medians are the cost of a request
with nothing queued), and then runs locust headless (bench/mixed/locustfile.py) with people
logged in by sessions made in the database (bench/server/people.py):

- reporters, each with her own MZ-88 draft and, where her entity has one, her ANKIETA-CYBER
  draft: they open both, type in sections (each background save posts the whole form with
  the revision of the last answer, as the page does), verify as htmx does, and in some of
  their rounds (--send-share) fill in values that pass the rules and send, then take up the
  next draft; between two actions they think (--think, 1 to 4 s);
- administrators, regional and central: the review queue, a report under review and, for the
  central one, the publications list.

It prints per action req/s and p50/p95/p99, the errors (any answer other than the one the
page expects), the save, verify and send medians against the floors' medians, the application
workers' memory, the load generator's CPU and the machine's load; then it compares each report
with the last save its client was told succeeded, and checks that the reports its clients
were told were sent are sent. It exits non-zero on an error or a lost save. The figures go to
docs/performance.md.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections import Counter
from pathlib import Path

from deadline_day import (
    Server,
    create_database,
    environment,
    floors,
    prepare,
    shell_json,
    stored_reports,
    write_floor_listing,
)

LOCUSTFILE = Path(__file__).resolve().parent / "mixed" / "locustfile.py"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ssoz_mixed"
ACTIONS = (
    "open survey",
    "open MZ-88",
    "save",
    "verify",
    "send",
    "queue",
    "report under review",
    "publications",
)
AGAINST_FLOORS = ("save", "verify", "send")


def make_people(env: dict, reporters: int, administrators: int) -> dict:
    """Reporters with their drafts and administrators, logged in (bench/server/people.py)."""
    return shell_json(
        env,
        "import json, people\n"
        f"found = people.mixed_reporters({reporters})\n"
        f"found['administrators'] = people.administrators({administrators})\n"
        "print(json.dumps(found))",
    )


def warm_up(base: str, people: dict, draft: dict, workers: int) -> None:
    """Ask every kind of page a few times per worker before measuring, as a server on
    deadline day has long been warm: a worker's first report page compiles its forms."""
    pages = [(draft["cookie"], f"/sprawozdania/{draft['report']}/")]
    pages += [(c["cookie"], f"/sprawozdania/{c['survey']}/") for c in people["reporters"]
              if c["survey"]][:1]  # fmt: skip
    for admin in people["administrators"]:
        pages.append((admin["cookie"], "/administracja/sprawozdania/"))
        if not admin["voivodeship"]:
            pages.append((admin["cookie"], "/administracja/publikacje/"))
    for _ in range(3 * workers):
        for cookie, path in pages:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()


def run_locust(
    host: str,
    people: dict,
    folder: Path,
    *,
    reporters: int,
    run_time: int,
    think: tuple[float, float] = (1, 4),
    send_share: float = 0.3,
    rounds: int = 0,
    spawn_rate: float = 10,
) -> dict:
    """Run the locustfile headless against `host`: `reporters` clerks (taking up `people`'s
    drafts in turn) and all of its administrators; returns the statistics per action and
    what the clients were told (with the failures)."""
    people_file = folder / "people.json"
    people_file.write_text(json.dumps(people))
    administrators = len(people["administrators"])
    env = {
        **os.environ,
        "SSOZ_MIXED_PEOPLE": str(people_file),
        "SSOZ_MIXED_OUTCOME": str(folder / "outcome.json"),
        "SSOZ_MIXED_REPORTERS": str(reporters),
        "SSOZ_MIXED_ADMINISTRATORS": str(administrators),
        "SSOZ_MIXED_THINK": f"{think[0]},{think[1]}",
        "SSOZ_MIXED_SEND": str(send_share),
        "SSOZ_MIXED_ROUNDS": str(rounds),
    }
    log = folder / "locust.log"
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
             "--host", host, "--users", str(reporters + administrators),
             "--spawn-rate", str(spawn_rate), "--run-time", f"{run_time}s",
             "--json-file", str(folder / "stats"), "--only-summary", "--loglevel", "WARNING"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,  # it fails when a request failed: the statistics say which
        )  # fmt: skip
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats, outcome = folder / "stats.json", folder / "outcome.json"
    if not stats.exists() or not outcome.exists():
        raise RuntimeError(f"locust did not finish:\n{log.read_text()[-3000:]}")
    return {
        "stats": read_stats(stats),
        "outcome": json.loads(outcome.read_text()),
        # The generator shares the cores with the server: what it took of them.
        "generator_cpu": now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime,
    }


def read_stats(path: Path) -> dict[str, dict]:
    """Locust's final statistics (--json-file) per request name, and over all of them
    ("all"): requests, failures, req/s over the run, and percentiles in ms (locust keeps
    times to 2 significant digits above 100 ms)."""
    entries = json.loads(path.read_text())
    if not entries:
        return {}
    start = min(entry["start_time"] for entry in entries)
    seconds = max(entry["last_request_timestamp"] or start for entry in entries) - start
    merged: dict[str, list[dict]] = {}
    for entry in entries:
        merged.setdefault(entry["name"], []).append(entry)
    merged["all"] = entries
    stats = {}
    for name, parts in merged.items():
        times: Counter = Counter()
        for part in parts:
            times.update({int(ms): count for ms, count in part["response_times"].items()})
        requests = sum(part["num_requests"] for part in parts)
        stats[name] = {
            "requests": requests,
            "failures": sum(part["num_failures"] for part in parts),
            "rps": requests / max(seconds, 1e-9),
            **{f"p{percent}": percentile(times, percent) for percent in (50, 95, 99)},
        }
    return stats


def percentile(times: Counter, percent: int) -> float:
    """The time within which `percent` % of the requests finished, as locust reckons it."""
    total = sum(times.values())
    if not total:
        return float("nan")
    later = 0
    for ms in sorted(times, reverse=True):
        later += times[ms]
        if total - later <= int(total * percent / 100):
            return float(ms)
    return 0.0


def lost_saves(people: dict, outcome: dict, stored: dict[str, dict]) -> list[str]:
    """Each report holds what its client was last told was saved (or a save sent after
    that and never answered, which may have been stored), and each report its client was
    told was sent is sent."""
    drafts = {str(draft["report"]): draft for draft in people["reporters"]}
    problems = []
    for report in sorted(outcome["acknowledged"].keys() | outcome["unanswered"].keys(), key=int):
        draft = drafts[report]
        inputs = people["forms"][draft["form"]]["fields"]
        held = stored[report]
        holds = {ref: value for ref, value in held["values"].items() if ref in inputs}
        told = outcome["acknowledged"].get(report) or {
            "revision": draft["revision"],
            "values": {ref: value for ref, value in draft["values"].items() if ref in inputs},
        }
        candidates = [told]
        if report in outcome["unanswered"]:
            candidates.append(outcome["unanswered"][report])
        if not any(c["revision"] == held["revision"] and c["values"] == holds for c in candidates):
            problems.append(
                f"report {report}: saved at revision {told['revision']} by its client's last "
                f"acknowledged save, the database holds revision {held['revision']} "
                f"with {len(holds)} values of which "
                f"{sum(holds.get(ref) != value for ref, value in told['values'].items())} differ"
            )
    for report in outcome["sent"]:
        if stored[str(report)]["status"] != "sent":
            problems.append(f"report {report}: told it was sent, it is {stored[str(report)]}")
    return problems


def report_ids(outcome: dict) -> list[int]:
    return sorted(
        {int(report) for report in outcome["acknowledged"].keys() | outcome["unanswered"].keys()}
        | set(outcome["sent"])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=60, help="reporters")
    parser.add_argument("--administrators", type=int, default=4)
    parser.add_argument("--run-time", type=int, default=60, help="seconds of the mixed load")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people started a second")
    parser.add_argument(
        "--think",
        type=lambda text: tuple(float(part) for part in text.split(",")),
        default=(1.0, 4.0),
        help="least,most seconds a person thinks between two actions (1,4)",
    )
    parser.add_argument("--send-share", type=float, default=0.3, help="of reporters' rounds")
    parser.add_argument("--floor-seconds", type=int, default=10)
    parser.add_argument(
        "--floor-connections",
        type=int,
        default=1,
        help="wrk's for the floors: with one, their medians are a request's cost with "
        "nothing queued, as most of the mixed load's are (deadline_day.py uses 16)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="the server's (default: any free)")
    parser.add_argument(
        "--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    )  # fmt: skip
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    if subprocess.run([sys.executable, "-c", "import locust"], capture_output=True).returncode:
        sys.exit("locust is needed: .venv/bin/pip install -e '.[bench]'")
    folder = Path(tempfile.mkdtemp(prefix="ssoz-mixed-"))
    env = environment(options.database, str(folder))
    create_database(options.database)
    prepare(env, 30_000)
    # A reporter whose report is sent takes up the next draft: enough for most to send a
    # few times; the first drafts serve the bare save, which writes over their values.
    reserved = options.floor_connections
    people = make_people(env, reserved + 4 * options.users, options.administrators)
    floor_drafts, people["reporters"] = (
        people["reporters"][:reserved],
        people["reporters"][reserved:],
    )
    if len(people["reporters"]) < options.users or not people["administrators"]:
        sys.exit("not enough MZ-88 drafts with a reporter, or no administrators")
    floor_listing = write_floor_listing(
        folder / "floor.tsv",
        [
            {"report": draft["report"], "fields": people["forms"][draft["form"]]["sections"]["D1"]}
            for draft in floor_drafts
        ],
    )
    server = Server(env, options.workers, options.port)
    load = [os.getloadavg()[0]]
    try:
        before = server.worker_memory_mb()
        warm_up(server.base, people, floor_drafts[0], options.workers)
        floor = floors(
            server.base, env, floor_listing, options.floor_seconds, options.floor_connections
        )
        print(f"floors: trivial view {floor['trivial']['rps']:.0f} req/s, "
              f"bare save {floor['bare']['rps']:.0f} req/s; mixed load for "
              f"{options.run_time} s…")  # fmt: skip
        run = run_locust(
            server.base,
            people,
            folder,
            reporters=options.users,
            run_time=options.run_time,
            think=options.think,
            send_share=options.send_share,
            spawn_rate=options.spawn_rate,
        )
        after = server.worker_memory_mb()
        load.append(os.getloadavg()[0])
    finally:
        server.stop()
    stored = stored_reports(env, report_ids(run["outcome"]))
    lost = lost_saves(people, run["outcome"], stored)
    print_table(options, people, floor, run, before, after, lost, load)
    if lost or run["stats"]["all"]["failures"]:
        sys.exit(1)


def print_table(options, people, floor, run, before, after, lost, load) -> None:
    stats, outcome = run["stats"], run["outcome"]
    least, most = options.think
    print()
    print(
        f"{options.users} reporters and {len(people['administrators'])} administrators for "
        f"{options.run_time} s, thinking {least:g}–{most:g} s between actions; "
        f"{options.workers} application workers"
    )
    print(f"{'':30} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
    for name in (*ACTIONS, "all"):
        if row := stats.get(name):
            print(
                f"{name:30} {row['requests']:8} {row['rps']:8.1f} {row['p50']:8.0f} "
                f"{row['p95']:8.0f} {row['p99']:8.0f}  {row['failures']}"
            )
    print(
        f"floors: wrk, {options.floor_connections} connection(s) in a closed loop, "
        f"{options.floor_seconds} s each"
    )
    for key, label in (("trivial", "trivial Django view"), ("bare", "bare save (one UPDATE)")):
        row = floor[key]
        print(
            f"  {label:28} {row['requests']:8} {row['rps']:8.0f} {row['p50']:8.1f} "
            f"{row['p95']:8.1f} {row['p99']:8.1f}  {row['non2xx'] + row['errors']}"
        )
    print(f"{'median against the floors':30}" + "".join(f"{n:>9}" for n in AGAINST_FLOORS))
    for key, label in (("bare", "× bare save"), ("trivial", "× trivial view")):
        ratios = [stats[n]["p50"] / floor[key]["p50"] if n in stats else float("nan")
                  for n in AGAINST_FLOORS]  # fmt: skip
        print(f"  {label:28}" + "".join(f"{ratio:9.1f}" for ratio in ratios))
    print(
        f"application workers' memory: before {min(before):.0f}–{max(before):.0f} MB, "
        f"after {min(after):.0f}–{max(after):.0f} MB"
    )
    cpu = run["generator_cpu"]
    print(f"load generator (locust): {cpu:.1f} s of CPU, {cpu / options.run_time:.0%} of a core")
    # On a shared machine, what else ran alongside tells how far to trust the figures.
    print(
        f"machine: {os.cpu_count()} cores, load average (1 min) {load[0]:.1f} before, "
        f"{load[1]:.1f} at the end"
    )
    print(f"errors: {stats['all']['failures']}")
    for line in outcome["failures"][:10]:
        print(f"  {line}")
    print(
        f"acknowledged saves not what the database holds: {len(lost)} "
        f"(reports saved: {len(outcome['acknowledged'])}, sent: {len(outcome['sent'])})"
    )
    for line in lost[:20]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
