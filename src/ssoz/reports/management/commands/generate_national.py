"""manage.py generate_national --entities 30000 --seed 1: reporting at national scale, made up
(benchmarks, trying the administrators' pages on realistic volumes)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ssoz.reports.synthetic import generate_national


class Command(BaseCommand):
    help = (
        "Makes a synthetic registry (if smaller), publishes the shipped forms for the year and "
        "the one before, and fills in reports in every state with their versions and audit "
        "rows. Made-up data, the same for a given seed; for benchmark databases, not production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=30_000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument(
            "--yes-this-is-not-production",
            action="store_true",
            help="needed with DEBUG=0: the command writes made-up reports and accounts",
        )

    def handle(self, *args, entities: int, seed: int, year: int, **options) -> None:
        if entities < 1:
            raise CommandError("--entities must be at least 1")
        if not settings.DEBUG and not options["yes_this_is_not_production"]:
            raise CommandError(
                "With DEBUG=0 this looks like production: add --yes-this-is-not-production "
                "if it is a benchmark database."
            )
        started = time.perf_counter()
        summary = generate_national(
            entities=entities, seed=seed, year=year, progress=lambda text: self.stdout.write(text)
        )
        if connection.vendor == "postgresql":
            # Until autovacuum gets to the rows just written, the planner guesses their
            # numbers, and wrongly (last period's report took 47 ms to find instead of 0.8),
            # and the counts by state read the table besides their index (the review queue:
            # 85 ms instead of 40). VACUUM cannot run in a transaction (a test's): ANALYZE can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - started:.0f} s"))
