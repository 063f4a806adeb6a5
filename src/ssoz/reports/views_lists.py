"""The reporter's lists of forms and the way from „aktywuj” to the reports to fill in."""

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssoz.accounts.views import client_ip
from ssoz.reports import access, workflow
from ssoz.reports.models import FormKind, Obligation, Status

KIND_SLUGS = {"okresowe": FormKind.PERIODIC, "jednorazowe": FormKind.ONE_TIME}
STATE_SLUGS = {
    "do-uzupelnienia": Status.DRAFT,
    "wyslane": Status.SENT,
    "zatwierdzone": Status.APPROVED,
    "do-korekty": Status.RETURNED,
}


def list_url(kind: str, state: str, year: int | None = None) -> str:
    query = {"rodzaj": kind, "stan": state}
    if year:
        query["rok"] = year
    return f"{reverse('reports:list')}?{urlencode(query)}"


def report_list(request: HttpRequest) -> HttpResponse:
    """The tabs „sprawozdania okresowe” / „sprawozdania jednorazowe”, each with the states
    „do uzupełnienia”, „wysłane do weryfikacji”, „zatwierdzone” and „do korekty”."""
    user = request.user
    kind_slug = request.GET.get("rodzaj", "okresowe")
    kind = KIND_SLUGS.get(kind_slug, FormKind.PERIODIC)
    state_slug = request.GET.get("stan", "do-uzupelnienia")
    state = STATE_SLUGS.get(state_slug, Status.DRAFT)
    obligations = access.obligations_visible_to(user).filter(publication__form_version__kind=kind)
    years = sorted(set(obligations.values_list("publication__year", flat=True)), reverse=True)
    year_param = request.GET.get("rok", "")
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else None
    if year is None and years:
        year = years[0]
    obligations = obligations.filter(publication__year=year).select_related(
        "publication__form_version__definition", "entity"
    )
    reports = access.reports_visible_to(user).filter(obligation__in=obligations)
    counts = {status: reports.filter(status=status).count() for status in Status.values}
    waiting = obligations.filter(activated_at__isnull=True) if state == Status.DRAFT else []
    counts[Status.DRAFT] += obligations.filter(activated_at__isnull=True).count()
    activated_without_reports = (
        obligations.filter(activated_at__isnull=False, reports__isnull=True)
        if state == Status.DRAFT
        else []
    )
    shown = (
        reports.filter(status=state)
        .select_related("obligation__publication__form_version__definition", "unit")
        .order_by(
            "obligation__publication__deadline",
            "obligation_id",
            # The collective report first, on every database.
            F("unit__unit_code").asc(nulls_first=True),
        )
    )
    kinds = [
        (slug, FormKind(value).label, list_url(slug, state_slug, year))
        for slug, value in KIND_SLUGS.items()
    ]
    states = [
        (slug, Status(value).label, counts[value], list_url(kind_slug, slug, year))
        for slug, value in STATE_SLUGS.items()
    ]
    return render(
        request,
        "reports/list.html",
        {
            "kinds": kinds,
            "kind_slug": kind_slug,
            "states": states,
            "state_slug": state_slug,
            "state_label": Status(state).label,
            "years": years,
            "year": year,
            "waiting": waiting,
            "activated_without_reports": activated_without_reports,
            "reports": shown,
            "today": timezone.localdate(),
        },
    )


def obligation_window(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """The chosen form's window with „aktywuj”."""
    obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    if request.method == "POST":
        workflow.activate_obligation(
            obligation=obligation, actor=request.user, ip_address=client_ip(request)
        )
        return redirect("reports:choose_level", obligation.pk)
    return render(
        request,
        "reports/obligation.html",
        {
            "obligation": obligation,
            "publication": obligation.publication,
            "definition": obligation.publication.form_version,
            "reports": obligation.reports.select_related("unit"),
        },
    )


def choose_level(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """Report collectively for the whole entity, or tick organisational units."""
    obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    levels = obligation.publication.form_version.data.get("levels") or ["entity"]
    units = obligation.entity.units.filter(is_active=True).order_by("unit_code")
    taken = set(obligation.reports.values_list("unit_id", flat=True))
    error = None
    if request.method == "POST":
        collective = request.POST.get("action") == "collective"
        chosen_ids = [value for value in request.POST.getlist("units") if value.isdigit()]
        chosen = list(units.filter(pk__in=chosen_ids))
        try:
            created = workflow.create_reports(
                obligation=obligation,
                actor=request.user,
                collective=collective,
                units=chosen,
                ip_address=client_ip(request),
            )
        except workflow.WorkflowError as problem:
            error = str(problem)
        else:
            if created:
                messages.success(
                    request,
                    _("Utworzono sprawozdania do uzupełnienia: %(count)d. Kliknij „wypełnij”.")
                    % {"count": len(created)},
                )
            else:
                messages.info(request, _("Wybrane sprawozdania już istnieją."))
            kind = "jednorazowe" if obligation.publication.kind == FormKind.ONE_TIME else "okresowe"
            return redirect(list_url(kind, "do-uzupelnienia", obligation.publication.year))
    return render(
        request,
        "reports/choose_level.html",
        {
            "obligation": obligation,
            "publication": obligation.publication,
            "allows_entity": "entity" in levels,
            "allows_units": "unit" in levels,
            "collective_exists": None in taken,
            "units": [(unit, unit.pk in taken) for unit in units],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
def activate_shortcut(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """„aktywuj” pressed right in the list."""
    obligation: Obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    workflow.activate_obligation(
        obligation=obligation, actor=request.user, ip_address=client_ip(request)
    )
    return redirect("reports:choose_level", obligation.pk)
