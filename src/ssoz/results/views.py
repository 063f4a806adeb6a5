"""„Wyniki”: a form's figures summed by voivodeship, county, entity type or another of the
registry's attributes, with rates per 10,000 inhabitants by voivodeship or county, under
statistical confidentiality where the reader may not see the data in full."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ssoz.exports.forms import TableExportForm
from ssoz.lib.http import attachment
from ssoz.results import aggregates, charts
from ssoz.results.forms import AggregateForm


@require_GET
def aggregate(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = aggregates.get_publication_for_results(request.user, publication_id)
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
        context["figure_label"] = dict(figures)[chosen["cecha"]]
        return render(request, "results/aggregate.html", context)
    result = aggregates.aggregate(
        publication=publication,
        figure=chosen["cecha"],
        breakdown=chosen["wedlug"] or "wojewodztwo",
        scope=scope,
        final_only=not chosen["wszystkie"],
    )
    figure_label = dict(figures)[chosen["cecha"]]
    if request.GET.get("format") == "csv":
        return _csv(publication, result, figure_label)
    nonce = get_nonce(request)
    context.update(
        result=result,
        figure_label=figure_label,
        chart=charts.sums_chart(
            result, figure_label, nonce=str(nonce) if nonce is not None else None
        ),
        csv_query=urlencode(
            {**chosen, "wszystkie": "on" if chosen["wszystkie"] else "", "format": "csv"}
        ),
        table_query={**chosen, "wszystkie": "on" if chosen["wszystkie"] else ""},
        table_export=TableExportForm(),
    )
    return render(request, "results/aggregate.html", context)


def _csv(publication, result: aggregates.Aggregate, figure_label: str) -> HttpResponse:
    """The table as shown, hidden cells included as „×”, for Polish Excel: UTF-8 with a BOM,
    semicolons and decimal commas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    rates = result.population_year is not None
    writer.writerow([figure_label])
    rate_heading = (
        [_("Na 10 tys. ludności (ludność %(year)d)") % {"year": result.population_year}]
        if rates
        else []
    )
    writer.writerow(
        [result.breakdown_label, _("Suma")]
        + rate_heading
        + [_("Średnia"), _("Mediana"), _("Podmioty sprawozdające")]
    )
    for row in [*result.rows, result.total]:
        if row.hidden:
            # A hidden row's rate is hidden with it: the population would tell its sum.
            writer.writerow([row.label] + ["×"] * (5 if rates else 4))
        else:
            rate = [_comma(row.rate)] if rates else []
            writer.writerow(
                [row.label, _comma(row.total), *rate, _comma(row.mean), _comma(row.median)]
                + [row.count]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"wyniki-{publication.form_version.definition.code}-{publication.period_label}"
    return attachment(response, name, "csv")


def _comma(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
