"""A report records its first sending and whether it came after its publication's deadline,
once: a later re-sending or an extended deadline does not change it."""

import datetime

import cast

from ssoz.reports import workflow


def test_the_late_sending_is_recorded_once_when_the_report_is_first_sent(
    report, alice, send, publication
):
    # The survey was due on 31.03.2024: sending it now is late.
    sent = send(report, alice)
    assert sent.first_sent_at is not None and sent.sent_late
    first = sent.first_sent_at
    workflow.return_report(
        report=sent, actor=cast.make_user("wanda2", role="regional_admin", voivodeship="14"),
        comment="Proszę poprawić.",
    )  # fmt: skip
    publication.deadline = datetime.date(2099, 1, 1)
    publication.save()
    again = send(sent, alice)
    assert again.first_sent_at == first and again.sent_late


def test_a_report_sent_by_the_deadline_is_on_time(publish_due_in, hospital, alice, send):
    publication = publish_due_in(3)
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(entity=hospital), actor=alice, collective=True
    )
    sent = send(report, alice)
    assert sent.first_sent_at is not None and not sent.sent_late
