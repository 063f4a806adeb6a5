"""The assignment survey (ankieta przypisująca sprawozdania): at a reporter's first log-in in a
reporting year it asks which activities the entity has, and each answer adds or removes the
obligation of the programme entry that asked.

A question belongs to a publication (`Publication.assignment_question`) whose period is open
and whose deadline has not passed, of a form the reporter's account may fill and the entity's
type may send. The answers are the entity's, not the reporter's: once a colleague answered,
nobody is asked again, though anyone may change an answer while the period is open.

„Tak” creates the obligation, or lifts the exemption an earlier „nie” gave. „Nie” exempts it,
with the survey as its reason; an obligation already met (a report sent) cannot be answered
away.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.lib.errors import DomainError
from ssoz.publications.models import (
    AssignmentAnswer,
    Obligation,
    Publication,
    forms_allowed_for_account,
)

# The reason an exemption from the survey carries; kept in Polish, as every stored reason.
SURVEY_REASON = gettext_noop(
    "Ankieta przypisująca sprawozdania: podmiot nie prowadzi tej działalności."
)


class AssignmentError(DomainError):
    """An answer that cannot be taken; the message is for the reporter."""


@dataclass
class Question:
    publication: Publication
    answer: AssignmentAnswer | None

    @property
    def field_name(self) -> str:
        return f"pytanie_{self.publication.pk}"


def _questions(user: User, today: date | None = None) -> list[Publication]:
    today = today or timezone.localdate()
    entity = user.entity
    publications = (
        Publication.objects.filter(
            forms_allowed_for_account(user), closed_at__isnull=True, deadline__gte=today
        )
        .exclude(assignment_question="")
        .select_related("form_version__definition")
        .defer("form_version__data", "form_version__source")
        .order_by("year", "form_version__definition__code", "pk")
    )
    # The form's own entity types, from its compiled form in the cache: a handful of entries
    # a year, and their definitions are not read again on every home page.
    return [
        publication
        for publication in publications
        if not (types := publication.form_version.compiled().entity_types)
        or entity.entity_type in types
    ]


def assignment_survey(user: User, today: date | None = None) -> list[Question]:
    """The survey's questions for the reporter's entity, with its answers so far."""
    if not user.is_reporter:
        raise PermissionDenied
    publications = _questions(user, today)
    answers = {
        answer.publication_id: answer
        for answer in AssignmentAnswer.objects.filter(
            entity_id=user.entity_id, publication__in=[p.pk for p in publications]
        )
    }
    return [Question(publication, answers.get(publication.pk)) for publication in publications]


def survey_is_due(user: User, today: date | None = None) -> bool:
    """Whether the entity still has a question to answer: the survey comes before the rest."""
    if not user.is_reporter:
        return False
    return any(question.answer is None for question in assignment_survey(user, today))


@transaction.atomic
def answer_assignment_survey(
    *, actor: User, answers: dict[int, bool], today: date | None = None
) -> list[str]:
    """Take the entity's answers (publication id → has the activity) and add or remove the
    obligations they decide. Answers to questions the reporter is not asked are refused.
    Returns the lines that say what changed."""
    if not actor.is_reporter:
        raise PermissionDenied
    asked = {publication.pk: publication for publication in _questions(actor, today)}
    if unknown := set(answers) - set(asked):
        raise AssignmentError(
            _("Ankieta nie ma pytania o numerze %(id)s.") % {"id": min(unknown)}, status=400
        )
    changes: list[str] = []
    for publication_id, files in sorted(answers.items()):
        publication = asked[publication_id]
        # The publication's row is locked first, as every writer of its obligations does (the
        # sweep for newcomers, an extension): two colleagues answering at once, or an answer
        # during the sweep, end with one obligation and one of the answers, whole.
        Publication.objects.select_for_update(of=("self",)).filter(pk=publication.pk).first()
        obligation = (
            Obligation.objects.select_for_update()
            .filter(publication=publication, entity_id=actor.entity_id)
            .first()
        )
        values = {"publication": publication.form_version.definition.code}
        if files:
            if obligation is None:
                Obligation.objects.create(publication=publication, entity_id=actor.entity_id)
                changes.append(_("Dodano obowiązek: %(publication)s.") % values)
            elif obligation.is_exempted and obligation.exemption_reason == SURVEY_REASON:
                # Only the survey's own exemption; one an office gave (a closure) stays.
                obligation.lift_exemption()
                changes.append(_("Przywrócono obowiązek: %(publication)s.") % values)
        elif obligation is not None and not obligation.is_exempted:
            if obligation.is_met():
                raise AssignmentError(
                    _(
                        "%(publication)s: sprawozdanie jest już wysłane, więc odpowiedź „nie” "
                        "nie może zdjąć tego obowiązku. Jeśli podmiot nie prowadzi tej "
                        "działalności, skontaktuj się z urzędem wojewódzkim."
                    )
                    % values
                )
            obligation.exempt(by=actor, reason=SURVEY_REASON)
            changes.append(_("Zdjęto obowiązek: %(publication)s.") % values)
        AssignmentAnswer.objects.update_or_create(
            publication=publication,
            entity_id=actor.entity_id,
            defaults={"files": files, "answered_by": actor, "answered_at": timezone.now()},
        )
    return changes
