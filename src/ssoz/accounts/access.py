"""Who may see and do what with accounts: decided here and nowhere else.

Every view and service that touches registration applications or users asks these helpers.
A regional administrator acts only within the voivodeship of the entity concerned; the central
administrator acts everywhere; reporters administer nothing. An analyst (of the Ministry or
the statistical office) administers nothing either: she reads the results (`may_read_results`)
of the whole country in full (`reads_the_whole_country`), and every changing verb, asking
`require_administrator`, refuses her.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ssoz.accounts.models import RegistrationApplication, User
from ssoz.registry.models import Entity


def is_administrator(user: User | None, *, central: bool = False) -> bool:
    """Whether `user` is an active administrator (the central one, with `central`): the one
    place this is decided for every page, service and selector."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_central_admin if central else user.is_administrator


def require_administrator(user: User | None, *, central: bool = False) -> None:
    """403 unless `user` is an active administrator (the central one, with `central`)."""
    if not is_administrator(user, central=central):
        raise PermissionDenied


def is_analyst(user: User | None) -> bool:
    """Whether `user` is an active analyst."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_analyst


def may_read_results(user: User | None) -> bool:
    """Whether `user` may read the results (aggregates, their exports): every administrator,
    within what `results.aggregates.scope_for` gives her, and analysts."""
    return is_administrator(user) or is_analyst(user)


def require_results_reader(user: User | None) -> None:
    """403 unless `user` may read the results."""
    if not may_read_results(user):
        raise PermissionDenied


def reads_the_whole_country(user: User | None) -> bool:
    """Whether `user` reads every entity's figures without statistical confidentiality and
    the programme's publications list: the central administrator and analysts."""
    return is_administrator(user, central=True) or is_analyst(user)


def require_whole_country_reader(user: User | None) -> None:
    """403 unless `user` reads the whole country (`reads_the_whole_country`)."""
    if not reads_the_whole_country(user):
        raise PermissionDenied


def entities_administered_by(user: User) -> QuerySet[Entity]:
    if not is_administrator(user):
        return Entity.objects.none()
    if user.is_central_admin:
        return Entity.objects.all()
    if user.is_regional_admin and user.office_id is None:
        # Accounts are activated by the voivodeship office; another verifying office only
        # verifies the reports the programme gives it.
        return Entity.objects.filter(voivodeship=user.voivodeship)
    return Entity.objects.none()


def applications_visible_to(user: User) -> QuerySet[RegistrationApplication]:
    """Applications an administrator may see and decide; none for anybody else."""
    return RegistrationApplication.objects.filter(
        entity__in=entities_administered_by(user)
    ).select_related("user", "entity")


def pending_applications_for(user: User) -> QuerySet[RegistrationApplication]:
    return applications_visible_to(user).pending()


def get_application_for_admin(user: User, application_id: int) -> RegistrationApplication:
    """The application, if this administrator may decide it: 403 for non-administrators,
    404 for an application outside the administrator's voivodeship (its existence is not told)."""
    require_administrator(user)
    try:
        return applications_visible_to(user).get(pk=application_id)
    except RegistrationApplication.DoesNotExist:
        raise Http404 from None


def can_decide(user: User, application: RegistrationApplication) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()
