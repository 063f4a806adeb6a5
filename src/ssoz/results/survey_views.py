"""„Wyniki ankiety”: a maturity survey's results for administrators (the levels' distribution,
the means by voivodeship and entity type, one entity against its peers), and for the reporter
of an approved survey, its entity against its peers with what the next level would take."""

import csv
import io

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ssoz.lib.http import attachment
from ssoz.reports.access import get_report_for_user
from ssoz.reports.models import Report, Status
from ssoz.results import aggregates, charts, maturity
from ssoz.results.forms import SurveyResultsForm

# Entities listed under the search box at once: a longer list asks for a narrower search.
ENTITIES_LISTED = 25


@require_GET
def survey(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = aggregates.get_publication_for_results(request.user, publication_id)
    scale = maturity.scale_of(publication.form_version.compiled())
    if scale is None:
        raise Http404
    form = SurveyResultsForm(request.GET, user=request.user)
    context = {"publication": publication, "form": form, "scale": scale}
    if not form.is_valid():
        return render(request, "results/survey.html", context, status=400)
    chosen = form.cleaned_data
    scope = aggregates.scope_for(request.user, chosen["zakres"] or None)
    final_only = not chosen["wszystkie"]
    visible = maturity.counted_reports(
        publication, final_only=final_only, reports=Report.objects.visible_to(request.user)
    )
    if scope.voivodeship:
        visible = visible.filter(voivodeship=scope.voivodeship)
    entity = None
    if chosen["podmiot"]:
        entity = (
            visible.filter(obligation__entity_id=chosen["podmiot"])
            .values(
                "obligation__entity_id", "obligation__entity__name", "obligation__entity__regon"
            )
            .first()
        )
        if entity is None:
            form.add_error("szukaj", _("Wybierz podmiot z listy."))
            return render(request, "results/survey.html", context, status=400)
    found = maturity.respondents(
        publication,
        scale,
        final_only=final_only,
        controls_of=entity["obligation__entity_id"] if entity else None,
    )
    within = found.within(scope)
    context.update(
        scope=scope,
        final_only=final_only,
        respondents_count=len(within),
        distribution=maturity.distribution(scale, within, suppressed=scope.suppressed),
        by_voivodeship=maturity.group_means(
            scale, within, "wojewodztwo", suppressed=scope.suppressed
        ),
        by_type=maturity.group_means(scale, within, "typ", suppressed=scope.suppressed),
        entity=entity,
        entities=_entities(visible, chosen["szukaj"]),
        rule=aggregates.Rule(),
    )
    if entity is not None:
        context["profile"] = maturity.profile(scale, found, entity["obligation__entity_id"])
    query = {
        "zakres": chosen["zakres"],
        "wszystkie": "on" if chosen["wszystkie"] else "",
        "podmiot": chosen["podmiot"] or "",
    }
    if request.GET.get("format") == "csv" and chosen["tabela"]:
        return _survey_csv(publication, context, chosen["tabela"])
    context["csv_query"] = {
        table: urlencode({**query, "tabela": table, "format": "csv"})
        for table in ("rozklad", "wojewodztwa", "typy", "podmiot")
    }
    context["page_query"] = urlencode({**query, "podmiot": "", "szukaj": chosen["szukaj"]})
    if context.get("profile"):
        context["chart"] = _radar(request, context["profile"], entity["obligation__entity__name"])
    return render(request, "results/survey.html", context)


def _entities(visible, search: str) -> list[dict]:
    """The entities whose counted reports the administrator sees, found by name or REGON."""
    found = visible
    if search:
        found = found.filter(
            Q(obligation__entity__name__icontains=search)
            | Q(obligation__entity__regon__startswith=search)
        )
    return list(
        found.order_by("obligation__entity__name", "obligation__entity_id")
        .values("obligation__entity_id", "obligation__entity__name", "obligation__entity__regon")
        .distinct()[: ENTITIES_LISTED + 1]
    )


@require_GET
def survey_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The reporter's view of an approved survey: only for those who see the report."""
    report = get_report_for_user(request.user, report_id).report
    scale = maturity.scale_of(report.compiled_form())
    if scale is None:
        raise Http404
    publication = report.publication
    context = {"report": report, "publication": publication, "scale": scale}
    approved = report.status == Status.APPROVED and not report.awaits_acceptance
    context["approved"] = approved
    if not approved:
        return render(request, "results/survey_report.html", context)
    entity_id = report.obligation.entity_id
    # Reporters compare with approved surveys only: nothing waiting for review is shown.
    found = maturity.respondents(publication, scale, final_only=True, controls_of=entity_id)
    profile = maturity.profile(scale, found, entity_id)
    context["profile"] = profile
    if profile is not None:
        if request.GET.get("format") == "csv":
            return _csv_response(
                _profile_lines(profile), f"ankieta-{publication.period_label}-{entity_id}"
            )
        context["chart"] = _radar(request, profile, report.obligation.entity.name)
        context["lagging"] = profile.lagging()
    return render(request, "results/survey_report.html", context)


def _radar(request: HttpRequest, profile: maturity.Profile, name: str):
    nonce = get_nonce(request)
    # The axes are the areas the entity has a score in; the table lists every area.
    rows = [(area, own, peers) for area, own, peers in profile.rows() if own is not None]
    return charts.maturity_radar(
        [str(area.short_title) for area, _own, _peers in rows],
        [float(own) for _area, own, _peers in rows],
        [float(p) if p is not None else None for _a, _o, p in rows]
        if profile.peers.shown
        else None,
        title=_("%(entity)s – poziom dojrzałości w obszarach na tle grupy porównawczej")
        % {"entity": name},
        own_label=_("Podmiot (linia ciągła)"),
        peers_label=_("Średnia grupy porównawczej (linia przerywana)"),
        nonce=str(nonce) if nonce is not None else None,
    )


# --- CSV --------------------------------------------------------------------------------------

HIDDEN = "×"


def _survey_csv(publication, context: dict, table: str) -> HttpResponse:
    scale = context["scale"]
    if table == "rozklad":
        lines = [
            [_("Obszar"), *(str(level) for level in maturity.LEVELS), _("bez oceny"), _("Razem")]
        ]
        for row in context["distribution"]:
            lines.append(
                [
                    row.label,
                    *(HIDDEN if hidden else count for count, hidden in row.cells()),
                    HIDDEN if row.hidden else row.total,
                ]
            )
    elif table in ("wojewodztwa", "typy"):
        rows = context["by_voivodeship" if table == "wojewodztwa" else "by_type"]
        heading = _("Województwo") if table == "wojewodztwa" else _("Typ jednostki")
        lines = [
            [
                heading,
                _("Podmioty"),
                _("Ogólny poziom dojrzałości"),
                *(str(area.title) for area in scale.areas),
            ]
        ]
        for row in rows:
            if row.hidden:
                lines.append([row.label, HIDDEN, HIDDEN, *(HIDDEN for _a in scale.areas)])
                continue
            lines.append(
                [
                    row.label,
                    row.count,
                    _comma(row.overall),
                    *(HIDDEN if hidden else _comma(mean) for mean, hidden in row.area_cells()),
                ]
            )
    else:
        profile = context.get("profile")
        if profile is None:
            raise Http404
        lines = _profile_lines(profile)
    name = f"wyniki-ankiety-{publication.form_version.definition.code}-{publication.period_label}"
    return _csv_response(lines, f"{name}-{table}")


def _profile_lines(profile: maturity.Profile) -> list[list]:
    lines = [[_("Obszar"), _("Podmiot"), _("Średnia grupy porównawczej")]]
    for area, score, peers in profile.rows():
        lines.append([str(area.title), _comma(score), _comma(peers)])
    lines.append(
        [
            _("Ogólny poziom dojrzałości"),
            _comma(profile.respondent.overall),
            _comma(profile.peers.overall),
        ]
    )
    return lines


def _csv_response(lines: list[list], name: str) -> HttpResponse:
    """For Polish Excel: UTF-8 with a BOM, semicolons and decimal commas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(lines)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, name, "csv")


def _comma(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", ",")
