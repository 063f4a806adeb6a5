"""„Sprawozdania do weryfikacji”: the administrators' queue, the review page, and the verbs
„Zatwierdź”, „Zwróć do korekty” and „Otwórz do korekty”."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ssoz.accounts.access import require_administrator
from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import client_ip
from ssoz.reports import access, records, workflow
from ssoz.reports.models import Report, Status
from ssoz.review import selectors, services
from ssoz.review.forms import (
    ApproveForm,
    CommentForm,
    QueueFilterForm,
    ReopenForm,
    WithdrawForm,
)

PAGE_SIZE = 50
TAB_LABELS = {
    Status.SENT: gettext_lazy("wysłane"),
    Status.RETURNED: gettext_lazy("do korekty"),
    Status.APPROVED: gettext_lazy("zatwierdzone"),
}
ACCEPTANCE_LABEL = gettext_lazy("do akceptacji")


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The reports sent for verification, by state, form, year and (central) voivodeship."""
    user = request.user
    require_administrator(user)
    second_level = selectors.has_acceptance(user)
    state_slug = request.GET.get("stan", "")
    acceptance = second_level and state_slug == selectors.AWAITING_ACCEPTANCE
    if state_slug not in selectors.QUEUE_STATES and not acceptance:
        state_slug = "wyslane"
    status = Status.APPROVED if acceptance else selectors.QUEUE_STATES[state_slug]
    filter_form, filters = _queue_filters(request.GET, user)
    chosen = filter_form.cleaned_data
    query = {key: value for key, value in chosen.items() if value}
    counts = selectors.queue_counts(user, filters)
    tabs = [
        (slug, TAB_LABELS[value], counts[value], "?" + urlencode({**query, "stan": slug}))
        for slug, value in selectors.QUEUE_STATES.items()
    ]
    if second_level:
        slug = selectors.AWAITING_ACCEPTANCE
        count = selectors.awaiting_acceptance(user, filters).count()
        tabs.append((slug, ACCEPTANCE_LABEL, count, "?" + urlencode({**query, "stan": slug})))
    queue_reports = selectors.review_queue(
        user, status=status, filters=filters, acceptance=acceptance
    )
    approvable = (
        selectors.approvable_without_warnings(user, filters).count() if status == Status.SENT else 0
    )
    return render(
        request,
        "review/queue.html",
        {
            "tabs": tabs,
            "state_slug": state_slug,
            "state_label": ACCEPTANCE_LABEL if acceptance else TAB_LABELS[status],
            "filter_form": filter_form,
            "page": selectors.queue_page(queue_reports, request.GET.get("strona"), PAGE_SIZE),
            "page_query": urlencode({**query, "stan": state_slug}),
            "approvable": approvable,
            "filters_chosen": [(k, v) for k, v in query.items() if k != "sortuj"],
        },
    )


def _queue_filters(data, user) -> tuple[QueueFilterForm, selectors.QueueFilter]:
    """The queue's filters from the address (or a form carrying them): a choice that is not
    valid is not applied, and the form says why next to its field."""
    filter_form = QueueFilterForm(
        data,
        definitions=selectors.queue_forms(user),
        years=selectors.queue_years(user),
        central=user.is_central_admin,
    )
    filter_form.is_valid()
    chosen = filter_form.cleaned_data
    warnings = chosen.get("ostrzezenia")
    filters = selectors.QueueFilter(
        definition_id=chosen.get("formularz"),
        year=chosen.get("rok"),
        voivodeship=chosen.get("wojewodztwo") or None,
        county=chosen.get("powiat") or None,
        entity_type=chosen.get("typ") or None,
        with_warnings={"tak": True, "nie": False}.get(warnings or ""),
        search=chosen.get("szukaj") or "",
        sort=chosen.get("sortuj") or "",
    )
    return filter_form, filters


@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """„Zatwierdź wszystkie bez ostrzeżeń”: the sent reports the queue's filters choose that
    were sent without warnings, after a confirmation that says how many, as a job."""
    require_administrator(request.user)
    filter_form, filters = _queue_filters(request.POST, request.user)
    if request.POST.get("confirm") != "yes":
        count = selectors.approvable_without_warnings(request.user, filters).count()
        hidden = [
            (name, value)
            for name, value in filter_form.cleaned_data.items()
            if value not in (None, "") and name != "sortuj"
        ]
        return render(
            request, "review/bulk_approve_confirm.html", {"count": count, "hidden": hidden}
        )
    job = services.start_bulk_approval(actor=request.user, filters=filters)
    return redirect("jobs:detail", job.pk)


@require_GET
def review_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """A report under review: read-only, with its warnings, explanations, versions and the
    decisions that apply to its state."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    return _review_page(request, report)


def _review_page(
    request: HttpRequest,
    report: Report,
    *,
    approve_form: ApproveForm | None = None,
    return_form: CommentForm | None = None,
    reopen_form: ReopenForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    content = selectors.sent_content(report)
    return render(
        request,
        "review/report.html",
        {
            "report": report,
            "publication": report.publication,
            "form_version": report.form_version,
            "content": content,
            # The reporter's read-only rendering of the form (reports/detail.html#report-form).
            "view": content.view,
            "records_summary": (
                records.summary(report) if report.compiled_form().records is not None else None
            ),
            "result": content.result,
            "editable": False,
            "verified": False,
            "approve_form": approve_form or ApproveForm(),
            "return_form": return_form or CommentForm(),
            "reopen_form": reopen_form or ReopenForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "queue_url": _queue_url(report.status),
        },
        status=status,
    )


def _queue_url(status: str = Status.SENT) -> str:
    slug = next(
        (slug for slug, value in selectors.QUEUE_STATES.items() if value == status), "wyslane"
    )
    return f"{reverse('review:queue')}?{urlencode({'stan': slug})}"


@require_POST
@refusal_returns_to("review:report", "report_id")
def approve(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Zatwierdź”, with an optional comment, after a confirmation; the reporters are told by
    e-mail."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _review_page(request, report, approve_form=form, status=400)
    if request.POST.get("confirm") != "yes" and report.status == Status.SENT:
        return render(
            request,
            "review/approve_confirm.html",
            {"report": report, "publication": report.publication, "form": form},
        )
    workflow.approve_report(
        report=report,
        actor=request.user,
        comment=form.cleaned_data["note"],
        ip_address=client_ip(request),
    )
    messages.success(
        request,
        _("Sprawozdanie %(report)s zatwierdzono; sprawozdawcy dostali informację e-mailem.")
        % {"report": report},
    )
    return redirect(_queue_url())


def _written_decision(
    request: HttpRequest,
    report_id: int,
    *,
    form_class: type,
    slot: str,
    act: Callable[[Report, str], object],
    done: str,
    then: Callable[[Report], str],
) -> HttpResponse:
    """A decision that needs a written text: the form checked (its error shown on the review
    page, next to its field), the workflow's verb `act(report, text)`, the message `done`,
    and the page `then(report)`."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    form = form_class(request.POST)
    if not form.is_valid():
        return _review_page(request, report, status=400, **{slot: form})
    (text,) = form.cleaned_data.values()
    act(report, text)
    messages.success(request, done % {"report": report})
    return redirect(then(report))


@require_POST
@refusal_returns_to("review:report", "report_id")
def return_for_correction(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Zwróć do korekty”: the comment is required; the reporters get it by e-mail."""
    return _written_decision(
        request,
        report_id,
        form_class=CommentForm,
        slot="return_form",
        act=lambda report, text: workflow.return_report(
            report=report, actor=request.user, comment=text, ip_address=client_ip(request)
        ),
        done=_("Sprawozdanie %(report)s zwrócono do korekty; sprawozdawcy dostali uwagi e-mailem."),
        then=lambda report: _queue_url(),
    )


@require_POST
@refusal_returns_to("review:report", "report_id")
def reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Otwórz do korekty”: an approved report goes back to the reporter as a correction."""
    return _written_decision(
        request,
        report_id,
        form_class=ReopenForm,
        slot="reopen_form",
        act=lambda report, text: workflow.reopen_report(
            report=report, actor=request.user, comment=text, ip_address=client_ip(request)
        ),
        done=_("Sprawozdanie %(report)s otwarto do korekty; sprawozdawcy dostali uwagi e-mailem."),
        then=lambda report: _queue_url(Status.APPROVED),
    )


@require_POST
@refusal_returns_to("review:report", "report_id")
def withdraw(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Cofnij zatwierdzenie”: the central administrator's, with a reason; the report waits
    for a decision again."""
    require_administrator(request.user, central=True)
    return _written_decision(
        request,
        report_id,
        form_class=WithdrawForm,
        slot="withdraw_form",
        act=lambda report, text: workflow.withdraw_approval(
            report=report, actor=request.user, reason=text, ip_address=client_ip(request)
        ),
        done=_("Cofnięto zatwierdzenie sprawozdania %(report)s; czeka ono na ponowną weryfikację."),
        then=lambda report: reverse("review:report", args=[report.pk]),
    )


@require_POST
@refusal_returns_to("review:report", "report_id")
def accept(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Akceptuj”: the central administrator's second level."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    workflow.accept_report(report=report, actor=request.user, ip_address=client_ip(request))
    messages.success(request, _("Sprawozdanie %(report)s zaakceptowano.") % {"report": report})
    return redirect(f"{reverse('review:queue')}?stan={selectors.AWAITING_ACCEPTANCE}")
