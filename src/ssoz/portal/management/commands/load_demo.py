"""Demo data: a synthetic registry, administrators, an analyst, reporters, one pending
application, the shipped forms published to every entity they concern, last year's approved
reports, and a made-up population table for the results' rates."""

import datetime
import os
import random
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ssoz.accounts.models import RegistrationApplication, Role, User
from ssoz.definitions.models import FormVersion
from ssoz.definitions.services import load_definition
from ssoz.publications.condition import FilingCondition
from ssoz.publications.models import Publication
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity, EntityType
from ssoz.registry.offices import ensure_voivodeship_offices
from ssoz.registry.population import SAMPLE, import_population
from ssoz.registry.synthetic import generate_registry, sample_entity_with_units
from ssoz.reports import records, workflow
from ssoz.reports.models import Report, ReportVersion, Status, values_checksum
from ssoz.reports.synthetic_cards import valid_card

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
            self._forms()
            # The sample is of the synthetic registry's counties: rates on „Wyniki”.
            people = import_population(SAMPLE.read_bytes())
        self.stdout.write(
            f"Registry: {summary.entities_created} entities and {summary.units_created} units "
            f"added ({Entity.objects.count()} in all)."
        )
        self.stdout.write(
            f"Population sample: {people.created + people.updated} voivodeships and counties."
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
            ("analityk", "Anna", "Analityczna", Role.ANALYST, None, ""),
            ("sprawozdawca", "Alicja", "Nowak", Role.REPORTER, mazovian, ""),
            ("sprawozdawca2", "Bartosz", "Kowalski", Role.REPORTER, mazovian_hospital, ""),
            # Alicja's colleague with the financial authorisation: the financial forms are hers.
            ("finanse", "Filomena", "Księgowa", Role.REPORTER, mazovian, ""),
            # The account of the psychiatric ward, allowed only the MZ/Szp-11B card.
            ("karta", "Piotr", "Psychiatryczny", Role.REPORTER, mazovian, ""),
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
                    "financial_reports": username == "finanse",
                    "psychiatric_card_only": username == "karta",
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

    def _forms(self) -> None:
        """Load the shipped definitions and publish each for its year to every entity."""
        for path in sorted((settings.BASE_DIR / "definitions").glob("*/*.yaml")):
            result = load_definition(path.read_text(encoding="utf-8"), filename=str(Path(path)))
            if result.form_version is None:
                self.stderr.write(f"{path}: {result.message_en}")
                continue
            self.stdout.write(f"Form {result.code} {result.version}: {result.message_en}")
        for version in FormVersion.objects.select_related("definition"):
            form = version.compiled()
            years = [int(version.version)] if version.version.isdigit() else [2025]
            if form.kind == "periodic" and form.period != "month":
                years.insert(0, years[0] - 1)  # last year too, for comparisons with prev()
            periods = self._periods(form, years)
            for year, quarter, month in periods:
                if Publication.objects.filter(
                    form_version=version, year=year, quarter=quarter, month=month
                ).exists():
                    continue
                latest = (year, quarter, month) == periods[-1]
                publication = publish_form(
                    form_version=version,
                    year=year,
                    quarter=quarter,
                    month=month,
                    deadline=self._deadline(form, year, quarter, month, latest=latest),
                    entities=Entity.objects.filter(is_active=True),
                    actor=None,
                    audience="demo",
                    # Every active entity of the form's types, newcomers included.
                    condition=FilingCondition(),
                )
                if form.records is not None:
                    if (year, quarter, month) == periods[-2]:
                        self._cards(publication)
                elif not latest:
                    self._approved_history(publication)

    @staticmethod
    def _periods(form, years: list[int]) -> list[tuple[int, int | None, int | None]]:
        """(year, quarter, month) of each publication: a quarterly form (the financial ones)
        for each quarter of its years, a monthly one (MZ/Szp-11B) for the last three months
        of its year, any other once a year."""
        if form.period == "quarter":
            return [(year, quarter, None) for year in years for quarter in (1, 2, 3, 4)]
        if form.period == "month":
            return [(years[-1], None, month) for month in (9, 10, 11)]
        return [(year, None, None) for year in years]

    @staticmethod
    def _cards(publication: Publication) -> None:
        """The demo card clerk's month of cards, sent: made-up patients that pass every rule,
        so the list of cards, its export and the review have something to show."""
        clerk = User.objects.filter(username="karta").first()
        if clerk is None or not clerk.entity_id:
            return
        obligation = publication.obligations.filter(entity_id=clerk.entity_id).first()
        if obligation is None:
            return
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        cards = [valid_card(i, publication.year, publication.month) for i in range(12)]
        workflow.save_report(
            report=report,
            actor=clerk,
            changes={"D0_DISCHARGED": str(len(cards))},
            base_revision=None,
        )
        records.replace_records(report=report, actor=clerk, rows=cards)
        workflow.send_report(report=report, actor=clerk)

    @staticmethod
    def _deadline(
        form, year: int, quarter: int | None, month: int | None, *, latest: bool
    ) -> datetime.date:
        default = datetime.date(year + 1, 3, 31)
        due = form.deadline.due(year, quarter, month) if form.deadline else default
        # The demo is shown on any day: keep the current forms open for a few weeks more.
        if latest:
            return max(due, timezone.localdate() + datetime.timedelta(days=30))
        return due

    @staticmethod
    def _approved_history(publication: Publication) -> None:
        """Approved reports of the demo reporters' entities for last year, so the form shows
        last year's values beside each field."""
        form = publication.form_version.compiled()
        numeric = [
            ref
            for ref, spec in form.fields.items()
            if spec.is_input and str(spec.type) in ("integer", "money")
        ]
        rng = random.Random(publication.pk)
        reporters = User.objects.filter(role=Role.REPORTER, is_active=True, entity__isnull=False)
        for obligation in publication.obligations.filter(
            entity__in=reporters.values("entity")
        ).select_related("entity"):
            units = [None, *obligation.entity.units.order_by("unit_code")]
            for unit in units:
                values = {ref: str(rng.randint(0, 40)) for ref in numeric}
                report = Report.objects.create(
                    obligation=obligation,
                    unit=unit,
                    publication=publication,
                    voivodeship=obligation.entity.voivodeship,
                    status=Status.APPROVED,
                    values=values,
                    header=workflow.header_snapshot(obligation.entity, unit),
                    sent_at=publication.published_at,
                )
                ReportVersion.objects.create(
                    report=report,
                    number=1,
                    values=values,
                    sent_at=publication.published_at,
                    sent_by=None,
                    checksum=values_checksum(values, {}),
                )
            obligation.activated_at = publication.published_at
            obligation.save(update_fields=["activated_at"])

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
        address = os.environ.get("SSOZ_ADDRESS", "127.0.0.1:8000")
        self.stdout.write(self.style.SUCCESS(f"SSOZ demo: http://{address}/info.html"))
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(
            "  A pending application (login 'wnioskodawca') waits for activation.\n"
            f"Mail is written to {settings.VAR_DIR / 'mail'} (one file per message)."
        )
