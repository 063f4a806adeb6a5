"""The proof of filing: a PDF of exactly what was sent as one version, with the time it was
sent and its checksum. The page and the API give the same file."""

from django.utils import timezone
from django.utils.translation import get_language

from ssoz.lib.pdf import render_pdf
from ssoz.reports import records, workflow
from ssoz.reports.models import Report, ReportVersion
from ssoz.reports.presentation import build_report_view


def _version_view(report: Report, version: ReportVersion):
    form = report.form_version.compiled()
    result = form.check(version.values, stage="save", period=workflow.period_of(report, form))
    return build_report_view(form, version.values, result, read_only=True)


def _version_records(report: Report, version: ReportVersion, viewer) -> dict | None:
    """The records the version keeps, as a table of every field, a choice by its label;
    personal data masked unless `viewer` may see it in full."""
    spec = report.form_version.compiled().records
    if spec is None or version.is_zero:
        return None
    language = get_language() or "pl"
    fields = [f for f in spec.form.fields.values() if f.is_input]
    full = records.sees_personal_data(viewer, report)
    rows = []
    for card in version.records:
        values = records.shown(card["values"], spec.form.personal, full)
        shown = []
        for field in fields:
            value = values.get(field.ref, "")
            if field.choices:
                labels = {choice.code: choice.label.get(language) for choice in field.choices}
                codes = value if isinstance(value, list) else [value]
                value = ", ".join(labels.get(str(code), str(code)) for code in codes if code)
            shown.append(str(value))
        rows.append((card["number"], shown))
    return {
        "title": spec.title.get(language),
        "columns": [field.label.get(language) for field in fields],
        "rows": rows,
    }


def version_pdf(report: Report, version: ReportVersion, viewer=None) -> tuple[bytes, str]:
    """The version's PDF and the file name it is downloaded as (without ".pdf"); the records'
    personal data in full only for a `viewer` allowed to see it."""
    pdf = render_pdf(
        "reports/version_pdf.html",
        {
            "report": report,
            "version": version,
            "view": _version_view(report, version),
            "records": _version_records(report, version, viewer),
            "header": report.header,
            "header_keys": report.form_version.compiled().header or list(report.header),
            "printed_at": timezone.now(),
        },
    )
    code = report.form_version.definition.code.replace("/", "-")
    return pdf, f"{code}-{report.publication.period_label}-{report.pk}-v{version.number}"
