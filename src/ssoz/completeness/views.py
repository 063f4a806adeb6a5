"""„Kompletność sprawozdań”: for administrators, each publication's entities counted by
state, the list of those that have not sent (also as CSV), „Wyślij przypomnienie”, and the
exemptions from an obligation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssoz.accounts.access import require_administrator
from ssoz.completeness import charts, exports, selectors, services
from ssoz.completeness.forms import ExemptionForm, NotReportedForm, ScopeForm, SummaryForm
from ssoz.completeness.models import EntityState
from ssoz.lib.errors import refusals_on
from ssoz.lib.http import attachment
from ssoz.publications import services as publication_services
from ssoz.publications.models import Publication

PAGE_SIZE = 50


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The publications, each leading to its completeness."""
    require_administrator(request.user)
    publications = (
        Publication.objects.visible_to(request.user)
        .select_related("form_version__definition")
        .defer("form_version__data", "form_version__source")
        .order_by("-year", "deadline", "pk")
    )
    return render(request, "completeness/index.html", {"publications": publications})


@require_GET
def summary(request: HttpRequest, publication_id: int) -> HttpResponse:
    """The obliged entities by state, per voivodeship, county or entity type: a table with
    a chart beside it, and the share sent by the deadline."""
    publication = selectors.get_publication_for_admin(request.user, publication_id)
    central = request.user.is_central_admin
    data = request.GET.copy()
    if not data.get("grupuj"):
        # The country by voivodeship; a voivodeship by county.
        data["grupuj"] = "wojewodztwo" if central and not data.get("wojewodztwo") else "powiat"
    form = SummaryForm(data, central=central)
    context = {"publication": publication, "form": form, "states": EntityState}
    if not form.is_valid():
        return render(request, "completeness/summary.html", context, status=400)
    scope = selectors.scope_for(request.user, publication, form.voivodeship())
    grouping = form.cleaned_data["grupuj"]
    groups = selectors.state_counts(scope, grouping)
    context.update(
        scope=scope,
        grouping=grouping,
        grouping_label=selectors.GROUPINGS[grouping][1],
        groups=groups,
        total=selectors.total_of(groups),
        chart=charts.states_chart(groups, selectors.GROUPINGS[grouping][1], nonce=_nonce(request)),
        days=selectors.days_to_deadline(publication),
        scope_query=urlencode(
            {"wojewodztwo": scope.voivodeship} if central and scope.voivodeship else {}
        ),
    )
    return render(request, "completeness/summary.html", context)


@require_GET
def not_reported(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Podmioty, które nie wysłały sprawozdania”: with their contacts and the days left or
    late, by name, a page at a time."""
    publication = selectors.get_publication_for_admin(request.user, publication_id)
    form = NotReportedForm(request.GET, central=request.user.is_central_admin)
    context = {"publication": publication, "form": form}
    if not form.is_valid():
        return render(request, "completeness/not_reported.html", context, status=400)
    scope = selectors.scope_for(request.user, publication, form.voivodeship())
    page = Paginator(selectors.not_reported(scope, form.filters()), PAGE_SIZE).get_page(
        form.cleaned_data["strona"]
    )
    query = urlencode(form.query())
    context.update(
        scope=scope,
        page=page,
        rows=selectors.with_contacts(publication, page.object_list),
        days=selectors.days_to_deadline(publication),
        page_query=query,
        query=query,
    )
    return render(request, "completeness/not_reported.html", context)


@require_GET
def not_reported_csv(request: HttpRequest, publication_id: int) -> HttpResponse:
    """The same list, every page of it, as CSV."""
    publication = selectors.get_publication_for_admin(request.user, publication_id)
    form = NotReportedForm(request.GET, central=request.user.is_central_admin)
    if not form.is_valid():
        context = {"publication": publication, "form": form}
        return render(request, "completeness/not_reported.html", context, status=400)
    scope = selectors.scope_for(request.user, publication, form.voivodeship())
    response = StreamingHttpResponse(
        exports.not_reported_csv(publication, scope, form.filters()),
        content_type="text/csv; charset=utf-8",
    )
    name = f"niewyslane-{publication.form_version.definition.code}-{publication.period_label}"
    return attachment(response, name, "csv")


def _nonce(request: HttpRequest) -> str | None:
    nonce = get_nonce(request)
    return str(nonce) if nonce is not None else None


@require_http_methods(["GET", "POST"])
def remind(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Wyślij przypomnienie”: the page asks to confirm, with how many entities will be
    mailed; confirmed, the job mails them and its page shows how far it is."""
    publication = selectors.get_publication_for_admin(request.user, publication_id)
    data = request.POST if request.method == "POST" else request.GET
    form = ScopeForm(data, central=request.user.is_central_admin)
    context = {"publication": publication, "form": form}
    if not form.is_valid():
        return render(request, "completeness/remind.html", context, status=400)
    scope = selectors.scope_for(request.user, publication, form.voivodeship())
    if request.method == "POST":
        job = services.start_reminders(
            publication=publication, actor=request.user, voivodeship=scope.voivodeship
        )
        return redirect("jobs:detail", job.pk)
    context.update(scope=scope, count=services.to_remind(scope).count())
    return render(request, "completeness/remind.html", context)


@require_http_methods(["GET", "POST"])
def exempt(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """„Zwolnij z obowiązku”: the reason, then the obligation is neither counted nor chased."""
    obligation = selectors.get_obligation_for_admin(request.user, obligation_id)
    form = ExemptionForm(request.POST or None)
    context = {"obligation": obligation, "form": form}
    if request.method == "POST":
        if form.is_valid():
            with refusals_on(form) as refused:
                publication_services.exempt_obligation(
                    obligation=obligation, actor=request.user, reason=form.cleaned_data["reason"]
                )
            if not refused:
                messages.success(
                    request,
                    _("%(entity)s: zwolniono z obowiązku przekazania %(form)s za %(period)s.")
                    % {
                        "entity": obligation.entity.name,
                        "form": obligation.publication.form_version.definition.code,
                        "period": obligation.publication.period_label,
                    },
                )
                return redirect("completeness:exempted", obligation.publication_id)
            return render(request, "completeness/exempt.html", context, status=refused.status)
        return render(request, "completeness/exempt.html", context, status=400)
    return render(request, "completeness/exempt.html", context)


@require_GET
def exempted(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Zwolnione z obowiązku”: the exempted entities with the reason, who and when."""
    publication = selectors.get_publication_for_admin(request.user, publication_id)
    scope = selectors.scope_for(request.user, publication)
    page = Paginator(selectors.exempted(scope), PAGE_SIZE).get_page(request.GET.get("strona"))
    context = {"publication": publication, "scope": scope, "page": page, "page_query": ""}
    return render(request, "completeness/exempted.html", context)


@require_POST
def lift_exemption(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """„Cofnij zwolnienie”."""
    obligation = publication_services.lift_exemption(obligation=obligation_id, actor=request.user)
    messages.success(
        request,
        _("%(entity)s: zwolnienie cofnięte; obowiązek znów obowiązuje.")
        % {"entity": obligation.entity.name},
    )
    return redirect("completeness:exempted", obligation.publication_id)
