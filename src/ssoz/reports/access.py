"""Who may see and change which reports: decided here and nowhere else.

A reporter sees the reports and obligations of her own entity, only of the forms her account
may fill (financial forms need the financial authorisation; an MZ/Szp-11B-only account sees only
that card). A regional administrator sees those of entities in her voivodeship; the central
administrator sees all. Only reporters change values; only administrators review.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ssoz.accounts.models import Role, User
from ssoz.reports.models import Obligation, Publication, Report


def _publications_for_account(user: User) -> Q:
    """The forms this account's flags allow, as a condition on Publication."""
    if user.psychiatric_card_only:
        return Q(for_psychiatric_card=True)
    allowed = Q(for_non_financial=True)
    if user.financial_reports:
        allowed |= Q(for_financial=True)
    return allowed


def publications_for(user: User) -> QuerySet[Publication]:
    if not user.is_authenticated or not user.is_active:
        return Publication.objects.none()
    if user.is_reporter:
        return Publication.objects.filter(_publications_for_account(user))
    return Publication.objects.all()


def obligations_visible_to(user: User) -> QuerySet[Obligation]:
    if not user.is_authenticated or not user.is_active:
        return Obligation.objects.none()
    obligations = Obligation.objects.filter(publication__in=publications_for(user))
    if user.is_reporter:
        return obligations.filter(entity_id=user.entity_id)
    if user.is_regional_admin:
        return obligations.filter(entity__voivodeship=user.voivodeship)
    if user.is_central_admin:
        return obligations
    return Obligation.objects.none()


def reports_visible_to(user: User) -> QuerySet[Report]:
    return Report.objects.filter(obligation__in=obligations_visible_to(user))


def get_obligation_for_reporter(user: User, obligation_id: int) -> Obligation:
    """An obligation of the reporter's own entity; 404 for anything else."""
    if not user.is_reporter:
        raise PermissionDenied
    try:
        return (
            obligations_visible_to(user)
            .select_related("publication__form_version__definition", "entity")
            .get(pk=obligation_id)
        )
    except Obligation.DoesNotExist:
        raise Http404 from None


def get_report_for_user(user: User, report_id: int) -> Report:
    """A report the user may read; 404 when it is not theirs to see (its existence is not told)."""
    try:
        return (
            reports_visible_to(user)
            .select_related(
                "obligation__publication__form_version__definition", "obligation__entity", "unit"
            )
            .get(pk=report_id)
        )
    except Report.DoesNotExist:
        raise Http404 from None


def get_report_for_reporter(user: User, report_id: int) -> Report:
    """A report the user may fill in: her entity's, and she a reporter (403 for administrators)."""
    if not user.is_reporter:
        raise PermissionDenied
    return get_report_for_user(user, report_id)


def get_report_for_reviewer(user: User, report_id: int) -> Report:
    """A report an administrator may review: in her voivodeship (403 for reporters)."""
    if not user.is_administrator:
        raise PermissionDenied
    return get_report_for_user(user, report_id)


def reporters_who_see(report: Report) -> QuerySet[User]:
    """Active reporters of the report's entity whose accounts may open its form: the same rule
    as `_publications_for_account`, read from the other side."""
    publication = report.obligation.publication
    if publication.for_non_financial:
        allowed = Q(psychiatric_card_only=False)
    elif publication.for_financial:
        allowed = Q(psychiatric_card_only=False, financial_reports=True)
    else:
        allowed = Q(pk__in=[])
    if publication.for_psychiatric_card:
        allowed |= Q(psychiatric_card_only=True)
    return User.objects.filter(
        allowed, entity_id=report.obligation.entity_id, is_active=True, role=Role.REPORTER
    )


def can_edit(user: User, report: Report) -> bool:
    return user.is_reporter and report.is_editable and report.entity.pk == user.entity_id


def can_review(user: User, report: Report) -> bool:
    return user.is_administrator and reports_visible_to(user).filter(pk=report.pk).exists()
