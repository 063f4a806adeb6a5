"""manage.py generate_population_sample: the demo's made-up population table, in the layout
of a BDL export, for the voivodeships and counties of the synthetic registry."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ssoz.registry.population import SAMPLE, SAMPLE_YEAR, sample_csv


class Command(BaseCommand):
    help = (
        "Write the made-up population sample (the same for a given year) that the demo "
        f"loads; by default to {SAMPLE.name} in the registry's fixtures, for {SAMPLE_YEAR}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=SAMPLE_YEAR)
        parser.add_argument("--output", type=Path, default=SAMPLE)

    def handle(self, *args, year: int, output: Path, **options) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(sample_csv(year), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {output}"))
