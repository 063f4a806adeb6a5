"""Account work done by the worker rather than in the request."""

from django.tasks import task

from ssoz.accounts import services


@task
def issue_temporary_password(*, identifier: str, ip_address: str | None) -> None:
    services.send_temporary_password(identifier=identifier, ip_address=ip_address)
