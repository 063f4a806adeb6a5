"""Each obligation's state, kept on its row: the state of its least advanced report (stan
podmiotu), or whether it was taken up while it has none, and whether any report was first sent
late. Completeness and the publications list count these columns instead of grouping every
report of a publication on each request.

Every change of a report's state goes through `Report.save` (which calls `refresh`), and
taking up an obligation calls it too; bulk writers (the national generator) call it for what
they wrote.
"""

from collections.abc import Iterable

from django.db.models import Case, Exists, IntegerField, Min, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ssoz.publications.models import Obligation
from ssoz.reports.models import Report, Status

# The obligation's state as a rank, least advanced first (completeness.models.EntityState).
NOT_ACTIVATED = 0
STATUS_RANK = {Status.DRAFT: 1, Status.RETURNED: 2, Status.SENT: 3, Status.APPROVED: 4}
FILLING = STATUS_RANK[Status.DRAFT]
# From this rank on, every report of the obligation was sent at least once.
SENT_ONCE = STATUS_RANK[Status.RETURNED]


def refresh(obligation_ids: Iterable[int] | None = None) -> int:
    """Recompute the state of the given obligations (every obligation with None) from their
    reports, in one statement; returns how many rows it wrote."""
    rank = Case(
        *[When(status=status, then=Value(value)) for status, value in STATUS_RANK.items()],
        output_field=IntegerField(),
    )
    least = (
        Report.objects.filter(obligation=OuterRef("pk"))
        .order_by()
        .values("obligation")
        .annotate(least=Min(rank))
        .values("least")
    )
    obligations = Obligation.objects.all()
    if obligation_ids is not None:
        obligations = obligations.filter(pk__in=list(obligation_ids))
    return obligations.update(
        state=Coalesce(
            Subquery(least, output_field=IntegerField()),
            Case(
                When(activated_at__isnull=True, then=Value(NOT_ACTIVATED)),
                default=Value(FILLING),
            ),
        ),
        sent_late=Exists(Report.objects.filter(obligation=OuterRef("pk"), sent_late=True)),
    )
