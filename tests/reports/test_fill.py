import json
import re

import cast
from django.core import mail
from django.urls import reverse

from ssoz.reports.inputs import MAX_EXPLANATION_CHARS
from ssoz.reports.models import ReportEvent, Status


def detail(report) -> str:
    return reverse("reports:detail", args=[report.pk])


def post(client, report, action="save", **values):
    data = {"revision": str(report.revision), "action": action}
    data.update(values)
    return client.post(detail(report), data)


def test_the_report_page_shows_sections_fields_and_the_table(client, alice, report):
    cast.log_in(client, alice)
    content = client.get(detail(report)).content.decode()
    for text in (
        "Dział A. Zespół",
        "Czy podmiot ma zespół ds. cyberbezpieczeństwa?",
        "Dział 1. Pracujący",
        "Wyszczególnienie",
        "Lekarze",
        "zwiń/rozwiń",
        "Zapisz do uzupełnienia na później",
        "Weryfikuj bez wysyłania",
        "Wyślij",
    ):
        assert text in content, text
    assert 'name="D1.W01.K2"' in content
    assert 'name="D1.W01.K1"' not in content  # the total is computed, not typed


def test_save_keeps_values_as_typed_even_when_they_fail(client, alice, report):
    cast.log_in(client, alice)
    response = post(client, report, **{"D1.W01.K2": "dwanaście", "D1.W01.K3": "3"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.values == {"D1.W01.K2": "dwanaście", "D1.W01.K3": "3"}
    content = client.get(detail(report)).content.decode()
    assert 'value="dwanaście"' in content
    assert 'aria-invalid="true"' in content
    assert report.events.filter(kind=ReportEvent.Kind.SAVED).exists()


def test_the_total_is_computed_from_its_parts(client, alice, report):
    cast.log_in(client, alice)
    post(client, report, **{"D1.W01.K2": "10", "D1.W01.K3": "5"})
    content = client.get(detail(report)).content.decode()
    assert 'id="f-D1-W01-K1" value="15"' in content


def test_verify_shows_errors_and_warnings_with_a_box_for_each_explanation(client, alice, report):
    cast.log_in(client, alice)
    response = post(
        client,
        report,
        action="verify",
        A_TEAM="tak",
        **{"D1.W01.K2": "150", "D1.W01.K4": "200"},
    )
    content = response.content.decode()
    assert "Wynik weryfikacji" in content
    assert "Liczba osób w zespole" in content
    assert "Ponad 100 lekarzy (150)" in content
    assert 'name="explanation:R1"' in content
    assert report.events.filter(kind=ReportEvent.Kind.VERIFIED).exists()


def test_verify_from_the_page_answers_with_the_result_and_the_fields_messages_only(
    client, alice, report
):
    cast.log_in(client, alice)
    data = {"revision": str(report.revision), "action": "verify", "A_TEAM": "tak"}
    data.update({"D1.W01.K2": "150", "D1.W01.K4": "200"})
    response = client.post(detail(report), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#verification-slot"
    assert response["HX-Reswap"] == "innerHTML"
    content = response.content.decode()
    assert "Wynik weryfikacji" in content
    assert 'name="explanation:R1"' in content
    assert 'name="D1.W01.K2"' not in content  # the fields stay on the page as typed
    assert 'id="section-D1-tags" data-hx-swap-oob="true"' in content
    assert "ostrzeżenia: 1" in content
    fields = json.loads(
        re.search(r'id="verification-fields"[^>]*>(.*?)</script>', content, re.S).group(1)
    )
    report.refresh_from_db()
    assert fields["revision"] == report.revision
    assert fields["computed"]["f-D1-W01-K1"] == "150"
    assert fields["messages"]["f-D1-W01-K2"] == [
        ["warning", "Ponad 100 lekarzy (150) – sprawdź, czy to nie pomyłka."]
    ]
    assert any(severity == "error" for severity, _ in fields["messages"]["f-A_SIZE"])
    assert "f-A_SIZE" not in fields["irrelevant"]
    assert report.events.filter(kind=ReportEvent.Kind.VERIFIED).exists()


def test_send_needs_no_errors_and_every_warning_explained(
    client, alice, report, django_capture_on_commit_callbacks
):
    cast.log_in(client, alice)
    post(client, report, A_TEAM="nie", **{"D1.W01.K2": "150", "D1.W01.K3": "0"})
    send_url = reverse("reports:send", args=[report.pk])
    response = client.get(send_url)
    assert response.status_code == 400
    assert "Wyjaśnij każde ostrzeżenie" in response.content.decode()
    report.refresh_from_db()
    post(client, report, action="save", **{"explanation:R1": "Szpital kliniczny, 150 etatów."})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url, {"confirm": "yes"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SENT
    version = report.versions.get()
    assert version.explanations == {"R1": "Szpital kliniczny, 150 etatów."}
    assert len(version.checksum) == 64
    assert "potwierdzenie wysłania" in mail.outbox[0].subject
    # Read-only from now on.
    response = post(client, report, **{"D1.W01.K2": "1"})
    report.refresh_from_db()
    assert report.values["D1.W01.K2"] == "150"


def test_another_entitys_clerk_cannot_see_the_report(client, charlie, report):
    cast.log_in(client, charlie)
    assert client.get(detail(report)).status_code == 404
    assert post(client, report, **{"D1.W01.K2": "1"}).status_code == 404


def test_a_colleagues_late_save_keeps_both_values(client, alice, bob, report):
    cast.log_in(client, alice)
    post(client, report, **{"D1.W01.K2": "10", "D1.W02.K2": "4"})
    report.refresh_from_db()
    loaded_revision = report.revision
    # Bob saves first, from a page loaded at the same revision.
    cast.log_in(client, bob)
    client.post(
        detail(report),
        {"revision": str(loaded_revision), "action": "save", "D1.W01.K2": "11", "D1.W02.K2": "4"},
    )
    # Alice saves her page, loaded before Bob's save: W01 conflicts, W02.K3 is new.
    cast.log_in(client, alice)
    response = client.post(
        detail(report),
        {
            "revision": str(loaded_revision),
            "action": "save",
            "D1.W01.K2": "12",
            "D1.W02.K2": "4",
            "D1.W02.K3": "7",
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "ktoś inny zapisał tu wartość „11”" in content
    assert 'value="12"' in content  # Alice's value is still in her field
    report.refresh_from_db()
    assert report.values["D1.W01.K2"] == "11"
    assert report.values["D1.W02.K3"] == "7"


def test_only_explanations_of_the_forms_warnings_are_kept_and_each_is_bounded(
    client, alice, report
):
    cast.log_in(client, alice)
    invented = {f"explanation:R{n}-wymyslona": "x" * 10 for n in range(5000)}
    response = client.post(
        reverse("reports:detail", args=[report.pk]),
        {
            **invented,
            "explanation:R1": "Szpital kliniczny. " + "y" * 10_000,
            "revision": "0",
            "action": "save",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert list(report.explanations) == ["R1"]
    assert len(report.explanations["R1"]) == MAX_EXPLANATION_CHARS
    (event,) = report.events.filter(kind="saved")
    assert list(event.changes["explanations"]) == ["R1"]
