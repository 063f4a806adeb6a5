"""Each obligation keeps the state of its least advanced report, whatever verb moved a report:
the stored columns always equal what the reports themselves say."""

from ssoz.publications.models import Obligation
from ssoz.publications.services import activate_obligation
from ssoz.reports import obligation_state, workflow
from ssoz.reports.models import Status
from ssoz.reports.obligation_state import STATUS_RANK


def stored(obligation) -> tuple[int, bool]:
    row = Obligation.objects.get(pk=obligation.pk)
    return row.state, row.sent_late


def from_reports(obligation) -> tuple[int, bool]:
    """The oracle: the least advanced report's rank, read from the reports."""
    reports = list(obligation.reports.all())
    if not reports:
        return (1 if Obligation.objects.get(pk=obligation.pk).activated_at else 0), False
    return min(STATUS_RANK[r.status] for r in reports), any(r.sent_late for r in reports)


def test_the_state_follows_every_verb_of_the_workflow(
    publication, hospital, alice, wanda, celina, send
):
    obligation = publication.obligations.get(entity=hospital)
    assert stored(obligation) == (0, False)
    activate_obligation(obligation=obligation, actor=alice)
    assert stored(obligation) == (1, False) == from_reports(obligation)
    unit = hospital.units.first()
    collective, for_unit = (
        workflow.create_reports(obligation=obligation, actor=alice, collective=True)[0],
        workflow.create_reports(obligation=obligation, actor=alice, collective=False, units=[unit])[
            0
        ],
    )
    steps = [
        lambda: send(collective, alice),
        lambda: send(for_unit, alice),
        lambda: workflow.return_report(report=for_unit, actor=wanda, comment="Popraw dział A."),
        lambda: send(for_unit, alice),
        lambda: workflow.approve_report(report=for_unit, actor=wanda),
        lambda: workflow.approve_report(report=collective, actor=wanda),
        lambda: workflow.withdraw_approval(report=collective, actor=celina, reason="Błąd."),
        lambda: workflow.approve_report(report=collective, actor=wanda),
        lambda: workflow.reopen_report(report=collective, actor=wanda, comment="Korekta."),
    ]
    seen = []
    for step in steps:
        step()
        assert stored(obligation) == from_reports(obligation)
        seen.append(stored(obligation)[0])
    assert seen == [1, 3, 2, 3, 3, 4, 3, 4, 2]


def test_a_paper_report_takes_the_obligation_up(publication, clinic, olaf):
    obligation = publication.obligations.get(entity=clinic)
    workflow.enter_paper_report(obligation=obligation, actor=olaf)
    assert stored(obligation) == (1, False) == from_reports(obligation)


def test_refreshing_every_obligation_changes_nothing_that_was_kept(
    publication, hospital, clinic, alice, charlie, send
):
    for entity, reporter in ((hospital, alice), (clinic, charlie)):
        obligation = publication.obligations.get(entity=entity)
        (report,) = workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
        if entity == hospital:
            send(report, reporter)
    before = list(Obligation.objects.order_by("pk").values_list("state", "sent_late"))
    assert obligation_state.refresh() == Obligation.objects.count()
    assert list(Obligation.objects.order_by("pk").values_list("state", "sent_late")) == before
    assert stored(publication.obligations.get(entity=hospital))[0] == STATUS_RANK[Status.SENT]
