"""What administrators read about publications: each with its counts, scoped to the reader."""

from ssoz.accounts.access import may_read_results, reads_the_whole_country
from ssoz.accounts.models import User
from ssoz.completeness.models import EntityState
from ssoz.completeness.selectors import states_by_publication
from ssoz.publications.models import Publication


def programme_years(user: User) -> list[int]:
    """The years the programme has entries for, the latest first."""
    return list(
        Publication.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def publications_with_counts(user: User, year: int | None = None) -> list[Publication]:
    """Every publication with its obliged entities counted by state, over what `user` may
    see: the whole country for the central administrator and analysts, her voivodeship for a
    regional administrator; nothing for anybody else.

    Every count is of entities (podmioty), as on the completeness page: obliged (without the
    exempted), activated, and those whose least advanced report is sent, approved or back
    for correction. Two queries however many publications.
    """
    if not may_read_results(user):
        return []
    chosen = Publication.objects.visible_to(user)
    if year is not None:
        chosen = chosen.filter(year=year)
    publications = list(
        chosen.select_related("form_version__definition", "published_by")
        .prefetch_related("verifiers")
        .defer("form_version__data", "form_version__source")
        .order_by("-published_at", "-pk")
    )
    counted = states_by_publication(
        [publication.pk for publication in publications],
        None if reads_the_whole_country(user) else user.voivodeship,
    )
    for publication in publications:
        group = counted.get(publication.pk)
        counts = group.counts if group else dict.fromkeys(EntityState.values, 0)
        publication.obliged = group.total if group else 0
        publication.activated = publication.obliged - counts[EntityState.NOT_ACTIVATED]
        publication.sent = counts[EntityState.SENT]
        publication.approved = counts[EntityState.APPROVED]
        publication.returned = counts[EntityState.RETURNED]
        publication.exempted = counts[EntityState.EXEMPTED]
    return publications
