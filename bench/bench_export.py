"""Exports at the scale of the country: a 500-cell form's approved reports written as CSV and
XLSX by the export job itself, against the floor of writing the same rows to CSV from values
already in memory, measured in the same run. Also the peak memory of each, at two sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssoz_bench_export \\
        .venv/bin/python bench/bench_export.py [--prepare] [--reports 30000] [--small 3000]

`--prepare` fills the database first (it is created if missing): a registry of `--reports`
entities, a generated form of 50 rows × 10 columns, and two publications of it, one with
`--small` approved reports and one with `--reports`. Each measurement runs in a process of its
own, so its peak resident memory is its own; each is repeated `--repeat` times, and the
medians are printed with their ratio to the floor.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")
os.environ.setdefault("SSOZ_EXPORTS_DIR", "/tmp/ssoz-bench-exports")

ROWS, COLUMNS = 50, 10
CODE = "BENCH-500"


def form_source() -> str:
    columns = "\n".join(
        f"        - {{code: K{c:02d}, label: {{pl: 'Kolumna {c}', en: 'Column {c}'}}, "
        "type: integer}"
        for c in range(1, COLUMNS + 1)
    )
    rows = "\n".join(
        f"        - {{code: W{r:02d}, label: {{pl: 'Wiersz {r}', en: 'Row {r}'}}}}"
        for r in range(1, ROWS + 1)
    )
    return f"""
format: ssoz-form/1
code: {CODE}
version: "1"
title: {{pl: "Formularz o 500 komórkach", en: "A form of 500 cells"}}
kind: periodic
period: year
levels: [entity]
accounts: [non_financial]
deadline: {{days_after_period_end: 60}}
sections:
  - code: D1
    title: {{pl: "Dział 1", en: "Section 1"}}
    table:
      columns:
{columns}
      rows:
{rows}
      min: 0
"""


def setup_django() -> None:
    import django

    django.setup()


def prepare(reports: int, small: int) -> None:
    import datetime

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ssoz.accounts.models import Role, User
    from ssoz.definitions.services import load_definition
    from ssoz.publications.models import Publication
    from ssoz.publications.services import publish_form
    from ssoz.registry.models import Entity
    from ssoz.registry.synthetic import generate_registry
    from ssoz.reports.models import Report, Status

    missing = reports - Entity.objects.count()
    if missing > 0:
        generate_registry(missing, seed=7)
    User.objects.filter(username="bench.central").delete()
    User.objects.create_user("bench.central", role=Role.CENTRAL_ADMIN, email="c@example.org")
    result = load_definition(form_source(), filename="bench-500.yaml")
    version = result.form_version
    form = version.compiled()
    Publication.objects.filter(form_version__definition__code=CODE).delete()
    entity_ids = list(Entity.objects.order_by("pk").values_list("pk", flat=True)[:reports])
    rng = random.Random(1)
    refs = [f"D1.W{r:02d}.K{c:02d}" for r in range(1, ROWS + 1) for c in range(1, COLUMNS + 1)]
    for year, count in ((2023, small), (2024, reports)):
        publication = publish_form(
            form_version=version,
            year=year,
            quarter=None,
            deadline=datetime.date(year + 1, 3, 1),
            entities=Entity.objects.filter(pk__in=entity_ids[:count]),
            actor=None,
        )
        now = datetime.datetime.now(datetime.UTC)
        batch = []
        obligations = publication.obligations.select_related("entity").order_by("pk")
        for obligation in obligations.iterator(chunk_size=2000):
            values = {}
            for ref in refs:
                roll = rng.random()
                if roll < 0.3:
                    continue  # left empty, as most cells of a real form are
                value = rng.randint(0, 2500)
                # A few typed as clerks type them: with a space between thousands.
                values[ref] = f"{value:,}".replace(",", " ") if roll > 0.98 else str(value)
            # Kept as „Wyślij” keeps them: as the form reads them.
            values = form.stored(values)
            batch.append(
                Report(
                    obligation=obligation,
                    publication=publication,
                    status=Status.APPROVED,
                    voivodeship=obligation.entity.voivodeship,
                    values=values,
                    sent_at=now,
                    first_sent_at=now,
                    times_sent=1,
                )
            )
            if len(batch) == 1000:
                Report.objects.bulk_create(batch)
                batch.clear()
        Report.objects.bulk_create(batch)
        print(f"publication {year}: {publication.reports.count()} approved reports", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def child(mode: str, year: int, file_format: str) -> None:
    """One measurement, in this process: prints its seconds and peak memory as JSON."""
    setup_django()
    from django.utils import translation

    from ssoz.accounts.models import User
    from ssoz.exports import tables
    from ssoz.exports.models import Export, ExportFormat, ExportKind
    from ssoz.exports.services import start_export
    from ssoz.exports.tasks import write_export
    from ssoz.publications.models import Publication

    publication = Publication.objects.get(form_version__definition__code=CODE, year=year)
    user = User.objects.get(username="bench.central")
    before = peak_resident_mb()
    if mode == "floor":
        # The same rows, fetched whole before the clock starts: only the writing is timed.
        with translation.override("pl"):
            table = tables.microdata(user, publication, final_only=True, decimal_comma=False)
            rows = list(table.rows)
        import csv

        path = Path(os.environ["SSOZ_EXPORTS_DIR"]) / "floor.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
        path.unlink()
    else:
        from django_tasks_db.models import DBTaskResult

        export = start_export(
            actor=user,
            publication_id=publication.pk,
            kind=ExportKind.MICRODATA,
            file_format=ExportFormat(file_format),
        )
        # Queued for a worker, which is not running: the task is run here, as the worker
        # runs it, and its queue entry removed.
        export.job.refresh_from_db()
        DBTaskResult.objects.filter(id=export.job.task_result_id).delete()
        start = time.perf_counter()
        write_export.call(job_id=str(export.job_id), export_id=str(export.pk))
        seconds = time.perf_counter() - start
        export = Export.objects.get(pk=export.pk)
        size = export.size
        export.path.unlink()
        export.job.delete()
    peak = peak_resident_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "start_mb": before, "bytes": size}))


def peak_resident_mb() -> float:
    """This process's peak resident memory. Not getrusage's, which Linux carries over an exec
    from the parent (here the process that prepared the database)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, year: int, file_format: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(year), file_format],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "TASKS_BACKEND": "database"},
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mb": max(run["peak_mb"] for run in runs),
        "start_mb": min(run["start_mb"] for run in runs),
        "bytes": runs[0]["bytes"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--reports", type=int, default=30_000)
    parser.add_argument("--small", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "YEAR", "FORMAT"))
    arguments = parser.parse_args()
    if arguments.child:
        mode, year, file_format = arguments.child
        child(mode, int(year), file_format)
        return
    if arguments.prepare:
        _create_database()
        setup_django()
        prepare(arguments.reports, arguments.small)
    print(f"{'':28} {'median s':>9} {'× floor':>8} {'peak MB':>8} {'MB':>7}")
    for year, label in ((2023, arguments.small), (2024, arguments.reports)):
        floor = measure("floor", year, "csv", arguments.repeat)
        print(_line(f"{label:,} reports: floor (CSV)", floor, floor), flush=True)
        for file_format in ("csv", "csv-pl", "xlsx"):
            figures = measure("export", year, file_format, arguments.repeat)
            print(_line(f"{label:,} reports: {file_format}", figures, floor), flush=True)


def _line(name: str, figures: dict, floor: dict) -> str:
    return (
        f"{name:28} {figures['seconds']:9.2f} {figures['seconds'] / floor['seconds']:8.2f} "
        f"{figures['peak_mb']:8.0f} {figures['bytes'] / 1e6:7.0f}"
    )


def _create_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    name = url.rsplit("/", 1)[-1]
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False, capture_output=True
    )


if __name__ == "__main__":
    main()
