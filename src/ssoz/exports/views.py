"""„Eksport danych”: asking for a publication's data as a file, and downloading it once the
worker has written it."""

import uuid

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssoz.exports import selectors, services
from ssoz.exports.forms import ExportForm, TableExportForm
from ssoz.exports.models import Export, ExportFormat, ExportKind
from ssoz.lib.http import attachment
from ssoz.results import aggregates
from ssoz.results.aggregates import get_publication_for_results
from ssoz.results.forms import AggregateForm

RECENT = 20


@require_http_methods(["GET", "POST"])
def publication_export(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = get_publication_for_results(request.user, publication_id)
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        with_records=publication.form_version.compiled().records is not None,
    )
    if request.method == "POST" and form.is_valid():
        export = services.start_export(
            actor=request.user,
            publication_id=publication.pk,
            kind=ExportKind(form.cleaned_data["zawartosc"]),
            file_format=ExportFormat(form.cleaned_data["format"]),
            labels=form.labels,
            final_only=not form.cleaned_data["wszystkie"],
        )
        return redirect("jobs:detail", export.job_id)
    recent = (
        Export.objects.filter(publication=publication, requested_by=request.user)
        .select_related("job")
        .order_by("-job__created_at")[:RECENT]
    )
    return render(
        request,
        "exports/publication_export.html",
        {"publication": publication, "form": form, "recent": recent},
        status=400 if form.is_bound else 200,
    )


@require_POST
def table_export(request: HttpRequest, publication_id: int) -> HttpResponse:
    """The „Wyniki” table as a file: the page's query, checked as the page checks it."""
    publication = get_publication_for_results(request.user, publication_id)
    figures = aggregates.numeric_figures(publication.form_version.compiled())
    query = AggregateForm(request.POST, figures=figures, user=request.user)
    chosen_format = TableExportForm(request.POST)
    if not (query.is_valid() and chosen_format.is_valid()):
        return render(
            request,
            "exports/table_export_refused.html",
            {"publication": publication, "forms": [query, chosen_format]},
            status=400,
        )
    chosen = query.cleaned_data
    # The scope is checked now, as the page would check it, not only by the worker.
    aggregates.scope_for(request.user, chosen["zakres"] or None)
    export = services.start_export(
        actor=request.user,
        publication_id=publication.pk,
        kind=ExportKind.AGGREGATE,
        file_format=ExportFormat(chosen_format.cleaned_data["format"]),
        final_only=not chosen["wszystkie"],
        table={
            "cecha": chosen["cecha"],
            "wedlug": chosen["wedlug"] or "wojewodztwo",
            "zakres": chosen["zakres"],
        },
    )
    return redirect("jobs:detail", export.job_id)


@require_GET
def download(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    try:
        export = selectors.get_export_for_download(request.user, export_id)
    except selectors.ExportExpired:
        return render(request, "exports/expired.html", status=410)
    response = FileResponse(export.path.open("rb"), content_type=export.content_type)
    return attachment(response, export.download_name, export.format.extension)
