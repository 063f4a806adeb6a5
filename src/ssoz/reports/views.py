"""Filling in a report: „wypełnij”, „Zapisz do uzupełnienia na później”, „Weryfikuj bez
wysyłania”, „Wyślij”, and the background save."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import client_ip, json_view
from ssoz.reports import access, inputs, records, workflow
from ssoz.reports.access import ReportAccess
from ssoz.reports.forms import ReopenRequestForm
from ssoz.reports.models import Status
from ssoz.reports.presentation import (
    Message,
    build_report_view,
    build_verification_view,
    dom_id,
)


def report_context(
    allowed: ReportAccess, *, stage: str, result=None, save=None, verified=False, previous=None
):
    report = allowed.report
    # Last period's report is read once per page: for the engine and for the values shown.
    if previous is None:
        previous = workflow.previous_values(report)
    if result is None:
        result = workflow.check_report(report, stage=stage, previous=previous)
    raw = dict(report.values)
    if save is not None:
        # What this user typed but could not be stored stays in the fields, as typed.
        for ref, (_theirs, mine) in save.conflicts.items():
            raw[ref] = mine
    view = build_report_view(
        report.form_version.compiled(), raw, result, previous, read_only=not allowed.can_edit
    )
    if save is not None:
        for section in view.sections:
            cells = [c for row in (section.table.rows if section.table else []) for c in row.cells]
            for item in [*section.fields, *cells]:
                if item.ref in save.conflicts:
                    message = workflow.conflict_message(save.conflicts[item.ref][0])
                    item.messages.insert(0, Message("error", message))
                if item.ref in save.refused:
                    item.messages.insert(0, Message("error", save.refused[item.ref]))
    header_keys = report.form_version.compiled().header or list(report.header)
    with_records = report.form_version.compiled().records is not None
    return {
        "records_summary": records.summary(report) if with_records else None,
        "report": report,
        "publication": report.publication,
        "form_version": report.form_version,
        "header": [
            (key, report.header.get(key, "")) for key in header_keys if key in report.header
        ],
        "view": view,
        "result": result,
        "verified": verified,
        "editable": allowed.can_edit,
        "warnings_to_explain": _warnings_to_explain(report, result) if verified else [],
        "waiting": _waiting(result) if verified else [],
        "versions": report.versions.order_by("-number"),
        "may_request_reopening": report.status == Status.APPROVED and not allowed.can_review,
        "reopen_form": ReopenRequestForm(),
    }


def _warnings_to_explain(report, result) -> list[tuple]:
    """Each warning with the explanation given so far and the id of its first field."""
    return [
        (
            warning,
            report.explanations.get(warning.rule_id, ""),
            dom_id(warning.fields[0]) if warning.fields else "",
        )
        for warning in result.warnings
        if warning.awaiting is None
    ]


def _waiting(result) -> list:
    """The warnings of rules that read another form's report not sent yet: shown, never to
    explain (see workflow.unexplained_warnings)."""
    return [warning for warning in result.warnings if warning.awaiting is not None]


def _verified_partial(request: HttpRequest, report, result) -> HttpResponse:
    """„Weryfikuj bez wysyłania” from a page that shows the form: only the verification and
    what it changes at the fields, applied there by report.js, instead of the whole form.
    Whoever saved the report may still edit it."""
    view = build_verification_view(report.compiled_form(), result)
    fields = {
        "revision": report.revision,
        "saved_at": timezone.localtime(report.updated_at).strftime("%H:%M:%S"),
        "messages": view.messages,
        "irrelevant": view.irrelevant,
        "computed": view.computed,
        "sections_irrelevant": [s.id for s in view.sections if not s.relevant],
    }
    context = {
        "report": report,
        "result": result,
        "view": view,
        "editable": True,
        "warnings_to_explain": _warnings_to_explain(report, result),
        "waiting": _waiting(result),
        "fields": fields,
    }
    response = render(request, "reports/verified.html", context)
    return reswap(retarget(response, "#verification-slot"), "innerHTML")


@refusal_returns_to("reports:detail", "report_id")
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """„wypełnij”: the report page; read-only once sent, and for administrators."""
    if request.method == "POST":
        return _post(request, report_id)
    allowed = access.get_report_for_user(request.user, report_id)
    stage = "verify" if request.GET.get("weryfikacja") else "save"
    context = report_context(allowed, stage=stage, verified=stage == "verify")
    return render(request, "reports/detail.html", context)


def _post(request: HttpRequest, report_id: int) -> HttpResponse:
    # The right to save is checked on the locked row (`workflow.save_report`). A refusal (sent
    # meanwhile from another tab) is shown on the page it came from: see ssoz.lib.errors.
    action = request.POST.get("action", "save")
    posted = inputs.from_post(request.POST)
    save = workflow.save_report(
        report=report_id,
        actor=request.user,
        changes=posted.changes,
        base_revision=posted.base_revision,
        explanations=posted.explanations,
        complete=posted.complete,
        ip_address=client_ip(request),
    )
    verify = action == "verify" or (action == "send" and not save.ok)
    if verify:
        previous = workflow.previous_values(save.report)
        result = workflow.check_report(save.report, stage="verify", previous=previous)
        workflow.record_verification(save.report, request.user, client_ip(request), result)
        if request.htmx and save.ok:
            return _verified_partial(request, save.report, result)
    if action == "send" and save.ok:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("reports:send", args=[report_id]))
        return redirect("reports:send", report_id)
    if save.ok and not verify and not request.htmx:
        messages.success(
            request,
            _("Zapisano o %(time)s. Możesz wrócić do sprawozdania później.")
            % {"time": timezone.localtime().strftime("%H:%M:%S")},
        )
        return redirect("reports:detail", report_id)
    # The whole form again: a manual save from the page, or what could not be stored shown at
    # its fields. The page needs the report's relations, read now, after the save.
    allowed = access.get_report_for_user(request.user, report_id)
    template = "reports/detail.html#report-form" if request.htmx else "reports/detail.html"
    if verify:
        context = report_context(
            allowed, stage="verify", result=result, save=save, verified=True, previous=previous
        )
    else:
        context = report_context(allowed, stage="save", save=save)
    status = 200 if save.ok else 409 if save.conflicts else 400
    return render(request, template, context, status=status)


@require_POST
@json_view
def autosave(request: HttpRequest, report_id: int) -> JsonResponse:
    """The background save: what is typed is stored as the clerk types it.

    The right to save is checked on the locked row itself (`workflow.save_report`), so the
    whole save reads the session, the user and the report, and writes the report and its
    audit row; the form comes from the cache."""
    posted = inputs.from_post(request.POST)
    save = workflow.save_report(
        report=report_id,
        actor=request.user,
        changes=posted.changes,
        base_revision=posted.base_revision,
        explanations=posted.explanations,
        complete=posted.complete,
        ip_address=client_ip(request),
    )
    result = workflow.check_report(save.report, stage="save")
    # The page needs back only what it cannot know: the computed values, and the problems.
    computed = save.report.compiled_form().computed_order
    return JsonResponse(save.to_dict(result, request.LANGUAGE_CODE, values_of=computed))


@refusal_returns_to("reports:detail", "report_id")
def send_zero_confirmation(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Wyślij jako sprawozdanie zerowe”: for a form that allows it, the entity says, after a
    confirmation, that it has nothing to report; the report is sent as zero."""
    report = access.get_report_for_reporter(request.user, report_id).report
    if not report.is_editable:
        messages.info(request, workflow.not_editable_message(report))
        return redirect("reports:detail", report.pk)
    if not report.compiled_form().zero_report:
        messages.error(request, _("Tego formularza nie wysyła się jako sprawozdania zerowego."))
        return redirect("reports:detail", report.pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        version = workflow.send_zero_report(
            report=report, actor=request.user, ip_address=client_ip(request)
        )
        messages.success(
            request,
            _(
                "Wysłano sprawozdanie zerowe do weryfikacji (wersja %(number)d). Potwierdzenie "
                "wysłaliśmy e-mailem."
            )
            % {"number": version.number},
        )
        _tell_about_readers(request, version)
        return redirect("reports:detail", report.pk)
    filled = sum(1 for value in report.values.values() if value not in ("", [], None))
    return render(request, "reports/send_zero.html", {"report": report, "filled": filled})


@refusal_returns_to("reports:send", "report_id")
def send_confirmation(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Wyślij” asks for confirmation, then makes the report read-only."""
    report = access.get_report_for_reporter(request.user, report_id).report
    if not report.is_editable:
        messages.info(request, workflow.not_editable_message(report))
        return redirect("reports:detail", report.pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        version = workflow.send_report(
            report=report, actor=request.user, ip_address=client_ip(request)
        )
        messages.success(
            request,
            _(
                "Sprawozdanie wysłano do weryfikacji (wersja %(number)d, suma kontrolna "
                "%(checksum)s). Potwierdzenie wysłaliśmy e-mailem."
            )
            % {"number": version.number, "checksum": version.checksum[:16] + "…"},
        )
        _tell_about_readers(request, version)
        return redirect("reports:detail", report.pk)
    result = workflow.check_report(report, stage="verify")
    missing = workflow.unexplained_warnings(report, result)
    return render(
        request,
        "reports/send.html",
        {
            "report": report,
            "result": result,
            "missing_explanations": missing,
            "can_send": not result.errors and not missing,
        },
        status=200 if not result.errors and not missing else 400,
    )


def _tell_about_readers(request: HttpRequest, version) -> None:
    """Say that the reports reading the one just sent are being checked again, and where."""
    job = getattr(version, "readers_job", None)
    if job is not None:
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Sprawozdania innych formularzy, które czytają to sprawozdanie, zostaną "
                    "sprawdzone ponownie."
                ),
                reverse("jobs:detail", args=[job.pk]),
                _("Zobacz wynik"),
            ),
        )


@require_POST
@refusal_returns_to("review:queue")
def enter_paper_report(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """„Wprowadź sprawozdanie papierowe”: an administrator types in, for the entity, the
    report it filed on paper; it opens for her to fill in."""
    report = workflow.enter_paper_report(
        obligation=obligation_id, actor=request.user, ip_address=client_ip(request)
    )
    messages.success(
        request,
        _("Utworzono sprawozdanie papierowe podmiotu; wpisz dane i wyślij je jak sprawozdawca."),
    )
    return redirect("reports:detail", report.pk)


@require_POST
@refusal_returns_to("reports:detail", "report_id")
def request_reopening(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Poproś o korektę”: the reporter asks for her approved report to be reopened."""
    form = ReopenRequestForm(request.POST)
    if not form.is_valid():
        allowed = access.get_report_for_reporter(request.user, report_id)
        context = report_context(allowed, stage="save")
        context["reopen_form"] = form
        return render(request, "reports/detail.html", context, status=400)
    workflow.request_reopening(
        report=report_id,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        ip_address=client_ip(request),
    )
    messages.success(
        request, _("Prośbę o korektę przekazano administratorowi, który weryfikuje sprawozdanie.")
    )
    return redirect("reports:detail", report_id)
