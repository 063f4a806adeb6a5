"""The reporter's lists of forms and the way from „aktywuj” to the reports to fill in."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssoz.lib.errors import refusals_on
from ssoz.lib.http import client_ip
from ssoz.lib.ids import parse_int
from ssoz.publications.services import activate_obligation
from ssoz.reports import access, selectors, workflow
from ssoz.reports.forms import ChooseLevelForm
from ssoz.reports.models import FormKind, Status
from ssoz.reports.navigation import KIND_SLUGS, STATE_SLUGS, list_url


def report_list(request: HttpRequest) -> HttpResponse:
    """The tabs „sprawozdania okresowe” / „sprawozdania jednorazowe”, each with the states
    „do uzupełnienia”, „wysłane do weryfikacji”, „zatwierdzone” and „do korekty”."""
    kind_slug = request.GET.get("rodzaj", "")
    if kind_slug not in KIND_SLUGS:
        kind_slug = "okresowe"
    state_slug = request.GET.get("stan", "")
    if state_slug not in STATE_SLUGS:
        state_slug = "do-uzupelnienia"
    state = STATE_SLUGS[state_slug]
    listing = selectors.report_list(
        request.user,
        kind=KIND_SLUGS[kind_slug],
        state=state,
        year=parse_int(request.GET.get("rok"), minimum=1900, maximum=2999),
        page_number=request.GET.get("strona", 1),
    )
    year = listing.year
    return render(
        request,
        "reports/list.html",
        {
            "kind_slug": kind_slug,
            "kind_label": FormKind(KIND_SLUGS[kind_slug]).label,
            "states": [
                (slug, Status(value).label, listing.counts[value], list_url(kind_slug, slug, year))
                for slug, value in STATE_SLUGS.items()
            ],
            "state_slug": state_slug,
            "state_label": Status(state).label,
            "years": listing.years,
            "year": year,
            "waiting": listing.waiting,
            "activated_without_reports": listing.activated_without_reports,
            "page": listing.page,
            "page_query": urlencode({"rodzaj": kind_slug, "stan": state_slug, "rok": year or ""}),
            "today": timezone.localdate(),
        },
    )


def obligation_window(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """The chosen form's window with „aktywuj”."""
    obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    if request.method == "POST":
        activate_obligation(
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
    units = list(obligation.entity.units.filter(is_active=True).order_by("unit_code"))
    taken = set(obligation.reports.values_list("unit_id", flat=True))
    form = ChooseLevelForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusals_on(form) as refused:
                created = workflow.create_reports(
                    obligation=obligation,
                    actor=request.user,
                    collective=form.collective,
                    units=form.chosen_units,
                    ip_address=client_ip(request),
                )
            if not refused:
                if created:
                    messages.success(
                        request,
                        _("Utworzono sprawozdania do uzupełnienia: %(count)d. Kliknij „wypełnij”.")
                        % {"count": len(created)},
                    )
                else:
                    messages.info(request, _("Wybrane sprawozdania już istnieją."))
                publication = obligation.publication
                kind = "jednorazowe" if publication.kind == FormKind.ONE_TIME else "okresowe"
                return redirect(list_url(kind, "do-uzupelnienia", publication.year))
            status = refused.status
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
            "form": form,
        },
        status=status,
    )


@require_POST
def activate_shortcut(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """„aktywuj” pressed right in the list."""
    obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    activate_obligation(obligation=obligation, actor=request.user, ip_address=client_ip(request))
    return redirect("reports:choose_level", obligation.pk)
