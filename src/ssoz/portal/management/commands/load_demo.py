"""Demo data: a synthetic registry, administrators, reporters and one pending application."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from ssoz.accounts.models import RegistrationApplication, Role, User
from ssoz.registry.models import Entity, EntityType
from ssoz.registry.offices import ensure_voivodeship_offices
from ssoz.registry.synthetic import generate_registry, sample_entity_with_units

DEMO_PASSWORD = "Demo-SSOZ-2026"  # noqa: S105 (printed for the demo, refused in production)


class Command(BaseCommand):
    help = "Load demo data: registry, administrators and reporters (run once; safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2023)

    def handle(self, *args: object, entities: int, seed: int, **options: object) -> None:
        if not settings.DEBUG:
            self.stderr.write("Demo data is for the demo (DEBUG=1) only; nothing loaded.")
            return
        with transaction.atomic():
            ensure_voivodeship_offices()
            summary = generate_registry(entities, seed=seed)
            accounts = self._accounts()
        self.stdout.write(
            f"Registry: {summary.entities_created} entities and {summary.units_created} units "
            f"added ({Entity.objects.count()} in all)."
        )
        self._print_logins(accounts)

    def _accounts(self) -> list[tuple[str, str]]:
        mazovian = (
            sample_entity_with_units(3, entity_type=EntityType.HEALTHCARE_PROVIDER)
            or Entity.objects.first()
        )
        mazovian_hospital = (
            Entity.objects.filter(voivodeship="14", entity_type=EntityType.HEALTHCARE_PROVIDER)
            .exclude(pk=mazovian.pk)
            .order_by("regon")
            .first()
        )
        people = [
            ("centrala", "Celina", "Centralna", Role.CENTRAL_ADMIN, None, ""),
            ("admin.14", "Wanda", "Mazowiecka", Role.REGIONAL_ADMIN, None, "14"),
            (f"admin.{mazovian.voivodeship}", "Jan", "Wojewódzki", Role.REGIONAL_ADMIN, None,
             mazovian.voivodeship),
            ("sprawozdawca", "Alicja", "Nowak", Role.REPORTER, mazovian, ""),
            ("sprawozdawca2", "Bartosz", "Kowalski", Role.REPORTER, mazovian_hospital, ""),
        ]  # fmt: skip
        created = []
        for username, first, last, role, entity, voivodeship in people:
            if entity is None and role == Role.REPORTER:
                continue
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.ssoz.invalid",
                    "role": role,
                    "entity": entity,
                    "voivodeship": voivodeship,
                    "phone": "+48 22 000 00 00",
                },
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            created.append((username, self._describe(user)))
        applicant, was_created = User.objects.get_or_create(
            username="wnioskodawca",
            defaults={
                "first_name": "Dorota",
                "last_name": "Wiśniewska",
                "email": "wnioskodawca@demo.ssoz.invalid",
                "role": Role.REPORTER,
                "entity": mazovian_hospital or mazovian,
                "is_active": False,
            },
        )
        if was_created:
            applicant.set_password(DEMO_PASSWORD)
            applicant.save()
            RegistrationApplication.objects.create(user=applicant, entity=applicant.entity)
        return created

    @staticmethod
    def _describe(user: User) -> str:
        if user.entity:
            units = user.entity.units.count()
            return f"{user.get_role_display()}: {user.entity.name} (organisational units: {units})"
        if user.voivodeship:
            return f"{user.get_role_display()}: województwo {user.get_voivodeship_display()}"
        return str(user.get_role_display())

    def _print_logins(self, accounts: list[tuple[str, str]]) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("SSOZ demo: http://127.0.0.1:8000/info.html"))
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(
            "  A pending application (login 'wnioskodawca') waits for activation.\n"
            f"Mail is written to {settings.VAR_DIR / 'mail'} (one file per message)."
        )
