"""The hospital's system uploads a file of values through the API: it gets the preview as
JSON, applies it with its key, and is answered a conflict when a clerk saved in between; a
read token may not apply; the clinic's system never reaches the hospital's report; the
template of the form version round-trips."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ssoz.reports import workflow
from ssoz.reports.models import Report, ReportEvent, UploadPreview

pytestmark = pytest.mark.django_db


def upload(client, secret: str, report_id: int, content: bytes, *, name="w.csv", **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.post(
        f"/api/v1/reports/{report_id}/upload{suffix}",
        {"file": SimpleUploadedFile(name, content)},
        headers={"Authorization": f"Bearer {secret}"},
    )


def apply(client, secret: str, report_id: int, key: str):
    return client.post(
        f"/api/v1/reports/{report_id}/upload/{key}/apply",
        headers={"Authorization": f"Bearer {secret}"},
    )


@pytest.fixture
def secret(alice):
    from api.conftest import token_of

    return token_of(alice).secret


def test_the_preview_answers_each_change_and_the_rules_and_stores_nothing(client, report, secret):
    response = upload(client, secret, report.pk, b"kod;wartosc\nD1.W01.K2;150\nX.Y;1\n")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["changes"] == [
        {
            "field": "D1.W01.K2",
            "label": "Lekarze – Umowa o pracę",
            "old": "",
            "new": "150",
            "problems": [],
        }
    ]
    assert body["rejected"] == [
        {"row": 3, "field": "X.Y", "reason": "Formularz nie ma pola o tym kodzie."}
    ]
    assert [warning["rule"] for warning in body["check"]["warnings"]] == ["R1"]
    assert body["revision"] == 0
    assert Report.objects.get(pk=report.pk).values == {}


def test_applying_the_key_stores_exactly_the_preview_with_one_audit_row_naming_the_token(
    client, report, secret
):
    key = upload(client, secret, report.pk, b"D1.W01.K2;12\nA_TEAM;nie\n").json()["key"]
    events = ReportEvent.objects.filter(report=report).count()
    response = apply(client, secret, report.pk, key)
    assert response.status_code == 200, response.content
    assert response.json()["ok"] and response.json()["revision"] == 1
    assert Report.objects.get(pk=report.pk).values == {"D1.W01.K2": "12", "A_TEAM": "nie"}
    assert ReportEvent.objects.filter(report=report).count() == events + 1
    assert ReportEvent.objects.filter(report=report).latest("pk").api_token_id is not None
    assert apply(client, secret, report.pk, key).json()["error"] == "preview_gone"


def test_apply_true_previews_and_applies_in_one_call(client, report, secret):
    response = upload(client, secret, report.pk, b"A_NOTE;od razu\n", apply="true")
    assert response.status_code == 200 and response.json()["saved"] == ["A_NOTE"]
    assert Report.objects.get(pk=report.pk).values == {"A_NOTE": "od razu"}


def test_a_retried_apply_with_its_idempotency_key_gets_the_first_answer(client, report, secret):
    key = upload(client, secret, report.pk, b"A_NOTE;raz\n").json()["key"]
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "apply-1"}
    url = f"/api/v1/reports/{report.pk}/upload/{key}/apply"
    first = client.post(url, headers=headers)
    again = client.post(url, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    headers["Idempotency-Key"] = "upload-1"
    for _attempt in range(2):
        retried = client.post(
            f"/api/v1/reports/{report.pk}/upload?apply=true",
            {"file": SimpleUploadedFile("w.csv", b"A_NOTE;dwa\n")},
            headers=headers,
        )
        assert retried.status_code == 200, retried.content
    assert retried["Idempotent-Replayed"] == "true"
    assert Report.objects.get(pk=report.pk).revision == 2


def test_a_save_in_between_is_a_conflict(client, report, secret, bob):
    key = upload(client, secret, report.pk, b"A_NOTE;z systemu\n").json()["key"]
    workflow.save_report(report=report, actor=bob, changes={"A_NOTE": "Boba"}, base_revision=0)
    response = apply(client, secret, report.pk, key)
    assert response.status_code == 409
    assert response.json()["conflicts"]["A_NOTE"]["theirs"] == "Boba"
    assert Report.objects.get(pk=report.pk).values == {"A_NOTE": "Boba"}


def test_a_read_token_can_neither_preview_nor_apply(client, report, alice, secret):
    from api.conftest import token_of

    key = upload(client, secret, report.pk, b"A_NOTE;x\n").json()["key"]
    reader = token_of(alice, scope="read").secret
    assert upload(client, reader, report.pk, b"A_NOTE;x\n").status_code == 403
    response = apply(client, reader, report.pk, key)
    assert response.status_code == 403 and response.json()["error"] == "read_only_token"
    assert Report.objects.get(pk=report.pk).values == {}


def test_the_clinics_system_never_reaches_the_hospitals_report(client, report, secret, charlie):
    from api.conftest import token_of

    key = upload(client, secret, report.pk, b"A_NOTE;x\n").json()["key"]
    theirs = token_of(charlie).secret
    assert upload(client, theirs, report.pk, b"A_NOTE;x\n").status_code == 404
    assert apply(client, theirs, report.pk, key).status_code == 404
    assert UploadPreview.objects.count() == 1
    assert Report.objects.get(pk=report.pk).values == {}


@pytest.mark.parametrize(
    "content,name,status,code",
    [
        (b"A_NOTE;" + b"x" * (2 * 1024 * 1024), "duzy.csv", 413, "bad_file"),
        (b"\x00\x01\x02binary", "x.bin", 400, "bad_file"),
        (b"not a zip", "w.xlsx", 400, "bad_file"),
    ],
    ids=["too large", "binary", "no workbook"],
)
def test_a_file_that_cannot_be_read_is_refused_as_json(
    client, report, secret, content, name, status, code
):
    response = upload(client, secret, report.pk, content, name=name)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["field"] == "file"
    assert not UploadPreview.objects.exists()


def test_the_forms_template_round_trips(client, report, secret, survey):
    headers = {"Authorization": f"Bearer {secret}"}
    csv = client.get(f"/api/v1/forms/{survey.pk}/template.csv", headers=headers)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    filled = "\n".join(
        line.replace(";;", ";7;", 1) if line.startswith("D1.W02.K2;") else line for line in lines
    )
    response = upload(client, secret, report.pk, filled.encode("utf-8-sig"))
    assert [change["field"] for change in response.json()["changes"]] == ["D1.W02.K2"]
    assert response.json()["rejected"] == []

    xlsx = client.get(f"/api/v1/forms/{survey.pk}/template.xlsx", headers=headers)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == ["kod", "wartość", "etykieta"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "A_TEAM":
            row[1].value = "tak"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, secret, report.pk, buffer.getvalue(), name="szablon.xlsx")
    assert [change["new"] for change in response.json()["changes"]] == ["tak"]


def test_the_template_is_not_given_to_whoever_sees_no_publication_of_the_form(
    client, survey, piotr
):
    from api.conftest import token_of

    secret = token_of(piotr).secret
    response = client.get(
        f"/api/v1/forms/{survey.pk}/template.csv", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 404
