"""Background work a person started: its progress and its result, for that person to follow."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("w kolejce")
    RUNNING = "running", _("w toku")
    SUCCEEDED = "succeeded", _("zakończone")
    FAILED = "failed", _("nieudane")


class Job(models.Model):
    """A job (zadanie w tle): work on the queue that a person started and follows on its page.

    Its title and summary are stored as message ids with their values and translated when
    shown, so each person reads them in the language of the page.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("rodzaj"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    title = models.CharField(_("tytuł"), max_length=300)
    title_params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("stan"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("wykonano"), default=0)
    total = models.PositiveIntegerField(_("do wykonania"), null=True, blank=True)
    summary = models.CharField(_("podsumowanie"), max_length=500, blank=True)
    summary_params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(_("wynik"), default=dict, blank=True)
    error = models.TextField(_("błąd"), blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("rozpoczęto"), null=True, blank=True)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    # Touched on every progress report: a running job that stops touching it has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("zadanie w tle")
        verbose_name_plural = _("zadania w tle")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        return gettext(self.title) % self.title_params if self.title_params else gettext(self.title)

    @property
    def summary_text(self) -> str:
        if not self.summary:
            return ""
        return (
            gettext(self.summary) % self.summary_params
            if self.summary_params
            else gettext(self.summary)
        )

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def to_dict(self) -> dict:
        """The job's state as plain data, in the current language: for its page and the API."""
        return {
            "id": str(self.pk),
            "title": self.title_text,
            "state": self.state,
            "state_label": str(self.get_state_display()),
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "summary": self.summary_text,
            "finished": self.is_finished,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
