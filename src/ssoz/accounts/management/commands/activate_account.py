from django.core.management.base import BaseCommand, CommandError

from ssoz.accounts.models import RegistrationApplication, User
from ssoz.accounts.services import WorkflowError, activate_account


class Command(BaseCommand):
    help = "Activate a pending account by its login or e-mail, and mail the user."

    def add_arguments(self, parser):
        parser.add_argument("login", help="login or e-mail of the account")

    def handle(self, *args: object, login: str, **options: object) -> None:
        user = User.objects.get_by_login_or_email(login)
        if user is None:
            raise CommandError(f"No account with login or e-mail {login!r}.")
        try:
            application = user.application
        except RegistrationApplication.DoesNotExist:
            raise CommandError(
                f"Account {user.username!r} has no registration application."
            ) from None
        try:
            activate_account(application=application, actor=None)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Activated {user.username} ({user.email})."))
