"""The mixed deadline-day benchmark in brief, so that it keeps working: its locustfile drives
a live server on the test database with a handful of the cast, and every save a clerk was
told succeeded is what the database holds, and every report she was told was sent is sent.

Alice, Charlie and the clerks of two more hospitals each have an MZ-88 draft; two of them
fill in, verify and send one draft each and then take up the next, as bench/deadline_mixed.py
has them do, while Wanda and Celina review. Each person does two rounds and the run stops
once all have (15 s at the most), so the assertions are on what happened, never on time.
Locust runs in a process of its own: imported here, it would patch this one with gevent.
"""

import datetime
import random
import sys
from pathlib import Path

import cast
import pytest

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Status
from ssoz.reports.synthetic import valid_variants

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "bench" / "server")]
import deadline_mixed  # noqa: E402
import people  # noqa: E402


def shipped(path: str):
    result = load_definition((ROOT / "definitions" / path).read_text(), filename=path)
    assert result.form_version is not None, [str(p) for p in result.problems]
    return result.form_version


def publish(form_version, year: int, celina):
    deadline = form_version.compiled().deadline
    return publish_form(
        form_version=form_version,
        year=year,
        quarter=None,
        deadline=deadline.due(year) if deadline else datetime.date(year + 1, 3, 31),
        entities=Entity.objects.all(),
        actor=celina,
    )


def draft(publication, user):
    obligation = publication.obligations.get(entity=user.entity)
    (report,) = workflow.create_reports(obligation=obligation, actor=user, collective=True)
    return report


@pytest.fixture
def deadline_day(transactional_db, settings, alice, charlie, wanda, celina):
    """MZ-88 2025 drafts for four clerks, Alice's survey to fill in, and one survey already
    sent in Mazowieckie for the administrators' queue."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clerks = [alice, charlie]
    for number in (1, 2):
        entity = cast.make_entity(name=f"Szpital Powiatowy nr {number}")
        clerks.append(cast.make_user(f"clerk{number}", entity=entity))
    mz88 = publish(shipped("mz-88/2025.yaml"), 2025, celina)
    for clerk in clerks:
        draft(mz88, clerk)
    survey = shipped("ankieta-cyber/2023.yaml")
    surveys = publish(survey, 2023, celina)
    draft(surveys, alice)
    sent = draft(surveys, clerks[2])
    form = survey.compiled()
    period = surveys.period_dates()
    (values,) = valid_variants(form, random.Random(1), count=1, period=period)
    warnings = form.check(values, stage="verify", period=period).warnings
    workflow.save_report(
        report=sent,
        actor=clerks[2],
        changes=values,
        base_revision=None,
        explanations={warning.rule_id: people.EXPLANATION for warning in warnings},
    )
    workflow.send_report(report=sent, actor=clerks[2])


def test_saves_verifications_and_sendings_under_mixed_load_lose_nothing(
    deadline_day, live_server, tmp_path
):
    found = people.mixed_reporters(4)
    found["administrators"] = people.administrators(2)
    assert len(found["reporters"]) == 4
    assert sum(1 for clerk in found["reporters"] if clerk["survey"]) == 1

    run = deadline_mixed.run_locust(
        live_server.url,
        found,
        tmp_path,
        reporters=2,
        run_time=15,  # a bound: the run stops as soon as everybody has done two rounds
        think=(0.01, 0.05),
        send_share=1,
        rounds=2,
    )

    stats = run["stats"]
    assert stats["all"]["failures"] == 0, run["outcome"]["failures"]
    for action in ("open survey", "open MZ-88", "save", "verify", "send", "queue",
                   "report under review", "publications"):  # fmt: skip
        assert stats.get(action, {}).get("requests"), (action, stats)
    outcome = run["outcome"]
    stored = people.stored(deadline_mixed.report_ids(outcome))
    assert outcome["sent"]
    assert {stored[str(report)]["status"] for report in outcome["sent"]} == {Status.SENT}
    assert deadline_mixed.lost_saves(found, outcome, stored) == []
