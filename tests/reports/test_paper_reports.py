"""„Wprowadź sprawozdanie papierowe”: an administrator types in a report an entity filed on
paper, fills it in and sends it as its reporter would; it is recorded as entered by her."""

import cast
import pytest
from django.urls import reverse

from ssoz.reports.models import Report, ReportEvent, ReportVersion, Status

VALUES = {"A_TEAM": "nie", "D1.W01.K2": "50", "D1.W01.K3": "0"}


def enter(client, obligation):
    return client.post(reverse("reports:paper", args=[obligation.pk]))


def test_the_regional_administrator_types_in_fills_and_sends_a_paper_report(
    client, wanda, obligation, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    response = enter(client, obligation)
    report = Report.objects.get(obligation=obligation)
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert report.on_paper and report.unit is None
    assert report.events.get(kind=ReportEvent.Kind.PAPER).user == wanda
    page = client.get(response.url).content.decode()
    assert "Sprawozdanie papierowe" in page and "Zapisz do uzupełnienia na później" in page

    saved = client.post(
        reverse("reports:autosave", args=[report.pk]),
        {"revision": str(report.revision), **VALUES},
    )
    assert saved.status_code == 200 and saved.json()["ok"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("reports:send", args=[report.pk]), {"confirm": "yes"})
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert ReportVersion.objects.get(report=report).sent_by == wanda
    assert report.events.filter(kind=ReportEvent.Kind.SAVED, user=wanda).exists()


def test_the_entity_already_reporting_collectively_is_told(client, wanda, report, obligation):
    cast.log_in(client, wanda)
    response = enter(client, obligation)
    follow = client.get(response.url).content.decode()
    assert "Sprawozdanie zbiorcze tego podmiotu już istnieje." in follow


def test_an_administrator_does_not_fill_in_a_report_the_entity_files_itself(client, wanda, report):
    cast.log_in(client, wanda)
    response = client.post(
        reverse("reports:autosave", args=[report.pk]), {"revision": "0", **VALUES}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.values == {}


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olaf", 404)])
def test_only_an_administrator_in_scope_enters_one(client, request, obligation, who, status):
    cast.log_in(client, request.getfixturevalue(who))
    assert enter(client, obligation).status_code == status
    assert not Report.objects.filter(obligation=obligation).exists()
