"""„Wyniki”: a form's figures summed by voivodeship, county or entity type, under statistical
confidentiality where the reader may not see the data in full."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ssoz.completeness.selectors import get_publication_for_admin
from ssoz.results import aggregates
from ssoz.results.forms import AggregateForm


@require_GET
def aggregate(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = get_publication_for_admin(request.user, publication_id)
    figures = aggregates.numeric_figures(publication.form_version.compiled())
    data = request.GET if "cecha" in request.GET else None
    form = AggregateForm(data, figures=figures, user=request.user)
    context = {"publication": publication, "form": form}
    if data is None:
        if not figures:
            return render(request, "results/aggregate.html", context)
        form = AggregateForm(
            {"cecha": figures[0][0], "wedlug": "wojewodztwo"}, figures=figures, user=request.user
        )
        context["form"] = form
    if not form.is_valid():
        return render(request, "results/aggregate.html", context, status=400)
    chosen = form.cleaned_data
    scope = aggregates.scope_for(request.user, chosen["zakres"] or None)
    if chosen["kolumny"]:
        context["grid"] = aggregates.two_way(
            publication=publication,
            figure=chosen["cecha"],
            rows_by=chosen["wedlug"] or "wojewodztwo",
            columns_by=chosen["kolumny"],
            scope=scope,
            final_only=not chosen["wszystkie"],
        )
    else:
        context["result"] = aggregates.aggregate(
            publication=publication,
            figure=chosen["cecha"],
            breakdown=chosen["wedlug"] or "wojewodztwo",
            scope=scope,
            final_only=not chosen["wszystkie"],
        )
    context["figure_label"] = dict(figures)[chosen["cecha"]]
    return render(request, "results/aggregate.html", context)
