"""„Publikacja formularzy”: the central administrator's publications and the publishing page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssoz.accounts.access import (
    is_administrator,
    require_administrator,
    require_whole_country_reader,
)
from ssoz.lib.errors import refusals_on
from ssoz.publications import selectors, services
from ssoz.publications.forms import (
    ChooseVersionForm,
    DeadlineForm,
    ProgrammeYearForm,
    PublishForm,
)
from ssoz.publications.models import Publication


@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    """Every publication with how many entities are obliged, have activated, and how many of
    their reports are sent, approved and back for correction, and its results. Analysts read
    it too, without the central administrator's verbs."""
    require_whole_country_reader(request.user)
    # Analysts read the list; the verbs are the central administrator's alone.
    may_change = is_administrator(request.user, central=True)
    years = selectors.programme_years(request.user)
    form = ProgrammeYearForm(request.GET, years=years)
    if not form.is_valid():
        context = {"publications": [], "year_form": form, "may_change": may_change}
        return render(request, "publications/publication_list.html", context, status=400)
    year = form.cleaned_data["rok"]
    return render(
        request,
        "publications/publication_list.html",
        {
            "publications": selectors.publications_with_counts(request.user, year=year),
            "year_form": form,
            "year": year,
            "may_change": may_change,
        },
    )


@require_POST
def recheck(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Sprawdź ponownie”: every rule run again over the publication's sent reports, as a job
    whose progress and result its page shows."""
    job = services.start_recheck(
        publication=get_object_or_404(Publication, pk=publication_id), actor=request.user
    )
    return redirect("jobs:detail", job.pk)


@require_http_methods(["GET", "POST"])
def change_deadline(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Zmień termin”: the deadline of the programme's entry for this period."""
    require_administrator(request.user, central=True)
    publication = get_object_or_404(
        Publication.objects.select_related("form_version__definition").defer(
            "form_version__data", "form_version__source"
        ),
        pk=publication_id,
    )
    form = DeadlineForm(request.POST or None, initial={"deadline": publication.deadline})
    if request.method == "POST":
        if form.is_valid():
            services.change_deadline(
                publication=publication, actor=request.user, deadline=form.cleaned_data["deadline"]
            )
            messages.success(
                request,
                _("%(publication)s: termin przekazania to teraz %(date)s.")
                % {"publication": publication, "date": publication.deadline.strftime("%d.%m.%Y")},
            )
            return redirect("publications:list")
        return render(
            request,
            "publications/deadline.html",
            {"publication": publication, "form": form},
            status=400,
        )
    return render(request, "publications/deadline.html", {"publication": publication, "form": form})


@require_POST
def close_period(request: HttpRequest, publication_id: int) -> HttpResponse:
    """„Zamknij okres” and „Otwórz okres”."""
    publication = get_object_or_404(Publication, pk=publication_id)
    closed = request.POST.get("closed") == "yes"
    services.set_period_closed(publication=publication, actor=request.user, closed=closed)
    messages.success(
        request,
        (
            _("%(publication)s: okres zamknięty; zmiany są możliwe tylko w korektach.")
            if closed
            else _("%(publication)s: okres znów otwarty.")
        )
        % {"publication": publication},
    )
    return redirect("publications:list")


@require_POST
def acceptance(request: HttpRequest, publication_id: int) -> HttpResponse:
    """Two levels of approval for a publication's reports, or one."""
    publication = get_object_or_404(Publication, pk=publication_id)
    required = request.POST.get("required") == "yes"
    services.set_needs_acceptance(publication=publication, actor=request.user, required=required)
    messages.success(
        request,
        (
            _(
                "%(publication)s: sprawozdania zatwierdzone przez urząd akceptuje "
                "administrator centralny."
            )
            if required
            else _("%(publication)s: zatwierdzenie przez urząd kończy weryfikację.")
        )
        % {"publication": publication},
    )
    return redirect("publications:list")


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    """„Publikacja formularza”: a version, its period, deadline and audience; „Dalej: podgląd”
    counts the entities; „Opublikuj” publishes exactly what the preview showed."""
    require_administrator(request.user, central=True)
    chooser = ChooseVersionForm(request.GET if "wersja" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "publications/publish.html", {"chooser": chooser})
    form_version = chooser.cleaned_data["wersja"]
    form = PublishForm(request.POST or None, form_version=form_version)
    context = {"chooser": chooser, "form": form, "form_version": form_version}
    if request.method != "POST":
        return render(request, "publications/publish.html", context)
    if not form.is_valid():
        return render(request, "publications/publish.html", context, status=400)
    cleaned = form.cleaned_data
    preview = services.preview_publication(
        form_version=form_version,
        year=cleaned["year"],
        quarter=cleaned.get("quarter"),
        month=cleaned.get("month"),
        deadline=cleaned["deadline"],
        audience=form.audience_chosen,
        inputs=form.inputs,
        actor=request.user,
        preliminary_deadline=cleaned.get("preliminary_deadline"),
    )
    context["preview"] = preview
    if request.POST.get("action") != "publish":
        return render(request, "publications/publish.html", context)
    if request.POST.get("preview_key") != preview.key:
        form.add_error(
            None,
            _(
                "Dane publikacji zmieniły się od podglądu. Sprawdź podgląd poniżej i kliknij "
                "„Opublikuj” ponownie."
            ),
        )
        return render(request, "publications/publish.html", context, status=409)
    with refusals_on(form) as refused:
        published = services.publish(
            form_version=form_version,
            year=preview.year,
            quarter=preview.quarter,
            month=preview.month,
            deadline=preview.deadline,
            audience=preview.audience,
            actor=request.user,
            extend=preview.existing is not None,
            preliminary_deadline=cleaned.get("preliminary_deadline"),
            assignment_question=cleaned.get("assignment_question", ""),
            verifiers=cleaned.get("verifiers") or (),
        )
    if refused:
        return render(request, "publications/publish.html", context, status=refused.status)
    publication = published.publication
    values = {
        "code": form_version.definition.code,
        "period": publication.period_label,
        "count": published.added,
    }
    if published.extended:
        message = _(
            "Do publikacji formularza %(code)s za okres %(period)s dodano podmioty: %(count)d."
        )
    else:
        message = _(
            "Opublikowano formularz %(code)s za okres %(period)s; obowiązek sprawozdawczy "
            "otrzymało podmiotów: %(count)d."
        )
    messages.success(request, message % values)
    return redirect("publications:list")
