"""What administrators read about publications: each with its counts, scoped to the reader."""

from django.db.models import Count, Q, QuerySet

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import User
from ssoz.publications.models import Publication
from ssoz.reports.models import Status


def publications_with_counts(user: User) -> QuerySet[Publication]:
    """Every publication with its obligations, activations and reports by state, in one query,
    counted over what `user` may see: the whole country for the central administrator, her
    voivodeship for a regional one; nothing for anybody else.

    Every count is DISTINCT: the obligations and their reports are joined once, and a
    publication with several reports per obligation must not count its obligations twice.
    """
    if not is_administrator(user):
        return Publication.objects.none()
    scope = Q() if user.is_central_admin else Q(obligations__entity__voivodeship=user.voivodeship)
    reports = "obligations__reports"

    def of_reports(status: str) -> Count:
        return Count(reports, filter=scope & Q(obligations__reports__status=status), distinct=True)

    return (
        Publication.objects.visible_to(user)
        .select_related("form_version__definition", "published_by")
        .defer("form_version__data", "form_version__source")
        .annotate(
            obliged=Count("obligations", filter=scope, distinct=True),
            activated=Count(
                "obligations",
                filter=scope & Q(obligations__activated_at__isnull=False),
                distinct=True,
            ),
            sent=of_reports(Status.SENT),
            approved=of_reports(Status.APPROVED),
            returned=of_reports(Status.RETURNED),
        )
        .order_by("-published_at", "-pk")
    )
