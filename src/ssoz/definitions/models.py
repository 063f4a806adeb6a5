"""Form definitions and their versions, as loaded from the statisticians' files."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ssoz.definitions.form import CompiledForm, cached_form


class SourceFormat(models.TextChoices):
    YAML = "yaml", "YAML"
    XLSX = "xlsx", "XLSX"


class Kind(models.TextChoices):
    PERIODIC = "periodic", _("okresowy")
    ONE_TIME = "one_time", _("jednorazowy")


class Period(models.TextChoices):
    YEAR = "year", _("rok")
    QUARTER = "quarter", _("kwartał")
    MONTH = "month", _("miesiąc")


class FormDefinition(models.Model):
    """A statistical form (formularz), e.g. MZ-88; its content lives in its versions."""

    code = models.CharField(_("kod"), max_length=40)
    title_pl = models.CharField(_("nazwa"), max_length=500)
    title_en = models.CharField(_("nazwa po angielsku"), max_length=500)

    class Meta:
        verbose_name = _("formularz")
        verbose_name_plural = _("formularze")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="form_definition_code_unique_ci",
                violation_error_message=_("Formularz o tym kodzie już istnieje."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title_pl}"

    @property
    def title(self) -> str:
        """The form's name in the language of the page."""
        return self.title_en if (get_language() or "pl").startswith("en") else self.title_pl


class FormVersion(models.Model):
    """A version of a form (wersja formularza): one definition file, immutable once a report
    uses it — a change then makes a new version."""

    definition = models.ForeignKey(
        FormDefinition,
        verbose_name=_("formularz"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    version = models.CharField(_("wersja"), max_length=40)
    source = models.TextField(_("plik źródłowy"))
    source_format = models.CharField(
        _("format pliku"), max_length=4, choices=SourceFormat.choices, default=SourceFormat.YAML
    )
    filename = models.CharField(_("nazwa pliku"), max_length=255, blank=True)
    checksum = models.CharField(_("suma kontrolna SHA-256"), max_length=64)
    data = models.JSONField(_("definicja"))
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("okres"), max_length=10, choices=Period.choices)
    loaded_at = models.DateTimeField(_("wczytano"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wczytał(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loaded_form_versions",
    )

    class Meta:
        verbose_name = _("wersja formularza")
        verbose_name_plural = _("wersje formularzy")
        ordering = ["definition__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "version"],
                name="form_version_unique",
                violation_error_message=_("Ta wersja formularza już istnieje."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} {self.version}"

    def compiled(self) -> CompiledForm:
        """The compiled form, from the in-process cache (compiled once per checksum); its data
        is read only when the form is not cached yet, so it may be deferred."""
        return compiled_form(self.pk, self.checksum, loader=self._definition)

    def _definition(self) -> tuple[dict, str]:
        return self.data, self.filename or f"{self.definition.code} {self.version}"

    def is_in_use(self) -> bool:
        """Whether anything refers to this version — in practice, whether a report uses it.

        Reports are added by a later app whose Report has a foreign key to FormVersion; rather
        than import it here, every relation pointing at FormVersion that exists at run time is
        asked whether it has rows. A model added later is covered without a change here.
        (Relations declared with ``related_name="+"`` are hidden from ``related_objects`` and
        so not seen: do not hide a relation that must keep a version from changing.)
        """
        return has_related_rows(self)


def compiled_form(
    version_id: int, checksum: str, *, loader: Callable[[], tuple[dict, str]] | None = None
) -> CompiledForm:
    """The compiled form of a version known by its id and checksum (both of which a report
    row reaches without reading the version's data); loaded from the database only when not
    cached yet."""

    def load() -> tuple[dict, str]:
        if loader is not None:
            return loader()
        version = FormVersion.objects.select_related("definition").get(pk=version_id)
        return version._definition()

    return cached_form((version_id, checksum), load)


def has_related_rows(instance: models.Model, relations: Iterable | None = None) -> bool:
    """Whether any row of another model refers to ``instance`` through one of ``relations``
    (by default every reverse relation of its model: foreign keys, one-to-one and
    many-to-many fields pointing at it). One EXISTS query per relation."""
    if instance.pk is None:
        return False
    for relation in relations if relations is not None else instance._meta.related_objects:
        manager = relation.related_model._base_manager
        if manager.filter(**{relation.field.name: instance}).exists():
            return True
    return False


class RuleCorrection(models.Model):
    """A correction of the rules of a version already in use (poprawka reguł): its fields stay
    as they were, so its reports keep their meaning and are checked again by the new rules.
    The rules before the correction are kept, for the re-validation and for the record."""

    form_version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="rule_corrections"
    )
    previous_data = models.JSONField(_("definicja przed poprawką"))
    previous_checksum = models.CharField(max_length=64)
    corrected_at = models.DateTimeField(_("poprawiono"), default=timezone.now)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("poprawka reguł")
        verbose_name_plural = _("poprawki reguł")
        ordering = ["-corrected_at"]

    def __str__(self) -> str:
        return f"{self.form_version_id} {self.corrected_at:%Y-%m-%d %H:%M}"

    def previous_form(self) -> CompiledForm:
        """The version as it was before the correction, compiled."""
        return compiled_form(
            self.form_version_id,
            self.previous_checksum,
            loader=lambda: (self.previous_data, f"{self.form_version_id} {self.previous_checksum}"),
        )
