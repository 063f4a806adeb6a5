"""Who may open what: every page about one object, for every member of the cast.

Alice may work on her hospital's report; Bob too (same hospital); Charlie (another entity)
must not even learn the report exists; Wanda reviews her voivodeship; Olaf (another voivodeship)
must get nothing; Celina sees all; an anonymous visitor is sent to log in. No page may answer
with a server error, whoever asks.
"""

import cast
import pytest
from django.urls import reverse

from ssoz.reports import workflow

ALLOWED = {200, 302}
HIDDEN = {403, 404}


@pytest.fixture
def sent_report(report, alice):
    workflow.save_report(
        report=report,
        actor=alice,
        changes={"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1"},
        base_revision=0,
    )
    report.refresh_from_db()
    workflow.send_report(report=report, actor=alice)
    report.refresh_from_db()
    return report


def object_pages(report, application) -> dict[str, str]:
    obligation = report.obligation
    return {
        "report": reverse("reports:detail", args=[report.pk]),
        "history": reverse("reports:history", args=[report.pk]),
        "versions": reverse("reports:versions", args=[report.pk]),
        "version_pdf": reverse("reports:version_pdf", args=[report.pk, 1]),
        "obligation": reverse("reports:obligation", args=[obligation.pk]),
        "choose_level": reverse("reports:choose_level", args=[obligation.pk]),
        "review": reverse("review:report", args=[report.pk]),
        "application": reverse("accounts:application_detail", args=[application.pk]),
        "application_pdf": reverse("accounts:application_pdf", args=[application.pk]),
    }


PAGES = ("report", "history", "versions", "version_pdf", "obligation", "choose_level", "review",
         "application", "application_pdf")  # fmt: skip

# Expected answers per role and page: "ok" (200/302 to a page of theirs) or "hidden" (403/404).
MATRIX = {
    "alice": {"report": "ok", "history": "ok", "versions": "ok", "version_pdf": "ok",
              "obligation": "ok", "choose_level": "ok", "review": "hidden",
              "application": "hidden", "application_pdf": "hidden"},
    "bob": {"report": "ok", "history": "ok", "versions": "ok", "version_pdf": "ok",
            "obligation": "ok", "choose_level": "ok", "review": "hidden",
            "application": "hidden", "application_pdf": "hidden"},
    "charlie": dict.fromkeys(PAGES, "hidden"),
    "wanda": {"report": "ok", "history": "ok", "versions": "ok", "version_pdf": "ok",
              "obligation": "hidden", "choose_level": "hidden", "review": "ok",
              "application": "ok", "application_pdf": "ok"},
    "olaf": dict.fromkeys(PAGES, "hidden"),
    "celina": {"report": "ok", "history": "ok", "versions": "ok", "version_pdf": "ok",
               "obligation": "hidden", "choose_level": "hidden", "review": "ok",
               "application": "ok", "application_pdf": "ok"},
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_every_object_page_answers_each_role_as_the_access_rules_say(
    client, who, request, sent_report, application, bob, charlie, wanda, olaf, celina
):
    user = request.getfixturevalue(who)
    cast.log_in(client, user)
    for name, url in object_pages(sent_report, application).items():
        status = client.get(url).status_code
        expected = ALLOWED if MATRIX[who][name] == "ok" else HIDDEN
        assert status in expected, f"{who} GET {name} ({url}) answered {status}"


def test_anonymous_visitors_are_sent_to_log_in_from_every_object_page(
    client, sent_report, application
):
    for name, url in object_pages(sent_report, application).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("who", ["charlie", "olaf", "wanda"])
def test_nobody_but_the_entitys_reporters_can_change_a_report(
    client, who, request, report, charlie, olaf, wanda
):
    cast.log_in(client, request.getfixturevalue(who))
    url = reverse("reports:detail", args=[report.pk])
    response = client.post(url, {"revision": "0", "action": "save", "D1.W01.K2": "99"})
    assert response.status_code in HIDDEN
    report.refresh_from_db()
    assert "D1.W01.K2" not in report.values


@pytest.mark.parametrize("who", ["alice", "charlie", "olaf"])
def test_only_reviewers_of_the_voivodeship_can_decide(
    client, who, request, sent_report, alice, charlie, olaf
):
    cast.log_in(client, request.getfixturevalue(who))
    for name in ("approve", "return", "reopen"):
        url = reverse(f"review:{name}", args=[sent_report.pk])
        response = client.post(url, {"comment": "x"})
        assert response.status_code in HIDDEN, (who, name, response.status_code)
    sent_report.refresh_from_db()
    assert sent_report.status == "sent"
