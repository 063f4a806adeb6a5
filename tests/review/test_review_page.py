import cast
import pytest
from django.urls import reverse

from ssoz.reports import workflow


def page(report) -> str:
    return reverse("review:report", args=[report.pk])


def test_the_review_page_shows_the_sent_report_read_only_with_its_warnings_and_versions(
    client, wanda, sent_report
):
    cast.log_in(client, wanda)
    response = client.get(page(sent_report))
    assert response.status_code == 200
    content = response.content.decode()
    # The reporter's own rendering of the form, with no field to type into.
    assert "Dział 1. Pracujący" in content
    assert 'id="f-D1-W01-K2" name="D1.W01.K2" value="150"' in content
    assert "readonly" in content
    assert "Zapisz do uzupełnienia na później" not in content
    # The warning with the reporter's explanation.
    assert "Ponad 100 lekarzy (150)" in content
    assert "Szpital kliniczny, 150 etatów." in content
    # The versions, the history and the decisions.
    assert reverse("reports:version_pdf", args=[sent_report.pk, 1]) in content
    assert reverse("reports:history", args=[sent_report.pk]) in content
    assert "Zatwierdź" in content
    assert "Zwróć do korekty" in content
    assert "Otwórz do korekty" not in content


def test_the_page_links_the_comparison_once_there_are_two_versions(
    client, celina, alice, sent_report
):
    workflow.return_report(report=sent_report, actor=celina, comment="Popraw dział 1.")
    sent_report.refresh_from_db()
    workflow.save_report(
        report=sent_report, actor=alice, changes={"D1.W01.K2": "120"}, base_revision=None
    )
    workflow.send_report(report=sent_report, actor=alice)
    cast.log_in(client, celina)
    content = client.get(page(sent_report)).content.decode()
    assert reverse("reports:versions", args=[sent_report.pk]) in content
    assert "Treść sprawozdania (wersja 2)" in content
    assert "Popraw dział 1." in content  # the earlier return, in the review's course


def test_a_returned_report_shows_what_was_sent_not_the_reporters_unsent_changes(
    client, celina, alice, sent_report
):
    workflow.return_report(report=sent_report, actor=celina, comment="Popraw dział 1.")
    sent_report.refresh_from_db()
    workflow.save_report(
        report=sent_report, actor=alice, changes={"D1.W01.K2": "99"}, base_revision=None
    )
    cast.log_in(client, celina)
    content = client.get(page(sent_report)).content.decode()
    assert 'value="150"' in content
    assert 'value="99"' not in content
    assert "Sprawozdanie jest u sprawozdawcy do korekty." in content
    assert "Zatwierdź" not in content


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_reporters_get_403_even_for_their_own_report(client, request, sent_report, who):
    cast.log_in(client, request.getfixturevalue(who))
    assert client.get(page(sent_report)).status_code == 403


def test_another_voivodeships_report_is_404(client, olaf, sent_report):
    cast.log_in(client, olaf)
    assert client.get(page(sent_report)).status_code == 404


def test_the_central_administrator_reviews_every_voivodeship(
    client, celina, sent_report, silesian_report
):
    cast.log_in(client, celina)
    assert client.get(page(sent_report)).status_code == 200
    assert client.get(page(silesian_report)).status_code == 200
