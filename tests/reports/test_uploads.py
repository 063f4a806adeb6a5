"""„Wczytaj wartości z pliku”: Alice uploads a CSV or XLSX file of her hospital's values, sees
what it would change and the rules' results, and applies exactly that; Bob, her colleague,
saving in between, is not overwritten; Charlie of the clinic never reaches her report; a file
too large, too long, a ZIP bomb or no table at all is refused with a message and nothing is
stored."""

import io
import zipfile

import cast
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ssoz.reports import uploads, workflow
from ssoz.reports.models import Report, ReportEvent, UploadPreview

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def csv_file(*rows: tuple[str, str], name: str = "wartosci.csv", header: bool = True) -> bytes:
    lines = (["kod;wartość"] if header else []) + [f"{ref};{value}" for ref, value in rows]
    return ("\n".join(lines) + "\n").encode()


def post_file(client, report, content: bytes, name: str = "wartosci.csv"):
    return client.post(
        reverse("reports:upload", args=[report.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def stored(report) -> tuple[dict, int, int]:
    fresh = Report.objects.get(pk=report.pk)
    return fresh.values, fresh.revision, ReportEvent.objects.filter(report=report).count()


def preview_of(report, alice, content: bytes, name: str = "wartosci.csv"):
    return uploads.preview_upload(
        report=uploads.editable_report(alice, report.pk),
        actor=alice,
        content=content,
        file_name=name,
    )


# --- Reading files ------------------------------------------------------------------------------


def test_a_csv_of_references_and_values_is_read_with_its_header_left_out():
    content = b'kod,wartosc\nD1.W01.K2,12\nA_NOTE,"Uwaga, z przecinkiem"\n\n'
    assert uploads.read_rows(content) == [
        (2, "D1.W01.K2", "12"),
        (3, "A_NOTE", "Uwaga, z przecinkiem"),
    ]


def test_a_semicolon_csv_from_polish_excel_in_windows_1250_is_read():
    content = "D1.W01.K2;1,5\nA_NOTE;zażółć\n".encode("cp1250")
    assert uploads.read_rows(content) == [(1, "D1.W01.K2", "1,5"), (2, "A_NOTE", "zażółć")]


def test_an_xlsx_is_read_from_its_first_sheet_numbers_as_typed():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (("kod", "wartość"), ("D1.W01.K2", 12), ("D1.W01.K3", 2.5), ("A_TEAM", "tak")):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert uploads.read_rows(buffer.getvalue()) == [
        (2, "D1.W01.K2", "12"),
        (3, "D1.W01.K3", "2.5"),
        (4, "A_TEAM", "tak"),
    ]


def refusal(content: bytes, name: str = "plik.csv") -> str:
    with pytest.raises(uploads.UploadRefused) as caught:
        uploads.read_rows(content, name)
    return caught.value.text("pl")


def test_a_binary_file_is_refused_as_no_table():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "To nie jest plik CSV ani XLSX" in refusal(png, "obraz.png")


def test_a_file_named_xlsx_that_is_no_workbook_is_refused():
    assert "nie jest skoroszytem XLSX" in refusal(b"D1.W01.K2;1\n", "wartosci.xlsx")


def test_a_file_of_the_most_rows_allowed_is_read():
    content = "".join(f"A_NOTE;{n}\n" for n in range(uploads.MAX_ROWS)).encode()
    assert len(uploads.read_rows(content)) == uploads.MAX_ROWS


def test_too_many_rows_are_refused():
    content = "".join(f"A_NOTE;{n}\n" for n in range(uploads.MAX_ROWS + 1)).encode()
    assert "za dużo wierszy" in refusal(content)


def zip_bomb() -> bytes:
    """A workbook of one sheet that unpacks to about 60 MB from well under 1 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            row = b'<row><c t="inlineStr"><is><t>A_NOTE</t></is></c></row>' * 20_000
            for _ in range(60):
                part.write(row)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_by_what_it_declares_before_it_is_unpacked():
    bomb = zip_bomb()
    assert len(bomb) < MB
    assert "po rozpakowaniu zajmowałby" in refusal(bomb, "bomba.xlsx")


# --- The preview --------------------------------------------------------------------------------


def test_the_preview_lists_each_change_with_its_label_and_changes_nothing(report, alice):
    workflow.save_report(report=report, actor=alice, changes={"A_NOTE": "stara"}, base_revision=0)
    before = stored(report)
    preview = preview_of(
        report, alice, csv_file(("A_NOTE", "nowa"), ("D1.W01.K2", "12"), ("A_TEAM", "nie"))
    )
    assert [(c.ref, c.label, c.old, c.new) for c in preview.changes] == [
        ("A_TEAM", "Czy podmiot ma zespół ds. cyberbezpieczeństwa?", "", "nie"),
        ("A_NOTE", "Uwagi", "stara", "nowa"),
        ("D1.W01.K2", "Lekarze – Umowa o pracę", "", "12"),
    ]
    assert stored(report) == before
    assert preview.check.stage == "verify"


def test_the_preview_shows_the_rules_after_the_change(report, alice):
    preview = preview_of(report, alice, csv_file(("A_TEAM", "nie"), ("D1.W01.K2", "150")))
    assert [warning.rule_id for warning in preview.check.warnings] == ["R1"]
    assert preview.to_dict("pl")["check"]["warnings"][0]["message"].startswith("Ponad 100")


def test_unknown_references_computed_fields_and_bad_values_are_listed_with_why(report, alice):
    preview = preview_of(
        report,
        alice,
        csv_file(
            ("D9.W99.K9", "1"),
            ("D1.W01.K1", "5"),
            ("D1.W01.K2", "abc"),
            ("A_NOTE", "x" * 20_001),
        ),
    )
    rejected = {item.ref: (item.row, item.reason) for item in preview.rejected}
    assert rejected["D9.W99.K9"] == (2, "Formularz nie ma pola o tym kodzie.")
    assert "wyliczane" in rejected["D1.W01.K1"][1]
    assert "za długi" in rejected["A_NOTE"][1]
    (change,) = preview.changes
    assert change.ref == "D1.W01.K2"
    assert change.problems == ("To nie jest liczba. Wpisz same cyfry, np. 1234 albo 12,5.",)


def test_values_already_stored_and_blank_values_change_nothing(report, alice):
    workflow.save_report(report=report, actor=alice, changes={"A_NOTE": "ta sama"}, base_revision=0)
    preview = preview_of(report, alice, csv_file(("A_NOTE", "ta sama"), ("D1.W01.K2", "")))
    assert preview.changes == [] and preview.unchanged == 1


# --- Applying -----------------------------------------------------------------------------------


def test_applying_stores_exactly_the_previewed_values_with_one_audit_row(report, alice):
    preview = preview_of(report, alice, csv_file(("A_TEAM", "nie"), ("d1.w01.k2", "12")))
    events = ReportEvent.objects.filter(report=report).count()
    save = uploads.apply_upload(report=report.pk, actor=alice, key=preview.key)
    assert save.ok
    values, revision, after = stored(report)
    assert values == {"A_TEAM": "nie", "D1.W01.K2": "12"} == preview.values
    assert revision == 1
    assert after == events + 1
    assert ReportEvent.objects.filter(report=report).latest("pk").kind == "saved"
    assert not UploadPreview.objects.exists()


def test_a_save_in_between_is_answered_as_a_conflict_and_not_overwritten(report, alice, bob):
    preview = preview_of(report, alice, csv_file(("A_NOTE", "z pliku"), ("D1.W01.K2", "12")))
    workflow.save_report(report=report, actor=bob, changes={"A_NOTE": "Boba"}, base_revision=0)
    save = uploads.apply_upload(report=report.pk, actor=alice, key=preview.key)
    assert save.conflicts == {"A_NOTE": ("Boba", "z pliku")}
    values, _revision, _events = stored(report)
    assert values == {"A_NOTE": "Boba", "D1.W01.K2": "12"}


def test_a_preview_is_the_uploaders_own_and_applied_once(report, alice, bob):
    preview = preview_of(report, alice, csv_file(("A_NOTE", "z pliku")))
    with pytest.raises(workflow.DomainError) as refused:
        uploads.apply_upload(report=report.pk, actor=bob, key=preview.key)
    assert refused.value.status == 404
    uploads.apply_upload(report=report.pk, actor=alice, key=preview.key)
    with pytest.raises(workflow.DomainError):
        uploads.apply_upload(report=report.pk, actor=alice, key=preview.key)


# --- The pages ----------------------------------------------------------------------------------


def test_the_report_page_offers_the_upload_while_the_report_is_editable(client, report, alice):
    cast.log_in(client, alice)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Wczytaj wartości z pliku" in page
    assert reverse("reports:upload", args=[report.pk]) in page


def test_alice_previews_on_the_page_then_applies(client, report, alice):
    cast.log_in(client, alice)
    response = post_file(client, report, csv_file(("A_TEAM", "nie"), ("D1.W01.K2", "150")))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<caption id="changes-caption">Pola, które się zmienią</caption>' in page
    assert '<th scope="row">Lekarze – Umowa o pracę</th>' in page
    assert "Ponad 100 lekarzy" in page
    assert "Pola, które plik zmieni: 2." in page
    assert stored(report)[0] == {}
    key = response.context["preview"].key
    response = client.post(reverse("reports:upload_apply", args=[report.pk]), {"preview_key": key})
    assert response.status_code == 302
    assert stored(report)[0] == {"A_TEAM": "nie", "D1.W01.K2": "150"}
    page = client.get(response.url).content.decode()
    assert "Zapisano wartości z pliku; zmienione pola: 2." in page


def test_a_conflict_on_the_page_is_shown_at_the_field(client, report, alice, bob):
    cast.log_in(client, alice)
    response = post_file(client, report, csv_file(("A_NOTE", "z pliku")))
    workflow.save_report(report=report, actor=bob, changes={"A_NOTE": "Boba"}, base_revision=0)
    key = response.context["preview"].key
    response = client.post(reverse("reports:upload_apply", args=[report.pk]), {"preview_key": key})
    assert response.status_code == 409
    assert "W międzyczasie ktoś inny zapisał tu wartość „Boba”" in response.content.decode()


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"A_NOTE;" + b"x" * (2 * MB), "duzy.csv", "Plik jest za duży: może mieć najwyżej 2 MB."),
        (
            "".join(f"A_NOTE;{n}\n" for n in range(20_001)).encode(),
            "dlugi.csv",
            "Plik ma za dużo wierszy: może mieć najwyżej 20 000.",
        ),
        (zip_bomb(), "bomba.xlsx", "Skoroszyt po rozpakowaniu zajmowałby"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "obraz.png", "To nie jest plik CSV ani XLSX"),
    ],
    ids=["too large", "too many rows", "zip bomb", "binary"],
)
def test_a_refused_file_is_told_next_to_the_field_and_nothing_is_stored(
    client, report, alice, content, name, message
):
    cast.log_in(client, alice)
    before = stored(report)
    response = post_file(client, report, content, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_file_error"' in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert stored(report) == before
    assert not UploadPreview.objects.exists()


def test_charlie_of_the_clinic_never_reaches_alices_report(client, report, charlie):
    cast.log_in(client, charlie)
    for name in ("reports:upload", "reports:template_csv", "reports:template_xlsx"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert post_file(client, report, csv_file(("A_NOTE", "x"))).status_code == 404
    assert stored(report)[0] == {}


def test_a_sent_report_takes_no_upload(client, report, alice):
    cast.log_in(client, alice)
    workflow.save_report(
        report=report,
        actor=alice,
        changes={"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1"},
        base_revision=0,
    )
    workflow.send_report(report=Report.objects.get(pk=report.pk), actor=alice)
    response = post_file(client, report, csv_file(("A_NOTE", "x")))
    assert response.status_code == 302 and response.url == reverse(
        "reports:detail", args=[report.pk]
    )
    assert "A_NOTE" not in stored(report)[0]


# --- The template -------------------------------------------------------------------------------


def test_the_template_lists_every_input_field_with_its_label_and_the_current_values(
    client, report, alice
):
    workflow.save_report(report=report, actor=alice, changes={"A_NOTE": "obecna"}, base_revision=0)
    cast.log_in(client, alice)
    response = client.get(reverse("reports:template_csv", args=[report.pk]))
    assert response["Content-Disposition"].endswith('.csv"')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kod;wartość;etykieta"
    assert "A_NOTE;obecna;Uwagi" in lines
    assert "D1.W01.K2;;Lekarze – Umowa o pracę" in lines
    assert not any(line.startswith("D1.W01.K1;") for line in lines)  # computed


def test_the_xlsx_template_round_trips_through_a_spreadsheet(client, report, alice):
    cast.log_in(client, alice)
    response = client.get(reverse("reports:template_xlsx", args=[report.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "D1.W01.K2":
            row[1].value = 12
        if row[0].value == "A_TEAM":
            row[1].value = "nie"
    filled = io.BytesIO()
    workbook.save(filled)
    response = post_file(client, report, filled.getvalue(), "szablon.xlsx")
    preview = response.context["preview"]
    assert {(c.ref, c.new) for c in preview.changes} == {("D1.W01.K2", "12"), ("A_TEAM", "nie")}
    assert preview.rejected == []


def test_a_preview_never_applied_is_refused_once_stale_and_then_removed(alice, report):
    import datetime

    from django.utils import timezone

    preview = uploads.preview_upload(
        report=report, actor=alice, content=b"ref,value\nA_SIZE,4\n", file_name="a.csv"
    )
    long_ago = timezone.now() - uploads.PREVIEW_LIFETIME - datetime.timedelta(minutes=1)
    UploadPreview.objects.filter(key=preview.key).update(created_at=long_ago)
    with pytest.raises(uploads.DomainError):
        uploads.apply_upload(report=report.pk, actor=alice, key=preview.key)
    assert uploads.remove_stale_previews() == 1
    assert not UploadPreview.objects.exists()
    report.refresh_from_db()
    assert "A_SIZE" not in report.values


@pytest.mark.parametrize("key", ["\x00", "a\x00b", "ą" * 3, "x" * 65, ""])
def test_a_key_that_is_no_preview_key_is_refused_as_none_without_asking_the_database(
    alice, report, key, django_assert_num_queries
):
    from ssoz.lib.errors import DomainError

    with django_assert_num_queries(0), pytest.raises(DomainError) as refused:
        uploads.kept_preview(report_id=report.pk, actor=alice, key=key)
    assert refused.value.status == 404
