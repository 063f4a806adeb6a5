"""What was typed but never reached the server (a dropped connection) is put back and saved."""

import json

import cast
import pytest
from playwright.sync_api import expect

from ssoz.reports import workflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_kept_in_the_browser_is_restored_and_saved_on_the_next_visit(
    page, publish_survey, log_in, wait_until_saved
):
    hospital = cast.make_entity(units=2)
    alice = cast.make_user("alice", entity=hospital)
    publication = publish_survey(hospital)
    obligation = publication.obligations.get()
    (report,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)

    log_in(page, "alice")
    page.goto(f"/sprawozdania/{report.pk}/")
    form_action = page.evaluate("document.getElementById('report-form').getAttribute('action')")
    # As the page keeps it when a save could not reach the server.
    snapshot = {"revision": ["0"], "A0_Q1": ["Kierownik informatyki"]}
    page.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)",
        [f"ssoz-report-{form_action}", json.dumps(snapshot)],
    )
    page.reload()
    expect(page.locator("#f-A0_Q1")).to_have_value("Kierownik informatyki")
    wait_until_saved(page)
    report.refresh_from_db()
    assert report.values["A0_Q1"] == "Kierownik informatyki"
    assert page.evaluate(f"window.localStorage.getItem('ssoz-report-{form_action}')") is None
