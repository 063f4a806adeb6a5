"""What was sent and what changed: the proof of filing (PDF), sent versions compared, and the
audit trail."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ssoz.lib.http import attachment
from ssoz.lib.ids import parse_int
from ssoz.reports import access, proof
from ssoz.reports.models import Report, ReportEvent, ReportVersion


def version_pdf(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    """A PDF of exactly what was sent, with the time it was sent and its checksum."""
    report = access.get_report_for_user(request.user, report_id).report
    version = get_object_or_404(ReportVersion, report=report, number=number)
    pdf, name = proof.version_pdf(report, version, request.user)
    return attachment(HttpResponse(pdf, content_type="application/pdf"), name, "pdf")


def _labels(report: Report) -> dict[str, str]:
    form = report.form_version.compiled()
    return {ref: str(spec.label) for ref, spec in form.fields.items()}


def compare_versions(request: HttpRequest, report_id: int) -> HttpResponse:
    """Any two sent versions side by side: the values and explanations that differ."""
    report = access.get_report_for_user(request.user, report_id).report
    versions = list(report.versions.order_by("number"))
    if not versions:
        raise Http404
    numbers = [v.number for v in versions]

    def pick(name: str, default: int) -> ReportVersion:
        number = parse_int(request.GET.get(name), minimum=1, maximum=numbers[-1])
        return next(v for v in versions if v.number == (number if number in numbers else default))

    older = pick("a", numbers[-2] if len(numbers) > 1 else numbers[0])
    newer = pick("b", numbers[-1])
    labels = _labels(report)
    refs = sorted(set(older.values) | set(newer.values), key=lambda ref: (ref not in labels, ref))
    value_changes = [
        (ref, labels.get(ref, ref), older.values.get(ref, ""), newer.values.get(ref, ""))
        for ref in refs
        if older.values.get(ref, "") != newer.values.get(ref, "")
    ]
    rules = sorted(set(older.explanations) | set(newer.explanations))
    explanation_changes = [
        (rule, older.explanations.get(rule, ""), newer.explanations.get(rule, ""))
        for rule in rules
        if older.explanations.get(rule, "") != newer.explanations.get(rule, "")
    ]
    return render(
        request,
        "reports/versions.html",
        {
            "report": report,
            "versions": versions,
            "older": older,
            "newer": newer,
            "value_changes": value_changes,
            "explanation_changes": explanation_changes,
        },
    )


def history(request: HttpRequest, report_id: int) -> HttpResponse:
    """The audit trail: every save and change of state, who, when, from where, what changed."""
    report = access.get_report_for_user(request.user, report_id).report
    labels = _labels(report)
    events = []
    for event in report.events.select_related("user").order_by("-at", "-pk")[:500]:
        value_changes = [
            (ref, labels.get(ref, ref), old, new)
            for ref, (old, new) in sorted(event.changes.get("values", {}).items())
        ]
        explanation_changes = sorted(event.changes.get("explanations", {}).items())
        events.append((event, value_changes, explanation_changes))
    return render(
        request,
        "reports/history.html",
        {
            "report": report,
            "events": events,
            # Addresses are personal data: administrators see them, reporters their own only.
            "show_addresses": request.user.is_administrator,
            "kinds": ReportEvent.Kind,
        },
    )
