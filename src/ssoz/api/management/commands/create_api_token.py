"""`manage.py create_api_token USERNAME --name N [--scope read|write] [--days 30|90|180|365]`:
an API token of an account, created as on its account page and printed once, for a system
set up by its operator."""

from django.core.management.base import BaseCommand, CommandError

from ssoz.accounts.models import User
from ssoz.api import tokens
from ssoz.api.models import ApiToken


class Command(BaseCommand):
    help = "Creates an API token of an account and prints its secret once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default="read")
        parser.add_argument("--days", type=int, choices=tokens.LIFETIMES_DAYS, default=30)

    def handle(self, *args, username: str, name: str, scope: str, days: int, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        try:
            new = tokens.create_token(actor=user, name=name, scope=scope, days=days)
        except tokens.TokenError as error:
            raise CommandError(error.text("en")) from error
        self.stdout.write(new.secret)
