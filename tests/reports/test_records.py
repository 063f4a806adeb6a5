"""Repeating records (the cards of MZ/Szp-11B): added, changed and removed one by one, each
checked by its own rules in the report's month; the report is sent only when every card is
free of errors, and its version keeps them; PESEL is shown in full only to those allowed."""

import pytest
from reports.conftest import CARD

from ssoz.reports import records, workflow
from ssoz.reports.models import Record, ReportEvent, Status
from ssoz.reports.workflow import WorkflowError


def errors_of(report, values) -> list[str]:
    return [e.message_pl for e in records.check_record(report, values).errors]


def test_a_card_with_a_wrong_pesel_is_kept_as_typed_and_counted_with_errors(card_report, piotr):
    saved = records.add_record(
        report=card_report, actor=piotr, values={**CARD, "PESEL": "4405140135"}
    )
    record = saved.record
    assert record.number == 1
    assert record.values["PESEL"] == "4405140135"
    assert record.errors == 1
    assert "poprawny numer PESEL" in errors_of(card_report, record.values)[0]


def test_a_card_whose_birth_date_and_sex_disagree_with_its_pesel_names_both(card_report):
    found = errors_of(card_report, {**CARD, "BIRTH_DATE": "1944-05-15", "SEX": "K"})
    assert any("według którego pacjent urodził się 14.05.1944" in m for m in found)
    assert any("płeć nie zgadza się z numerem PESEL" in m for m in found)


def test_a_card_discharged_outside_the_month_is_an_error_with_the_months_dates(card_report):
    found = errors_of(card_report, {**CARD, "DISCHARGE_DATE": "2026-11-02"})
    assert found == [
        "Data wypisu 02.11.2026 nie należy do miesiąca sprawozdawczego (01.10.2026 – "
        "31.10.2026). Kartę wysyła się za miesiąc, w którym pacjent został wypisany."
    ]


def test_a_card_admitted_after_its_discharge_is_an_error(card_report):
    found = errors_of(card_report, {**CARD, "ADMISSION_DATE": "2026-10-06"})
    assert any("Data przyjęcia (06.10.2026) jest późniejsza niż data wypisu" in m for m in found)


def test_a_report_whose_cards_have_errors_cannot_be_sent_until_they_are_corrected(
    card_report, piotr
):
    workflow.save_report(
        report=card_report, actor=piotr, changes={"D0_DISCHARGED": "2"}, base_revision=None
    )
    records.add_record(report=card_report, actor=piotr, values=CARD)
    records.add_record(report=card_report, actor=piotr, values={**CARD, "PESEL": "44051401358"})
    card_report.refresh_from_db()
    result = workflow.check_report(card_report)
    assert [e.message_pl for e in result.errors] == [
        "Karty z błędami: 1 (nr 2). Popraw je na liście kart."
    ]
    with pytest.raises(WorkflowError):
        workflow.send_report(report=card_report, actor=piotr)

    records.change_record(
        report=card_report,
        number=2,
        actor=piotr,
        values={**CARD, "PESEL": "02270803624", "SEX": "K", "BIRTH_DATE": "2002-07-08"},
    )
    version = workflow.send_report(report=card_report, actor=piotr)
    card_report.refresh_from_db()
    assert card_report.status == Status.SENT
    assert [r["number"] for r in version.records] == [1, 2]
    assert version.records[1]["values"]["PESEL"] == "02270803624"
    assert version.records[0]["values"]["BIRTH_DATE"] == "1944-05-14"


def test_the_number_of_discharged_patients_must_equal_the_number_of_cards(card_report, piotr):
    workflow.save_report(
        report=card_report, actor=piotr, changes={"D0_DISCHARGED": "2"}, base_revision=None
    )
    records.add_record(report=card_report, actor=piotr, values=CARD)
    card_report.refresh_from_db()
    result = workflow.check_report(card_report)
    assert [e.rule_id for e in result.errors] == ["CARDS"]
    assert "liczba kart w sprawozdaniu wynosi 1" in result.errors[0].message_pl


def test_a_removed_card_leaves_its_number_unused_and_its_values_in_the_trail(card_report, piotr):
    records.add_record(report=card_report, actor=piotr, values=CARD)
    records.add_record(report=card_report, actor=piotr, values=CARD)
    records.remove_record(report=card_report, number=2, actor=piotr)
    third = records.add_record(report=card_report, actor=piotr, values=CARD).record
    assert third.number == 3
    assert list(Record.objects.filter(report=card_report).values_list("number", flat=True)) == [
        1,
        3,
    ]
    removed = ReportEvent.objects.filter(report=card_report, comment="Karta nr 2: usunięto").get()
    assert removed.changes["records"]["2"]["removed"]["PESEL"] == CARD["PESEL"]


def test_a_month_without_discharges_is_sent_as_zero_and_its_cards_are_removed(card_report, piotr):
    records.add_record(report=card_report, actor=piotr, values=CARD)
    version = workflow.send_zero_report(report=card_report, actor=piotr)
    assert version.is_zero and version.records == []
    assert not Record.objects.filter(report=card_report).exists()


def test_cards_of_a_sent_report_cannot_be_changed(card_report, piotr):
    records.add_record(report=card_report, actor=piotr, values=CARD)
    workflow.send_zero_report(report=card_report, actor=piotr)
    with pytest.raises(WorkflowError):
        records.add_record(report=card_report, actor=piotr, values=CARD)


def test_nobody_but_the_hospitals_card_accounts_and_the_central_administrator_sees_a_pesel_in_full(
    card_report, piotr, alice, wanda, celina, anna
):
    assert records.sees_personal_data(piotr, card_report)
    assert records.sees_personal_data(celina, card_report)
    for user in (alice, wanda, anna, None):
        assert not records.sees_personal_data(user, card_report)
    assert records.mask("44051401359") == "•••••••1359"


def test_a_form_with_more_cards_than_it_allows_refuses_the_next(card_report, piotr, settings):
    spec = card_report.compiled_form().records
    object.__setattr__(spec, "max", 1)
    try:
        records.add_record(report=card_report, actor=piotr, values=CARD)
        with pytest.raises(WorkflowError):
            records.add_record(report=card_report, actor=piotr, values=CARD)
    finally:
        object.__setattr__(spec, "max", 10_000)


def test_the_sent_pdf_lists_the_cards_with_the_pesel_masked_for_a_regional_administrator(
    card_report, piotr, wanda
):
    import io

    from pypdf import PdfReader

    from ssoz.reports.proof import version_pdf

    workflow.save_report(
        report=card_report, actor=piotr, changes={"D0_DISCHARGED": "1"}, base_revision=None
    )
    records.add_record(report=card_report, actor=piotr, values=CARD)
    card_report.refresh_from_db()
    version = workflow.send_report(report=card_report, actor=piotr)

    def text_for(viewer) -> str:
        pdf, _name = version_pdf(card_report, version, viewer)
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    for_wanda = text_for(wanda)
    assert "Karty wypisanych pacjentów (1)" in for_wanda
    assert "1359" in for_wanda and "44051401359" not in for_wanda
    assert "schizofrenia" in for_wanda
    assert "44051401359" in text_for(piotr)


def test_a_month_of_500_cards_is_read_from_a_file_previewed_applied_verified_and_sent(
    card_report, piotr
):
    from ssoz.reports import record_uploads
    from ssoz.reports.synthetic_cards import cards_csv

    preview = record_uploads.preview_records(
        report=card_report, actor=piotr, content=cards_csv(500), file_name="pazdziernik.csv"
    )
    assert (preview.count, preview.with_errors, preview.with_warnings) == (500, 0, 0)
    assert not Record.objects.filter(report=card_report).exists()  # nothing stored yet
    assert record_uploads.apply_records(report=card_report.pk, actor=piotr, key=preview.key) == 500
    workflow.save_report(
        report=card_report, actor=piotr, changes={"D0_DISCHARGED": "500"}, base_revision=None
    )
    card_report.refresh_from_db()
    assert workflow.check_report(card_report).errors == []
    version = workflow.send_report(report=card_report, actor=piotr)
    assert len(version.records) == 500
    assert len({card["values"]["PESEL"] for card in version.records}) == 500


def test_a_file_of_cards_names_the_rows_with_errors_and_keeps_them_as_typed(card_report, piotr):
    from ssoz.reports import record_uploads
    from ssoz.reports.synthetic_cards import cards_csv

    content = cards_csv(3).replace(b"2026-10-02", b"2026-11-02")  # the second card's discharge
    preview = record_uploads.preview_records(
        report=card_report, actor=piotr, content=content, file_name="karty.csv"
    )
    assert (preview.count, preview.with_errors) == (3, 1)
    assert [problem.row for problem in preview.problems] == [3]
    assert "nie należy do miesiąca sprawozdawczego" in preview.problems[0].message
    record_uploads.apply_records(report=card_report.pk, actor=piotr, key=preview.key)
    second = Record.objects.get(report=card_report, number=2)
    assert (second.values["DISCHARGE_DATE"], second.errors) == ("2026-11-02", 1)


def test_a_file_of_cards_without_a_header_of_field_codes_is_refused_with_why(card_report, piotr):
    from ssoz.reports import record_uploads, uploads

    with pytest.raises(uploads.UploadRefused, match="kody pól karty"):
        record_uploads.preview_records(
            report=card_report, actor=piotr, content=b"a;b\n1;2\n", file_name="x.csv"
        )


def test_a_preview_of_cards_is_not_applied_over_a_save_made_after_it(card_report, piotr):
    from ssoz.reports import record_uploads
    from ssoz.reports.synthetic_cards import cards_csv

    preview = record_uploads.preview_records(
        report=card_report, actor=piotr, content=cards_csv(2), file_name="karty.csv"
    )
    records.add_record(report=card_report, actor=piotr, values=CARD)
    with pytest.raises(WorkflowError, match="zmieniło się po wczytaniu pliku"):
        record_uploads.apply_records(report=card_report.pk, actor=piotr, key=preview.key)
    assert Record.objects.filter(report=card_report).count() == 1
