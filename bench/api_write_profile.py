"""Where an API bulk write's time goes: one reporter, single-threaded, through Django's handler.

    .venv/bin/python bench/api_write_profile.py [--writes 300] [--page]

On the database of bench/deadline_day.py (filled by its first run), with its server's
settings, one reporter writes every input value of her MZ-88 draft through
PATCH /api/v1/reports/{id}/values, as each of the benchmark's connections does (after 30
writes to warm up), under cProfile. It prints the time a write takes, its queries, and the
cumulative time of each step: the body's parsing, the token and its rate-limit count, the
access check, the locked save (the merge and the one write of values and audit row), the
rules' check and the answer. With --page, the page's background save of section D1 is
profiled the same way, for comparison.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import deadline_day  # noqa: E402

# The steps, by the function whose cumulative time is the step's (file fragment, name).
SQL_CHARS = int(os.environ.get("SQL_CHARS", "110"))
STEPS = [
    ("the whole request", ("django/test/client.py", "request")),
    ("the body read into its schema (ninja, pydantic)", ("ninja/operation.py", "_get_values")),
    ("the token looked up", ("ssoz/api/tokens.py", "authenticate")),
    ("its use counted (rate limit upsert)", ("ssoz/api/tokens.py", "count_use")),
    ("the report read for the access check", ("ssoz/reports/access.py", "get_report_for_reporter")),
    ("the JSON values taken as typed", ("ssoz/reports/inputs.py", "from_json")),
    ("the save (lock, merge, write)", ("ssoz/reports/workflow.py", "save_report")),
    ("  of it the lock", ("ssoz/reports/access.py", "lock_for_filling")),
    ("  of it the one write (values, audit row)", ("ssoz/reports/workflow.py", "_store_save")),
    ("the commit (every transaction's end)", ("django/db/transaction.py", "__exit__")),
    ("the rules' check of the stored values", ("ssoz/reports/workflow.py", "check_report")),
    ("the answer as data", ("ssoz/reports/workflow.py", "to_dict")),
    ("the answer validated and rendered (ninja)", ("ninja/operation.py", "_result_to_response")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--page", action="store_true", help="the page's save of D1 instead")
    parser.add_argument("--top", type=int, default=0, help="also the N costliest functions")
    parser.add_argument("--callees", help="also what this function (a name) spends its time on")
    parser.add_argument(
        "--database", default=os.environ.get("SSOZ_BENCH_DATABASE", deadline_day.DEFAULT_DATABASE)
    )
    options = parser.parse_args()
    os.environ.update(deadline_day.environment(options.database, tempfile.mkdtemp()))
    sys.path.insert(0, str(deadline_day.SERVER))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    chosen = json.loads(_clients_json())[0]
    if options.page:
        client.cookies.load(chosen["cookie"])
        fields = chosen["fields"]

        def write(number: int):
            body = {"action": "autosave"}
            body |= {ref: str(deadline_day.value(number, i, True)) for i, ref in
                     enumerate(fields, start=1)}  # fmt: skip
            # Urlencoded, as the page sends it.
            return client.post(
                f"/sprawozdania/{chosen['report']}/zapisz/",
                urlencode(body),
                content_type="application/x-www-form-urlencoded",
                HTTP_X_CSRFTOKEN=chosen["csrf"],
                HTTP_ACCEPT="application/json",
            )
    else:
        multiple = set(chosen["multiple"])
        fields = chosen["inputs"]

        def write(number: int):
            values = {}
            for i, ref in enumerate(fields, start=1):
                text = deadline_day.value(number, i, True)
                values[ref] = [str(text)] if ref in multiple else text
            return client.patch(
                f"/api/v1/reports/{chosen['report']}/values",
                json.dumps({"values": values}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {chosen['token']}",
            )

    for number in range(1, 31):
        assert write(number).status_code == 200
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert write(31).status_code == 200
    times = []
    profile = cProfile.Profile()
    for number in range(32, 32 + options.writes):
        start = time.perf_counter()
        profile.enable()
        response = write(number)
        profile.disable()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
    what = "page save of D1" if options.page else "API bulk write"
    print(f"{what}: {len(fields)} values, {options.writes} writes, "
          f"median {statistics.median(times) * 1000:.2f} ms (under the profiler)")  # fmt: skip
    print(f"{len(queries)} queries a write:")
    for sql in queries:
        print("   ", " ".join(sql.split())[:SQL_CHARS])
    stats = pstats.Stats(profile).stats
    print(f"{'step':50} {'ms a write':>10}")
    for label, (fragment, name) in STEPS:
        total = sum(
            row[3] for (file, _line, function), row in stats.items()
            if function == name and file.endswith(fragment)
        )  # fmt: skip
        print(f"{label:50} {total * 1000 / options.writes:10.2f}")
    if options.top:
        pstats.Stats(profile).sort_stats("tottime").print_stats(options.top)
    if options.callees:
        pstats.Stats(profile).sort_stats("cumtime").print_callees(options.callees)


def _clients_json() -> str:
    """One reporter, as deadline_day.py chooses them, with her token and all input fields."""
    import io
    from contextlib import redirect_stdout

    script = deadline_day.CLIENTS_SCRIPT.replace("sys.argv[1]", "1").replace("WITH_TOKENS", "True")
    output = io.StringIO()
    with redirect_stdout(output):
        exec(script, {})  # noqa: S102 (the benchmark's own script)
    return output.getvalue().strip().splitlines()[-1]


if __name__ == "__main__":
    main()
