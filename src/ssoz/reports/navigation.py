"""The addresses of the reporter's tabs: „sprawozdania okresowe” and „sprawozdania
jednorazowe”, each with its states."""

from django.urls import reverse
from django.utils.http import urlencode

from ssoz.reports.models import FormKind, Status

KIND_SLUGS = {"okresowe": FormKind.PERIODIC, "jednorazowe": FormKind.ONE_TIME}
STATE_SLUGS = {
    "do-uzupelnienia": Status.DRAFT,
    "wyslane": Status.SENT,
    "zatwierdzone": Status.APPROVED,
    "do-korekty": Status.RETURNED,
}


def list_url(kind: str, state: str, year: int | None = None) -> str:
    query = {"rodzaj": kind, "stan": state}
    if year:
        query["rok"] = year
    return f"{reverse('reports:list')}?{urlencode(query)}"


def kind_slug(kind: str) -> str:
    return next(slug for slug, value in KIND_SLUGS.items() if value == kind)
