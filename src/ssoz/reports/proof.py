"""The proof of filing: a PDF of exactly what was sent as one version, with the time it was
sent and its checksum. The page and the API give the same file."""

from django.utils import timezone

from ssoz.lib.pdf import render_pdf
from ssoz.reports import workflow
from ssoz.reports.models import Report, ReportVersion
from ssoz.reports.presentation import build_report_view


def _version_view(report: Report, version: ReportVersion):
    form = report.form_version.compiled()
    result = form.check(version.values, stage="save", period=workflow.period_of(report, form))
    return build_report_view(form, version.values, result)


def version_pdf(report: Report, version: ReportVersion) -> tuple[bytes, str]:
    """The version's PDF and the file name it is downloaded as (without ".pdf")."""
    pdf = render_pdf(
        "reports/version_pdf.html",
        {
            "report": report,
            "version": version,
            "view": _version_view(report, version),
            "header": report.header,
            "header_keys": report.form_version.compiled().header or list(report.header),
            "printed_at": timezone.now(),
        },
    )
    code = report.form_version.definition.code.replace("/", "-")
    return pdf, f"{code}-{report.publication.period_label}-{report.pk}-v{version.number}"
