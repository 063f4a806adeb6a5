"""Asking for an export, and removing the ones that expired.

An export is a job: `start_export` checks that the administrator may read the publication,
records what was asked for, and puts `tasks.write_export` on the queue; its page shows the
progress and, once done, the download link (`selectors.get_export_for_download`).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.exports.models import Export, ExportFormat, ExportKind
from ssoz.jobs.services import start_job
from ssoz.results.aggregates import get_publication_for_results

logger = logging.getLogger(__name__)


def start_export(
    *,
    actor: User,
    publication_id: int,
    kind: ExportKind,
    file_format: ExportFormat,
    labels: str | None = "pl",
    final_only: bool = True,
    table: dict | None = None,
) -> Export:
    """Ask for an export of a publication the actor may read (403/404 otherwise): `labels`
    is the language of the header's labels (None: codes only), `table` the „Wyniki” query
    of an aggregate export (its field names as on that page)."""
    publication = get_publication_for_results(actor, publication_id)
    if kind == ExportKind.AGGREGATE and not table:
        raise ValueError("an aggregate export needs its table's query")
    options = {"labels": labels, "final_only": final_only, **({"table": table} if table else {})}
    # The job is enqueued when this commits, by when its export is saved too.
    with transaction.atomic():
        return _record(actor, publication, kind, file_format, options)


def _record(actor, publication, kind, file_format, options) -> Export:
    from ssoz.exports.tasks import write_export  # the task imports the writers

    export = Export(
        publication=publication,
        requested_by=actor,
        kind=kind,
        file_format=file_format,
        options=options,
    )
    export.job = start_job(
        task=write_export,
        user=actor,
        title=gettext_noop("Eksport danych: %(form)s, %(period)s (%(format)s)"),
        title_params={
            "form": publication.form_version.definition.code,
            "period": publication.period_label,
            "format": ExportFormat(file_format).extension.upper(),
        },
        export_id=str(export.pk),
    )
    export.save()
    return export


def remove_expired_exports(now=None) -> int:
    """Delete the files of exports past their expiry, and the exports; returns how many."""
    now = now or timezone.now()
    expired = Export.objects.filter(expires_at__lt=now)
    count = 0
    for export in expired.iterator():
        if export.path is not None:
            export.path.unlink(missing_ok=True)
        count += 1
    expired.delete()
    return count
