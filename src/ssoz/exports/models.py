"""An export (eksport danych): a file of a publication's data that an administrator asked for,
written by the worker and downloadable by that administrator until it expires."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ssoz.jobs.models import Job
from ssoz.publications.models import Publication


class ExportKind(models.TextChoices):
    MICRODATA = "dane", _("dane jednostkowe: wiersz na sprawozdanie, kolumna na pole")
    AGGREGATE = "zestawienie", _("zestawienie, jak na stronie „Wyniki”, z ukryciem danych")
    RULES = "reguly", _("wyniki reguł: ostrzeżenia z wyjaśnieniami sprawozdawców")
    RECORDS = "karty", _("karty: wiersz na kartę, numer PESEL zamaskowany")


class ExportFormat(models.TextChoices):
    CSV_POLISH = "csv-pl", _("CSV dla polskiego Excela (średnik, przecinek dziesiętny)")
    CSV = "csv", _("CSV dla programów (przecinek, kropka dziesiętna)")
    XLSX = "xlsx", _("Excel (XLSX)")
    SDMX = "sdmx", _("SDMX-CSV 2.0 z definicją struktury danych (ZIP)")

    @property
    def extension(self) -> str:
        return {"csv-pl": "csv", "csv": "csv", "xlsx": "xlsx", "sdmx": "zip"}[self.value]


class Export(models.Model):
    """What was asked for (`kind`, `file_format`, `options`), by whom, and the file once the
    worker has written it. The file is kept until `expires_at`, then removed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="export")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("zawartość"), max_length=16, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    options = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("rozmiar w bajtach"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("wiersze"), null=True, blank=True)
    expires_at = models.DateTimeField(_("wygasa"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("eksport danych")
        verbose_name_plural = _("eksporty danych")

    def __str__(self) -> str:
        return f"{self.publication} – {self.get_kind_display()} ({self.get_file_format_display()})"

    @property
    def format(self) -> ExportFormat:
        return ExportFormat(self.file_format)

    @property
    def path(self):
        return settings.EXPORTS_ROOT / self.file_name if self.file_name else None

    @property
    def content_type(self) -> str:
        return EXPORT_CONTENT_TYPES[self.format.extension]

    @property
    def download_name(self) -> str:
        """The file's name for the person downloading it, without its extension."""
        publication = self.publication
        return (
            f"{publication.form_version.definition.code}-{publication.period_label}-{self.kind}"
            + ("-pl" if self.file_format == ExportFormat.CSV_POLISH else "")
        )


EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
