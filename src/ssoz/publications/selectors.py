"""What administrators read about publications: each with its counts, scoped to the reader."""

from django.db.models import Count, Q

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import User
from ssoz.publications.models import Obligation, Publication
from ssoz.reports.models import Report, Status

_COUNTED = {"sent": Status.SENT, "approved": Status.APPROVED, "returned": Status.RETURNED}


def publications_with_counts(user: User) -> list[Publication]:
    """Every publication with its obligations, activations and reports by state, counted over
    what `user` may see: the whole country for the central administrator, her voivodeship for
    a regional one; nothing for anybody else.

    Three queries however many publications: the publications, then the obligations and the
    reports each counted per publication in one grouped pass (a join of every obligation to
    its reports would multiply the rows counted).
    """
    if not is_administrator(user):
        return []
    publications = list(
        Publication.objects.visible_to(user)
        .select_related("form_version__definition", "published_by")
        .defer("form_version__data", "form_version__source")
        .order_by("-published_at", "-pk")
    )
    ids = [publication.pk for publication in publications]
    obligations = Obligation.objects.filter(publication_id__in=ids)
    reports = Report.objects.filter(publication_id__in=ids)
    if not user.is_central_admin:
        obligations = obligations.filter(entity__voivodeship=user.voivodeship)
        reports = reports.filter(voivodeship=user.voivodeship)
    obliged = {
        row["publication_id"]: row
        for row in obligations.order_by()
        .values("publication_id")
        .annotate(obliged=Count("pk"), activated=Count("pk", filter=Q(activated_at__isnull=False)))
    }
    # Grouped by publication and state, the count reads only the index on those two.
    counted: dict[int, dict[str, int]] = {}
    for row in reports.order_by().values("publication_id", "status").annotate(count=Count("*")):
        counted.setdefault(row["publication_id"], {})[row["status"]] = row["count"]
    for publication in publications:
        of_obligations = obliged.get(publication.pk, {})
        of_reports = counted.get(publication.pk, {})
        publication.obliged = of_obligations.get("obliged", 0)
        publication.activated = of_obligations.get("activated", 0)
        for name, status in _COUNTED.items():
            setattr(publication, name, of_reports.get(status, 0))
    return publications
