"""Reports with their values, sent versions and the audit trail.

A report's values are kept as one JSON object of what the clerk typed, keyed by field or cell
reference ("D1.W01.K1"): one row per report, so 30,000 reports stream back in one pass, and a
value that fails its checks is kept exactly as typed.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import is_administrator
from ssoz.definitions.models import compiled_form
from ssoz.publications.models import Obligation, Publication, verified_by
from ssoz.registry.models import Entity, OrganisationalUnit
from ssoz.registry.teryt import Voivodeship


class FormKind(models.TextChoices):
    PERIODIC = "periodic", _("sprawozdania okresowe")
    ONE_TIME = "one_time", _("sprawozdania jednorazowe")


class Status(models.TextChoices):
    """Where a report is in its life; the reporter's tabs are named after these."""

    DRAFT = "draft", _("do uzupełnienia")
    SENT = "sent", _("wysłane do weryfikacji")
    APPROVED = "approved", _("zatwierdzone")
    RETURNED = "returned", _("do korekty")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """The one visibility rule of reports, for lists and single reports alike: reporters
        see the reports of the obligations they see (`ObligationQuerySet.visible_to`: their
        entity's, of the forms their account may fill); a regional administrator those of her
        voivodeship, as the report records it, of the forms her office verifies there
        (`verified_by`); the central administrator all."""
        if is_administrator(user, central=True):
            return self
        if is_administrator(user):
            # The report's own voivodeship, indexed: the queue and the counts of a voivodeship
            # read one table.
            return self.filter(verified_by(user, "publication_id"), voivodeship=user.voivodeship)
        return self.filter(obligation__in=Obligation.objects.visible_to(user))

    def with_form_key(self) -> "ReportQuerySet":
        """Each report with its form version's id and checksum, which is all that is needed to
        get its compiled form from the cache (`Report.compiled_form`)."""
        version = "publication__form_version"
        return self.annotate(
            form_version_pk=models.F(f"{version}_id"),
            form_checksum=models.F(f"{version}__checksum"),
            period_closed_at=models.F("publication__closed_at"),
        )

    def with_period_key(self) -> "ReportQuerySet":
        """Each report with what finds its entity's report of the same form for another period
        (`Report.period_key`), so that last period's report is found without reading the
        report's relations."""
        return self.annotate(
            entity_pk=models.F("obligation__entity_id"),
            definition_pk=models.F("publication__form_version__definition_id"),
            period_year=models.F("publication__year"),
            period_quarter=models.F("publication__quarter"),
            period_month=models.F("publication__month"),
        )

    def final(self) -> "ReportQuerySet":
        """Reports approved at the last level their publication needs: approved, and accepted
        where the publication asks for acceptance. What results and exports count."""
        return self.filter(status=Status.APPROVED).filter(
            models.Q(publication__needs_acceptance=False) | models.Q(accepted_at__isnull=False)
        )

    def for_entity(self, entity: Entity) -> "ReportQuerySet":
        return self.filter(obligation__entity=entity)

    def of_kind(self, kind: str) -> "ReportQuerySet":
        return self.filter(publication__form_version__kind=kind)


class Report(models.Model):
    """A report (sprawozdanie): for the whole entity, or for one organisational unit."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reports")
    # The obligation's publication, kept on the report too (it never changes): the queue and
    # the counts per publication then need no join.
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        OrganisationalUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Puste: sprawozdanie zbiorcze za całą działalność podmiotu."),
    )
    status = models.CharField(
        _("stan"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The voivodeship whose office reviews the report: its entity's when the report was made,
    # kept with it as its header (metryczka) is.
    voivodeship = models.CharField(_("województwo"), max_length=2, choices=Voivodeship.choices)
    values = models.JSONField(_("wartości"), default=dict)
    explanations = models.JSONField(_("wyjaśnienia ostrzeżeń"), default=dict)
    header = models.JSONField(_("metryczka"), default=dict)
    revision = models.PositiveIntegerField(_("wersja zapisu"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    # The first sending and whether it came after the deadline, recorded when it happens: a
    # deadline extended later does not make a late report timely.
    first_sent_at = models.DateTimeField(_("pierwsze wysłanie"), null=True, blank=True)
    sent_late = models.BooleanField(_("wysłane po terminie"), default=False)
    return_comment = models.TextField(_("uwagi administratora"), blank=True)
    is_correction = models.BooleanField(_("korekta"), default=False)
    # Sent as a zero report (sprawozdanie zerowe): the entity had nothing to report. Kept until
    # the report is next sent, as its last sent version says.
    is_zero = models.BooleanField(_("sprawozdanie zerowe"), default=False)
    # Kept with the report by „Wyślij”, so that the queue marks reports sent again after a
    # return and filters by warnings without reading the versions.
    times_sent = models.PositiveSmallIntegerField(_("liczba wysłań"), default=0)
    # The last number given to one of its repeating records: numbers are never reused, so
    # that „Karta nr 12” in the trail names one card.
    last_record_number = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveSmallIntegerField(
        _("ostrzeżenia w ostatniej wysłanej wersji"), default=0
    )
    # Units with at most five staff may report on paper: an administrator types the report
    # in for the entity, and fills and sends it as its reporter would.
    on_paper = models.BooleanField(_("sprawozdanie papierowe"), default=False)
    # A reporter's reason for asking that an approved report be reopened for a correction; the
    # administrator sees it, and reopening clears it.
    reopen_request = models.TextField(_("prośba sprawozdawcy o korektę"), blank=True)
    # The second level, where the publication asks for one: the central administrator's
    # acceptance of an approved report.
    accepted_at = models.DateTimeField(_("zaakceptowano"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("sprawozdanie")
        verbose_name_plural = _("sprawozdania")
        ordering = ["obligation", "unit__unit_code"]
        indexes = [
            # The review queue and its counts: a voivodeship's, or the country's, by state, the
            # oldest sent first.
            # With the key last, a page of the queue is found in the index alone, however
            # deep (`review.selectors.queue_page`).
            models.Index(
                fields=["voivodeship", "status", "sent_at", "id"], name="report_queue_keys"
            ),
            models.Index(fields=["status", "sent_at", "id"], name="report_queue_country_keys"),
            # „Zatwierdź wszystkie bez ostrzeżeń”: how many sent reports have no warnings.
            models.Index(fields=["status", "warning_count"], name="report_status_warnings"),
            models.Index(fields=["publication", "status"], name="report_publication_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "unit"],
                name="report_unique_per_unit",
                violation_error_message=_("To sprawozdanie już istnieje."),
            ),
            models.UniqueConstraint(
                fields=["obligation"],
                condition=models.Q(unit__isnull=True),
                name="report_unique_collective",
                violation_error_message=_("Sprawozdanie zbiorcze już istnieje."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.form_version.definition.code} {self.publication.period_label} – {self.subject}"
        )

    def save(self, *args, **kwargs) -> None:
        """Saves the report; when its state (or its lateness) may have changed, its
        obligation's state follows in the same transaction."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"status", "sent_late", "obligation"} & set(update_fields):
            from ssoz.reports.obligation_state import refresh

            refresh([self.obligation_id])

    @property
    def form_version(self):
        return self.publication.form_version

    def compiled_form(self):
        """The report's compiled form: from the cache by the annotated key when the report was
        fetched `with_form_key()` (no other row is read), else through its form version."""
        if getattr(self, "form_version_pk", None) is not None:
            return compiled_form(self.form_version_pk, self.form_checksum)
        return self.form_version.compiled()

    def period_key(self) -> tuple[int, int, int, int | None, int | None]:
        """The report's entity, form definition, year, quarter and month: from the
        annotations when it was fetched `with_period_key()`, else through its relations."""
        if getattr(self, "period_year", None) is not None:
            return (
                self.entity_pk,
                self.definition_pk,
                self.period_year,
                self.period_quarter,
                self.period_month,
            )
        publication = self.publication
        return (
            self.obligation.entity_id,
            publication.form_version.definition_id,
            publication.year,
            publication.quarter,
            publication.month,
        )

    def record_first_sending(self, at) -> list[str]:
        """Note the report's first sending at `at` and whether it came after its
        publication's deadline (a day in the local time); later sendings change nothing.
        Returns the fields to save."""
        if self.first_sent_at is not None:
            return []
        deadline = Publication.objects.values_list("deadline", flat=True).get(
            pk=self.publication_id
        )
        self.first_sent_at = at
        self.sent_late = timezone.localdate(at) > deadline
        return ["first_sent_at", "sent_late"]

    @property
    def awaits_acceptance(self) -> bool:
        return (
            self.status == Status.APPROVED
            and self.accepted_at is None
            and self.publication.needs_acceptance
        )

    @property
    def state_label(self) -> str:
        """The state as people say it: with the second level where there is one."""
        if self.status == Status.APPROVED and self.accepted_at is not None:
            return str(_("zaakceptowane"))
        if self.awaits_acceptance:
            return str(_("zatwierdzone, czeka na akceptację"))
        return self.get_status_display()

    @property
    def entity(self) -> Entity:
        return self.obligation.entity

    @property
    def subject(self) -> str:
        """What the report is about: the whole entity, or one of its units."""
        return self.unit.name if self.unit_id else self.obligation.entity.name

    @property
    def is_collective(self) -> bool:
        return self.unit_id is None

    @property
    def period_is_closed(self) -> bool:
        """Whether the report's period is closed: from the annotation when it was fetched
        `with_form_key()`, else through its publication."""
        if hasattr(self, "period_closed_at"):
            return self.period_closed_at is not None
        return self.publication.closed_at is not None

    @property
    def held_by_closed_period(self) -> bool:
        """Still to be filled in or corrected, but its period was closed meanwhile."""
        return (
            self.status in (Status.DRAFT, Status.RETURNED)
            and not self.is_correction
            and self.period_is_closed
        )

    @property
    def is_editable(self) -> bool:
        """Being filled in or back for correction, in an open period, or a correction an
        administrator opened after the period was closed."""
        return self.status in (Status.DRAFT, Status.RETURNED) and (
            self.is_correction or not self.period_is_closed
        )


def values_checksum(values: dict, explanations: dict, records: list | None = None) -> str:
    """SHA-256 of a report's content in a canonical form: the proof of what was sent. The
    records of a form with repeating records are part of it; a form without any is summed as
    before records existed, so that older checksums still prove their versions."""
    content: dict = {"values": values, "explanations": explanations}
    if records:
        content["records"] = records
    canonical = json.dumps(
        content,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReportVersion(models.Model):
    """A sent version of a report (wersja wysłana), kept unchanged for comparison and proof."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numer"))
    values = models.JSONField(default=dict)
    explanations = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    sent_at = models.DateTimeField(_("wysłano"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checksum = models.CharField(_("suma kontrolna SHA-256"), max_length=64)
    is_zero = models.BooleanField(_("sprawozdanie zerowe"), default=False)
    # The records sent (a form with repeating records): each {"number", "values",
    # "explanations"}, values as the record's form keeps them.
    records = models.JSONField(default=list)

    class Meta:
        verbose_name = _("wersja wysłana")
        verbose_name_plural = _("wersje wysłane")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.number}"


class Record(models.Model):
    """One repeating record of a report (rekord; for MZ/Szp-11B a card, karta, per discharged
    patient): a small form of its own, with its values as typed and the explanations of its
    warnings. `errors` and `warnings` are what its last check found, for the list."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="records")
    # Shown as „Karta nr 12”; never reused within a report, so a number names one record.
    number = models.PositiveIntegerField(_("numer"))
    values = models.JSONField(_("wartości"), default=dict)
    explanations = models.JSONField(_("wyjaśnienia ostrzeżeń"), default=dict)
    errors = models.PositiveIntegerField(_("błędy"), default=0)
    warnings = models.PositiveIntegerField(_("ostrzeżenia"), default=0)
    # The checksum of the form version the counts were found with: a verify checks again only
    # the records checked with another (after a correction of the rules).
    checked_with = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rekord sprawozdania")
        verbose_name_plural = _("rekordy sprawozdań")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="record_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.number}"


class ValueChange(models.Model):
    """One value changed by one save (zmiana wartości): what it was before the save that made
    `revision`. A save from a page that is out of date looks up, for each value it would
    change, what the page was showing – one indexed look-up per value, however many saves
    came in between."""

    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="value_changes")
    ref = models.CharField(max_length=200)
    revision = models.PositiveIntegerField()
    old = models.JSONField(default=str)

    class Meta:
        verbose_name = _("zmiana wartości")
        verbose_name_plural = _("zmiany wartości")
        indexes = [
            models.Index(fields=["report", "ref", "revision"], name="value_change_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.ref} @{self.revision}"


class ReportEvent(models.Model):
    """One line of a report's audit trail: who did what, when, from where, which values changed."""

    class Kind(models.TextChoices):
        CREATED = "created", _("utworzono")
        SAVED = "saved", _("zapisano")
        VERIFIED = "verified", _("zweryfikowano")
        SENT = "sent", _("wysłano do weryfikacji")
        RETURNED = "returned", _("zwrócono do korekty")
        APPROVED = "approved", _("zatwierdzono")
        REOPENED = "reopened", _("otwarto do korekty po zatwierdzeniu")
        WITHDRAWN = "withdrawn", _("cofnięto zatwierdzenie")
        ACCEPTED = "accepted", _("zaakceptowano")
        PAPER = "paper", _("wprowadzono z wersji papierowej")
        REOPEN_REQUESTED = "reopen_requested", _("sprawozdawca poprosił o korektę")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict)
    # The report's revision after this save: lets a late save find what its page was showing.
    revision = models.PositiveIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # Made through the API with this token of `user` (none: on a page).
    api_token = models.ForeignKey(
        "api.ApiToken", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("zdarzenie sprawozdania")
        verbose_name_plural = _("dziennik zmian sprawozdań")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class UploadPreview(models.Model):
    """A file of values read and shown, not yet applied (podgląd wczytanego pliku): exactly
    the values the preview listed, for the user who uploaded it, on the report at the revision
    it was read against. Kept in the database rather than a per-process cache, so that
    „Zastosuj” works whichever server process answers it."""

    key = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="upload_previews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upload_previews"
    )
    base_revision = models.PositiveIntegerField()
    changes = models.JSONField(default=dict)
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("podgląd wczytanego pliku")
        verbose_name_plural = _("podglądy wczytanych plików")

    def __str__(self) -> str:
        return f"{self.report_id} @{self.base_revision} ({self.file_name})"
