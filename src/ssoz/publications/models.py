"""Publications of forms and the entities' obligations to report on them.

The visibility rule of both lives on their querysets (`visible_to`): the lists filter by it
and the single-object look-ups and the services fetch through it, so the two cannot differ.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import is_administrator, is_analyst
from ssoz.definitions.form import Period
from ssoz.publications.condition import FilingCondition
from ssoz.registry.models import Entity


def forms_allowed_for_account(user) -> models.Q:
    """The forms a reporter's account may fill, as a condition on Publication: financial
    forms need the financial authorisation, and an MZ/Szp-11B-only account sees only that
    card."""
    if user.psychiatric_card_only:
        return models.Q(for_psychiatric_card=True)
    allowed = models.Q(for_non_financial=True)
    if user.financial_reports:
        allowed |= models.Q(for_financial=True)
    return allowed


def accounts_allowed_for_form(publication: "Publication") -> models.Q:
    """The reporters' accounts that may fill `publication`'s form, as a condition on User:
    `forms_allowed_for_account` read the other way round."""
    card_only = models.Q(psychiatric_card_only=True)
    allowed = models.Q(pk__in=[])
    if publication.for_psychiatric_card:
        allowed |= card_only
    if publication.for_non_financial:
        allowed |= ~card_only
    if publication.for_financial:
        allowed |= ~card_only & models.Q(financial_reports=True)
    return allowed


def period_label(year: int, quarter: int | None = None, month: int | None = None) -> str:
    """A period as reporters read it: 2025, 2025 Q3, 2025-07."""
    if quarter:
        return f"{year} Q{quarter}"
    if month:
        return f"{year}-{month:02d}"
    return str(year)


def previous_period(
    year: int, quarter: int | None, month: int | None
) -> tuple[int, int | None, int | None]:
    """The period before: last year, last quarter or last month."""
    if quarter:
        return (year, quarter - 1, None) if quarter > 1 else (year - 1, 4, None)
    if month:
        return (year, None, month - 1) if month > 1 else (year - 1, None, 12)
    return year - 1, None, None


# Report states (reports.models.Status) after which an obligation is met.
MET_STATES = ("sent", "approved")


def _is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_reporter(user) -> bool:
    return _is_active_user(user) and user.is_reporter


def verified_by(user, field: str = "pk") -> models.Q:
    """The publications whose reports of her voivodeship a regional administrator verifies,
    as a condition on `field` (a publication's key): her office's, for an administrator of an
    office other than the voivodeship's; for the voivodeship office's, all but those the
    programme gives to another office in the voivodeship.

    The few publications given to other offices are read first, so that where there are none
    (most voivodeships) the condition is empty and the queue's counts stay in its index."""
    given = Publication.verifiers.through.objects
    if user.office_id is not None:
        ids = given.filter(verifyingoffice_id=user.office_id).values_list("publication_id")
        return models.Q(**{f"{field}__in": [pk for (pk,) in ids]})
    ids = given.filter(verifyingoffice__voivodeship=user.voivodeship).values_list("publication_id")
    delegated = [pk for (pk,) in ids]
    return ~models.Q(**{f"{field}__in": delegated}) if delegated else models.Q()


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PublicationQuerySet":
        """Reporters: the publications of forms their account may fill; the central
        administrator and analysts: all (an analyst reads their results, and sees none of
        their obligations or reports); a regional administrator: those she verifies
        (`verified_by`; her view of their obligations is scoped to her voivodeship too);
        anybody else: none."""
        if _is_reporter(user):
            return self.filter(forms_allowed_for_account(user))
        if is_administrator(user, central=True) or is_analyst(user):
            return self
        if is_administrator(user):
            return self.filter(verified_by(user))
        return self.none()


class Publication(models.Model):
    """A form version published for a period to a set of entities (publikacja formularza)."""

    form_version = models.ForeignKey(
        "definitions.FormVersion", on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveSmallIntegerField(_("rok"))
    quarter = models.PositiveSmallIntegerField(_("kwartał"), null=True, blank=True)
    # Monthly forms (the per-patient cards): the month; a period has a quarter, a month, or
    # neither (a year).
    month = models.PositiveSmallIntegerField(_("miesiąc"), null=True, blank=True)
    # A quarterly form whose figures run from the start of the year (the financial forms):
    # its Q3 covers January to September. Copied from the definition when it is published.
    cumulative = models.BooleanField(_("narastająco od początku roku"), default=False)
    deadline = models.DateField(_("termin przekazania"))
    # A form with two deadlines (MZ-03: preliminary data by 28 February, final by 1 July);
    # `deadline` is the final one, by which completeness and lateness are judged.
    preliminary_deadline = models.DateField(_("termin wstępny"), null=True, blank=True)
    published_at = models.DateTimeField(_("opublikowano"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(_("adresaci"), max_length=500, blank=True)
    # Who files (kto sprawozdaje): the programme's conditions over the registry
    # (`condition.FilingCondition` as JSON), any of which makes an entity file. Entities that
    # join the registry later get their obligations from them. Empty for a publication to a
    # named list of REGONs.
    who_files = models.JSONField(_("kto sprawozdaje"), default=list, blank=True)
    # The assignment survey's question (ankieta przypisująca) for this entry, if it has one:
    # the reporters' answers add or remove the obligation.
    assignment_question = models.CharField(
        _("pytanie ankiety przypisującej"), max_length=300, blank=True
    )
    # Which accounts may fill the form, copied from its definition when it is published.
    for_non_financial = models.BooleanField(_("konta niefinansowe"), default=True)
    for_financial = models.BooleanField(_("konta finansowe"), default=False)
    for_psychiatric_card = models.BooleanField(_("konta karty MZ/Szp-11B"), default=False)
    # Who verifies (kto weryfikuje): the voivodeship office, except in the voivodeships of
    # the offices named here, which verify this form there instead.
    verifiers = models.ManyToManyField(
        "registry.VerifyingOffice",
        verbose_name=_("weryfikuje inny urząd"),
        blank=True,
        related_name="publications",
    )
    # Two levels of approval: the reviewing office approves, then the central administrator
    # accepts; "approved" in results then means accepted.
    needs_acceptance = models.BooleanField(
        _("akceptacja administratora centralnego"), default=False
    )
    # A closed period takes changes only through corrections the administrators open.
    closed_at = models.DateTimeField(_("okres zamknięto"), null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publikacja formularza")
        verbose_name_plural = _("publikacje formularzy")
        ordering = ["-year", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_version", "year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="publication_unique_quarter",
                violation_error_message=_("Ten formularz jest już opublikowany za ten okres."),
            ),
            models.UniqueConstraint(
                fields=["form_version", "year", "month"],
                condition=models.Q(month__isnull=False),
                name="publication_unique_month",
                violation_error_message=_("Ten formularz jest już opublikowany za ten okres."),
            ),
            models.UniqueConstraint(
                fields=["form_version", "year"],
                condition=models.Q(quarter__isnull=True, month__isnull=True),
                name="publication_unique_year",
                violation_error_message=_("Ten formularz jest już opublikowany za ten okres."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(quarter__isnull=True, month__isnull=True)
                    | models.Q(quarter__isnull=True, month__gte=1, month__lte=12)
                    | models.Q(month__isnull=True, quarter__gte=1, quarter__lte=4)
                ),
                name="publication_period",
                violation_error_message=_("Okres to rok, kwartał (1–4) albo miesiąc (1–12)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_version} – {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.cumulative and self.quarter:
            return f"{self.year} Q1–Q{self.quarter}" if self.quarter > 1 else f"{self.year} Q1"
        return period_label(self.year, self.quarter, self.month)

    @property
    def period_start(self) -> date:
        """The first day the report covers: the year's, the quarter's (the year's when
        cumulative) or the month's."""
        if self.quarter and not self.cumulative:
            return date(self.year, 3 * self.quarter - 2, 1)
        if self.month:
            return date(self.year, self.month, 1)
        return date(self.year, 1, 1)

    @property
    def period_end(self) -> date:
        """The last day the report covers."""
        last_month = 3 * self.quarter if self.quarter else (self.month or 12)
        following = (
            date(self.year + 1, 1, 1) if last_month == 12 else date(self.year, last_month + 1, 1)
        )
        return following - timedelta(days=1)

    def period_dates(self) -> Period:
        """The period's first and last day and the deadline, as the rules read them
        (period_start(), period_end(), deadline()): a cumulative quarter starts on 1 January,
        and the deadline is the final one."""
        return Period(start=self.period_start, end=self.period_end, deadline=self.deadline)

    def title_params(self) -> dict[str, str]:
        """The form's code and the period, for titles that name the publication."""
        return {"form": self.form_version.definition.code, "period": self.period_label}

    @property
    def kind(self) -> str:
        return self.form_version.kind

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    def verifier_in(self, voivodeship: str):
        """The office other than the voivodeship's that verifies this form there, if any."""
        return next((o for o in self.verifiers.all() if o.voivodeship == voivodeship), None)

    def next_deadline(self, today: date | None = None) -> date:
        """The preliminary deadline while it is ahead, then the final one."""
        today = today or timezone.localdate()
        if self.preliminary_deadline is not None and self.preliminary_deadline >= today:
            return self.preliminary_deadline
        return self.deadline

    def filing_conditions(self) -> list[FilingCondition]:
        return [FilingCondition.from_json(data) for data in self.who_files or []]


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObligationQuerySet":
        """Reporters: their entity's obligations of the forms their account may fill, unless
        exempted; regional
        administrators: those of entities in their voivodeship; the central administrator:
        all; anybody else: none."""
        if _is_reporter(user):
            # An exempted obligation is not the reporters' any more; administrators still
            # see it, to lift the exemption.
            return self.filter(
                entity_id=user.entity_id,
                publication__in=Publication.objects.visible_to(user),
                exempted_at__isnull=True,
            )
        if is_administrator(user, central=True):
            return self
        if is_administrator(user):
            return self.filter(
                verified_by(user, "publication_id"), entity__voivodeship=user.voivodeship
            )
        return self.none()


class Obligation(models.Model):
    """An entity's duty to send a published form (obowiązek sprawozdawczy)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="obligations"
    )
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="obligations")
    activated_at = models.DateTimeField(_("aktywowano"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An exempted obligation (zwolnienie) is not chased: the entity closed, or does not have
    # the activity. It keeps its row, so that the programme does not create it again.
    exempted_at = models.DateTimeField(_("zwolniono"), null=True, blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exemption_reason = models.CharField(_("powód zwolnienia"), max_length=500, blank=True)
    # Kept by `reports.obligation_state.refresh` whenever a report's state changes: the rank
    # of the least advanced report (0 not taken up, 1 being filled, 2 back for correction,
    # 3 sent, 4 approved), and whether any report was first sent after the deadline.
    state = models.PositiveSmallIntegerField(_("stan"), default=0)
    sent_late = models.BooleanField(_("wysłane po terminie"), default=False)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obowiązek sprawozdawczy")
        verbose_name_plural = _("obowiązki sprawozdawcze")
        constraints = [
            models.UniqueConstraint(fields=["publication", "entity"], name="obligation_unique"),
        ]
        indexes = [
            # Completeness and the publications list: a publication's obligations by state.
            models.Index(fields=["publication", "state"], name="obligation_state"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} – {self.publication}"

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None

    @property
    def is_exempted(self) -> bool:
        return self.exempted_at is not None

    def exempt(self, *, by, reason: str) -> None:
        """Exempt the (locked) obligation, keeping who did it and why."""
        self.exempted_at = timezone.now()
        self.exempted_by = by
        self.exemption_reason = reason[:500]
        self.save(update_fields=["exempted_at", "exempted_by", "exemption_reason"])

    def lift_exemption(self) -> None:
        self.exempted_at = None
        self.exempted_by = None
        self.exemption_reason = ""
        self.save(update_fields=["exempted_at", "exempted_by", "exemption_reason"])

    def is_met(self) -> bool:
        """Whether a report of the obligation was sent and is not back for correction: such
        an obligation is not exempted nor answered away."""
        return self.reports.filter(status__in=MET_STATES).exists()


class AssignmentAnswer(models.Model):
    """An entity's answer to one question of the assignment survey (ankieta przypisująca
    sprawozdania): whether it has the activity that a programme entry asks about."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="assignment_answers"
    )
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="assignment_answers")
    files = models.BooleanField(_("prowadzi tę działalność"))
    answered_at = models.DateTimeField(_("odpowiedziano"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("odpowiedź ankiety przypisującej")
        verbose_name_plural = _("odpowiedzi ankiety przypisującej")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "entity"], name="assignment_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} – {self.publication}: {'tak' if self.files else 'nie'}"
