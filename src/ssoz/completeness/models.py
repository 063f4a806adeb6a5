"""Completeness of a publication's reporting: the state of each obliged entity, and the
reminders sent to those that have not sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.publications.models import Publication
from ssoz.registry.models import Entity


class EntityState(models.TextChoices):
    """Where an obliged entity is with a publication (stan podmiotu): the state of its least
    advanced report, or „nieaktywowane” while it has not taken the form up. Listed from the
    least advanced; an entity has sent once none of its reports is still to be filled."""

    NOT_ACTIVATED = "not_activated", _("nieaktywowane")
    FILLING = "filling", _("w trakcie wypełniania")
    RETURNED = "returned", _("do korekty")
    SENT = "sent", _("wysłane do weryfikacji")
    APPROVED = "approved", _("zatwierdzone")
    # Not chased and not counted in the total: the obligation was exempted (zwolnienie).
    EXEMPTED = "exempted", _("zwolnione")

    @classmethod
    def not_sent(cls) -> tuple["EntityState", ...]:
        return (cls.NOT_ACTIVATED, cls.FILLING)


class Reminder(models.Model):
    """A reminder to send a report (przypomnienie), mailed to an entity that has not sent:
    at most one a day per entity and publication, each one kept as the log of reminders."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reminders")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField(_("dzień"))
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)
    sent_to = models.TextField(_("adresaci"))
    # No active reporter may fill the form: the registry's contact address was used.
    to_registry_address = models.BooleanField(_("na adres z rejestru"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wysłał"),
    )
    automatic = models.BooleanField(_("automatyczne"), default=False)

    class Meta:
        verbose_name = _("przypomnienie")
        verbose_name_plural = _("przypomnienia")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "entity", "day"],
                name="reminder_once_a_day",
                violation_error_message=_(
                    "Ten podmiot dostał już dziś przypomnienie o tym formularzu."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} – {self.publication_id} {self.day:%Y-%m-%d}"
