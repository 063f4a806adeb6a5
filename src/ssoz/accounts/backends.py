from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ssoz.accounts.models import TemporaryPassword, User
from ssoz.lib.query_templates import KeptQuery, first_instance

# The user of every request, read with a query compiled once (`lib/query_templates.py`).
_USER = KeptQuery(lambda pk: User.objects.filter(pk=pk), (-1_000_000_001, -1_000_000_002))


class LoginOrEmailBackend(ModelBackend):
    """Logs in with a login or an e-mail address, and with a temporary password.

    A temporary password works once, until it expires, and leaves the user with a password
    to change. The usual password keeps working: anybody can ask for a temporary password for
    any account, and that must not lock its owner out.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.get_by_login_or_email(username)
        if user is None:
            # Spend the time a hash takes, so that timing does not tell which accounts exist.
            User().set_password(password)
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.check_password(password):
            if user.must_change_password:
                # Only a temporary password forces a change; the usual one goes on working.
                User.objects.filter(pk=user.pk).update(must_change_password=False)
                user.must_change_password = False
            return user
        if self._use_temporary_password(user, password):
            user.logged_in_with_temporary_password = True
            return user
        return None

    def get_user(self, user_id: object) -> User | None:
        """The logged-in user of a request, as Django's backend finds her: None when the
        account is gone or may not log in."""
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = first_instance(User, _USER.sql(pk))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _use_temporary_password(user: User, password: str) -> bool:
        now = timezone.now()
        with transaction.atomic():
            candidates = TemporaryPassword.objects.select_for_update().filter(
                user=user, used_at__isnull=True, expires_at__gt=now
            )
            for temporary in candidates:
                if temporary.matches(password):
                    temporary.used_at = now
                    temporary.save(update_fields=["used_at"])
                    User.objects.filter(pk=user.pk).update(must_change_password=True)
                    user.must_change_password = True
                    return True
        return False
