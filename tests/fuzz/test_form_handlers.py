"""Malformed, oversized and hostile values posted to every form handler: the answer is never a
server error, and no report other than the one the handler is about changes."""

import pytest
from access.conftest import as_member
from access.test_access_matrix import PAGES
from django.conf import settings as django_settings
from fuzz.harness import COUNTS, EXAMPLES, HANDLERS, form_data
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from ssoz.reports.inputs import MAX_VALUE_CHARS
from ssoz.reports.models import Report

# Pages that take nothing from the user but their address (whose ids the URL converter bounds).
NO_INPUT = {
    "portal:root", "portal:info", "portal:alive", "portal:ready", "portal:home", "portal:privacy",
    "portal:accessibility", "portal:help", "accounts:registration_pdf", "accounts:application_scan",
    "accounts:application_pdf", "definitions:version_detail", "definitions:version_source",
    "definitions:schema", "reports:version_pdf", "reports:history", "reports:template_csv",
    "reports:template_xlsx", "reports:records_template_csv", "reports:records_template_xlsx",
    "review:report", "jobs:detail", "jobs:state", "captcha-image", "captcha-image-2x",
    "completeness:index", "exports:download", "api:openapi-json", "api:openapi-view",
}  # fmt: skip


def reports_state(excluded: set[int]) -> dict:
    return {
        report.pk: (report.values, report.explanations, report.status, report.revision)
        for report in Report.objects.exclude(pk__in=excluded).order_by("pk")
    }


def test_every_page_that_takes_input_has_a_handler():
    pages = {key.partition("@")[0] for key in PAGES}
    handled = {handler.url_name for handler in HANDLERS}
    assert not pages - handled - NO_INPUT, sorted(pages - handled - NO_INPUT)


@pytest.mark.parametrize("handler", HANDLERS, ids=[handler.name for handler in HANDLERS])
def test_hostile_input_never_gives_a_server_error_nor_touches_other_reports(
    client, world, settings, handler
):
    settings.SSOZ_CAPTCHA_TEST_MODE = True
    url = handler.url(world)
    changes = handler.changes(world)
    COUNTS["handlers"] += 1

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(handler, world))
    def send(data):
        before = reports_state(changes)
        as_member(client, world, handler.member)
        response = getattr(client, handler.method)(url, data)
        COUNTS["posts"] += 1
        if response.status_code >= 500:
            COUNTS["server_errors"] += 1
        assert response.status_code < 500, (handler.name, data)
        assert reports_state(changes) == before, f"{handler.name} changed another report"
        for report in Report.objects.filter(pk__in=changes):
            for value in report.values.values():
                size = sum(map(len, value)) if isinstance(value, list) else len(value)
                assert size <= MAX_VALUE_CHARS

    send()


@pytest.mark.parametrize(
    "handler",
    [handler for handler in HANDLERS if handler.method == "post"],
    ids=[handler.name for handler in HANDLERS if handler.method == "post"],
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, world, handler):
    """Form fields over DATA_UPLOAD_MAX_MEMORY_SIZE are refused when read (a handler that needs
    none may still act on its own report); a body over REQUEST_MAX_BYTES never reaches it."""
    as_member(client, world, handler.member)
    changes = handler.changes(world)
    before = reports_state(changes)
    too_big = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    field = handler.fields[0] if handler.fields else "stray"
    response = client.post(handler.url(world), {field: too_big})
    COUNTS["posts"] += 1
    assert response.status_code in (200, 302, 400, 403, 404, 405, 409, 413), response.status_code
    assert reports_state(changes) == before
    everything = reports_state(set())
    huge = b"x" * (django_settings.REQUEST_MAX_BYTES + 1)
    response = client.generic("POST", handler.url(world), huge, "application/octet-stream")
    COUNTS["posts"] += 1
    assert response.status_code == 413
    assert reports_state(set()) == everything
