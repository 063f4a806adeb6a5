"""Who may download which export: the person who asked for it, while she still may read the
publication's results and until it expires; nobody else learns that it exists."""

import uuid

from django.http import Http404
from django.utils import timezone

from ssoz.accounts.models import User
from ssoz.exports.models import Export
from ssoz.results.aggregates import get_publication_for_results


class ExportExpired(Exception):
    """The export was there, but its file has been removed or is past its expiry."""


def get_export_for_requester(user: User, export_id: uuid.UUID) -> Export:
    """The export, finished or not, if `user` asked for it and may still read its
    publication; 404 otherwise (its existence is not told)."""
    export = (
        Export.objects.filter(pk=export_id, requested_by_id=user.pk)
        .select_related("job", "publication__form_version__definition")
        .defer("publication__form_version__data", "publication__form_version__source")
        .first()
    )
    if export is None:
        raise Http404
    get_publication_for_results(user, export.publication_id)
    return export


def get_export_for_download(user: User, export_id: uuid.UUID) -> Export:
    """The finished export, if `user` asked for it and may still read its publication; 404
    otherwise; `ExportExpired` once its time is up."""
    export = (
        Export.objects.filter(pk=export_id, requested_by_id=user.pk).select_related("job").first()
    )
    if export is None or not export.file_name:
        raise Http404
    get_publication_for_results(user, export.publication_id)
    if export.expires_at is None or export.expires_at <= timezone.now() or not export.path.exists():
        raise ExportExpired
    return export
