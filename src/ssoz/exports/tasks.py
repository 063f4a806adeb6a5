"""The worker's side of an export: one streamed pass over the database into the file."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ssoz.exports import tables, writers
from ssoz.exports.models import Export, ExportFormat, ExportKind
from ssoz.jobs.services import running
from ssoz.results.aggregates import get_publication_for_results


def export_table(export: Export) -> tables.ExportTable:
    """What the export holds, read as its administrator may read it now."""
    user = export.requested_by
    # Access is checked again: the administrator may have lost it since she asked.
    publication = get_publication_for_results(user, export.publication_id)
    options = export.options
    final_only = options.get("final_only", True)
    decimal_comma = export.file_format == ExportFormat.CSV_POLISH
    if export.kind == ExportKind.MICRODATA:
        return tables.microdata(
            user, publication, final_only=final_only, decimal_comma=decimal_comma
        )
    if export.kind == ExportKind.AGGREGATE:
        return tables.aggregate(
            user,
            publication,
            options={**options["table"], "final_only": final_only},
            decimal_comma=decimal_comma,
        )
    if export.kind == ExportKind.RECORDS:
        return tables.records(user, publication, final_only=final_only, decimal_comma=decimal_comma)
    return tables.rule_results(user, publication, final_only=final_only)


@task
def write_export(*, job_id: str, export_id: str) -> None:
    with running(job_id) as progress:
        export = Export.objects.select_related("requested_by").get(pk=export_id)
        labels = export.options.get("labels")
        with translation.override(labels or "pl"):
            table = export_table(export)
            progress.advance(0, table.total)
            settings.EXPORTS_ROOT.mkdir(parents=True, exist_ok=True)
            name = f"{export.pk}.{export.format.extension}"
            partial = settings.EXPORTS_ROOT / f"{name}.part"
            try:
                count = writers.write(
                    table, export.format, partial, labels, progress=progress.advance
                )
                partial.replace(settings.EXPORTS_ROOT / name)
            finally:
                partial.unlink(missing_ok=True)
        export.file_name = name
        export.rows = count
        export.size = export.path.stat().st_size
        export.expires_at = timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS)
        export.save(update_fields=["file_name", "rows", "size", "expires_at"])
        progress.finish(
            gettext_noop("Plik jest gotowy. Wierszy danych: %(rows)d."),
            {"rows": count},
            result={
                "export": str(export.pk),
                "publication": export.publication_id,
                "expires_at": timezone.localtime(export.expires_at).strftime("%d.%m.%Y %H:%M"),
            },
        )
