"""manage.py create_staff_account LOGIN --role analyst --email … : an administrator's or an
analyst's account, created by the operator on the server (no page creates one)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ssoz.accounts.models import Role
from ssoz.accounts.services import STAFF_ROLES, WorkflowError, create_staff_account
from ssoz.registry.teryt import Voivodeship


class Command(BaseCommand):
    help = (
        "Create a regional or central administrator's or an analyst's account with no usable "
        "password, and mail its owner a single-use temporary password with which she sets "
        "her own."
    )

    def add_arguments(self, parser):
        parser.add_argument("login", help="the account's login")
        parser.add_argument("--role", required=True, choices=[str(role) for role in STAFF_ROLES])
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--voivodeship",
            default="",
            choices=["", *Voivodeship.values],
            help="TERYT code of a regional administrator's voivodeship, e.g. 14",
        )
        parser.add_argument(
            "--valid-hours",
            type=int,
            default=72,
            help="how long the mailed temporary password works (1 to 336 hours; default 72)",
        )

    def handle(self, *args, login: str, role: str, email: str, **options) -> None:
        hours = options["valid_hours"]
        if not 1 <= hours <= 14 * 24:
            raise CommandError("--valid-hours must be between 1 and 336.")
        try:
            user = create_staff_account(
                username=login,
                email=email,
                first_name=options["first_name"],
                last_name=options["last_name"],
                role=role,
                voivodeship=options["voivodeship"],
                valid_for=timedelta(hours=hours),
            )
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        where = f", {user.get_voivodeship_display()}" if user.role == Role.REGIONAL_ADMIN else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.username} ({user.get_role_display()}{where}); a temporary "
                f"password valid for {hours} h is mailed to {user.email}."
            )
        )
