"""„Zamknij okres”: after the central administrator closes a period, its reports change only
through corrections that administrators open."""

import cast
import pytest
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import Status


def close(client, publication, closed=True):
    return client.post(
        reverse("publications:close", args=[publication.pk]), {"closed": "yes" if closed else "no"}
    )


def test_a_closed_period_takes_no_more_saves_and_says_why(client, celina, alice, report):
    cast.log_in(client, celina)
    assert close(client, report.publication).status_code == 302
    report.refresh_from_db()
    assert report.period_is_closed and not report.is_editable

    cast.log_in(client, alice)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Okres sprawozdawczy jest zamknięty" in page
    assert "Zapisz do uzupełnienia na później" not in page
    saved = client.post(
        reverse("reports:autosave", args=[report.pk]),
        {"revision": str(report.revision), "A_TEAM": "nie"},
    )
    assert saved.status_code == 409
    assert "zmiany są możliwe tylko w korekcie" in saved.json()["message"]
    report.refresh_from_db()
    assert report.values == {}


def test_a_correction_opened_after_closing_is_still_filled_in_and_sent(
    celina, wanda, alice, report, send
):
    sent = send(report, alice)
    workflow.approve_report(report=sent, actor=wanda)
    from ssoz.publications.services import set_period_closed

    set_period_closed(publication=sent.publication, actor=celina, closed=True)
    workflow.reopen_report(report=sent.pk, actor=wanda, comment="Korekta działu 1.")
    sent.refresh_from_db()
    assert sent.is_correction and sent.is_editable
    send(sent, alice)
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.times_sent == 2


def test_opening_the_period_again_lets_the_clerk_go_on(client, celina, alice, report):
    cast.log_in(client, celina)
    close(client, report.publication)
    close(client, report.publication, closed=False)
    workflow.save_report(report=report, actor=alice, changes={"A_TEAM": "nie"}, base_revision=None)
    report.refresh_from_db()
    assert report.values == {"A_TEAM": "nie"}


@pytest.mark.parametrize("who", ["wanda", "alice"])
def test_only_the_central_administrator_closes_a_period(client, request, who, publication):
    cast.log_in(client, request.getfixturevalue(who))
    assert close(client, publication).status_code == 403
    publication.refresh_from_db()
    assert publication.closed_at is None
