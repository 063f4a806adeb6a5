"""Where a maturity survey's results are linked from other apps' pages: the publication's
completeness pages and the report page."""

from django import template

from ssoz.reports.models import Report, Status
from ssoz.results.maturity import scale_of

register = template.Library()


@register.filter
def is_maturity_survey(publication) -> bool:
    """The publication's form has a maturity scale (its compiled form is cached: no query)."""
    return scale_of(publication.form_version.compiled()) is not None


@register.inclusion_tag("results/_survey_link.html")
def survey_results_link(report: Report) -> dict:
    """The link to a survey's results, once the report is approved at the last level."""
    shown = (
        report.pk is not None
        and report.status == Status.APPROVED
        and not report.awaits_acceptance
        and scale_of(report.compiled_form()) is not None
    )
    return {"report": report, "shown": shown}
