"""manage.py generate_registry --entities 300 --seed 1: a synthetic registry (demo, benchmarks)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ssoz.registry.models import Entity, EntityType
from ssoz.registry.synthetic import generate_registry


class Command(BaseCommand):
    # Operator help for the command line; argparse cannot format lazy translations.
    help = (
        "Tworzy syntetyczny rejestr podmiotów z jednostkami organizacyjnymi (dane zmyślone, "
        "powtarzalne dla danego ziarna). Podmioty o REGON-ach już obecnych w rejestrze pomija."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--entities",
            type=int,
            default=300,
            help="liczba podmiotów (domyślnie 300)",
        )
        parser.add_argument("--seed", type=int, default=0, help="ziarno losowania (domyślnie 0)")

    def handle(self, *args: object, entities: int, seed: int, **options: object) -> None:
        if entities < 0:
            raise CommandError(_("Liczba podmiotów nie może być ujemna."))
        started = time.perf_counter()
        summary = generate_registry(entities, seed=seed)
        elapsed = time.perf_counter() - started
        labels = dict(EntityType.choices)
        self.stdout.write(
            _(
                "Utworzone podmioty: %(entities)d, jednostki organizacyjne: %(units)d "
                "(%(seconds).1f s)."
            )
            % {
                "entities": summary.entities_created,
                "units": summary.units_created,
                "seconds": elapsed,
            }
        )
        for entity_type, count in summary.entities_by_type.items():
            self.stdout.write(f"  {labels.get(entity_type, entity_type)}: {count}")
        if summary.entities_skipped:
            self.stdout.write(
                _("Pominięte podmioty (ich REGON lub numer księgi już są w rejestrze): %(n)d.")
                % {"n": summary.entities_skipped}
            )
        self.stdout.write(
            self.style.SUCCESS(_("Podmiotów w rejestrze: %(n)d.") % {"n": Entity.objects.count()})
        )
