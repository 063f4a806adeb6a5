import cast
import pytest
from django.urls import reverse

from ssoz.reports.inputs import MAX_VALUE_CHARS


def autosave(client, report, **values):
    data = {"revision": str(report.revision), "action": "autosave", **values}
    return client.post(reverse("reports:autosave", args=[report.pk]), data)


def test_typing_is_saved_in_the_background_with_the_computed_totals(client, alice, report):
    cast.log_in(client, alice)
    response = autosave(client, report, **{"D1.W01.K2": "7", "D1.W01.K3": "2"})
    answer = response.json()
    assert answer["ok"] is True
    assert answer["revision"] == 1
    assert answer["check"]["values"]["D1.W01.K1"] == "9"
    assert answer["saved"] == ["D1.W01.K2", "D1.W01.K3"]
    report.refresh_from_db()
    assert report.values == {"D1.W01.K2": "7", "D1.W01.K3": "2"}


def test_the_background_save_reports_problems_and_relevance(client, alice, report):
    cast.log_in(client, alice)
    answer = autosave(client, report, A_TEAM="nie", **{"D1.W02.K2": "-5"}).json()
    assert answer["check"]["problems"]["D1.W02.K2"]
    assert "A_SIZE" in answer["check"]["irrelevant"]
    report.refresh_from_db()
    answer = autosave(client, report, A_TEAM="tak").json()
    assert "A_SIZE" not in answer["check"]["irrelevant"]


def test_the_answer_reads_in_the_language_of_the_page(client, alice, report):
    from django.conf import settings

    cast.log_in(client, alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    values = {"D1.W01.K2": "1234", "D1.W01.K3": "1", "D1.W02.K2": "x"}
    answer = autosave(client, report, **values).json()
    assert answer["check"]["values"]["D1.W01.K1"] == "1,235"
    assert answer["check"]["problems"]["D1.W02.K2"][0].startswith("This is not a number.")


@pytest.mark.parametrize(
    "value",
    ["12a", "99999999999999999999999999999", "-3", "<script>alert(1)</script>", "ą" * 5000,
     "1e309", "NaN", "\x00\x01"],
)  # fmt: skip
def test_nonsense_is_kept_bounded_and_never_breaks_other_values(client, alice, report, value):
    cast.log_in(client, alice)
    autosave(client, report, **{"D1.W01.K3": "4"})
    report.refresh_from_db()
    response = autosave(client, report, **{"D1.W01.K2": value})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.values["D1.W01.K3"] == "4"
    assert report.values.get("D1.W01.K2", "") == value.replace("\x00", "")
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_ten_megabytes_of_text_are_refused_without_a_server_error(client, alice, report):
    cast.log_in(client, alice)
    response = autosave(client, report, A_NOTE="x" * (10 * 1024 * 1024))
    assert response.status_code in (400, 413)
    assert "Przesłano zbyt dużo danych" in response.content.decode()
    report.refresh_from_db()
    assert "A_NOTE" not in report.values


def test_text_over_the_field_bound_is_not_stored_and_says_so(client, alice, report):
    cast.log_in(client, alice)
    answer = autosave(client, report, A_NOTE="x" * (MAX_VALUE_CHARS + 1)).json()
    assert answer["ok"] is False
    assert "za długi" in answer["refused"]["A_NOTE"]


def test_only_the_entitys_reporters_can_save(client, charlie, wanda, report):
    cast.log_in(client, charlie)
    assert autosave(client, report, A_TEAM="tak").status_code == 404
    cast.log_in(client, wanda)
    assert autosave(client, report, A_TEAM="tak").status_code == 403


def test_a_sent_report_refuses_background_saves(client, alice, report):
    from ssoz.reports.models import Report, Status

    Report.objects.filter(pk=report.pk).update(status=Status.SENT)
    cast.log_in(client, alice)
    response = autosave(client, report, A_TEAM="tak")
    assert response.status_code in (403, 409)


def queries_of(client, url, data) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured.captured_queries]


def test_a_background_save_reads_three_rows_and_writes_three(client, alice, report):
    """The session, the user, and the report locked through the access rule; the report, its
    audit row and the changed value, in one statement on PostgreSQL. The form comes from the
    cache, last period is not read."""
    from django.db import connection

    cast.log_in(client, alice)
    url = reverse("reports:autosave", args=[report.pk])
    client.post(url, {"revision": "0", "A_NOTE": "pierwszy"})
    sql = [
        query
        for query in queries_of(client, url, {"revision": "1", "A_NOTE": "drugi"})
        if "SAVEPOINT" not in query
    ]
    writes = 1 if connection.vendor == "postgresql" else 3
    assert len(sql) == 3 + writes, "\n".join(q[:150] for q in sql)
    assert not any("definitions_formversion" in query and "data" in query for query in sql)
    assert sum(query.startswith("SELECT") for query in sql) == 3
    report.refresh_from_db()
    assert report.values["A_NOTE"] == "drugi" and report.revision == 2
    saved = report.events.filter(kind="saved").order_by("pk").last()
    assert saved.changes == {"values": {"A_NOTE": ["pierwszy", "drugi"]}} and saved.revision == 2
    assert saved.user == alice and saved.ip_address == "127.0.0.1"
    (replaced,) = report.value_changes.filter(revision=2)
    assert (replaced.ref, replaced.old) == ("A_NOTE", "pierwszy")


def test_a_save_from_an_old_page_costs_the_same_however_many_saves_came_since(
    client, alice, bob, report
):
    from ssoz.reports import workflow

    cast.log_in(client, alice)
    client.get(reverse("portal:home"))  # the session is renewed now, not during the saves
    url = reverse("reports:autosave", args=[report.pk])
    counts = []
    for later_saves, number in ((3, "5"), (40, "6")):
        report.refresh_from_db()
        page_revision = report.revision
        for n in range(later_saves):
            workflow.save_report(
                report=report, actor=bob, changes={"A_NOTE": f"Bob {n}"}, base_revision=None
            )
        data = {"revision": str(page_revision), "A_NOTE": f"Alicja {number}", "D1.W01.K2": number}
        counts.append(len(queries_of(client, url, data)))
    assert counts[0] == counts[1]
    report.refresh_from_db()
    # Bob changed the note meanwhile and Alice too: a conflict, Bob's value kept; her number saved.
    assert report.values["A_NOTE"] == "Bob 39" and report.values["D1.W01.K2"] == "6"
