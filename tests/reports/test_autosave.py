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
