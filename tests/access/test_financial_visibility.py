"""The financial forms (MZ-03, MZ-BFA-UW, STR-ZOB-UW) are for accounts with the financial
authorisation: published beside an ordinary form (MZ-88) to Alice's hospital, Fiona sees them
wherever a reporter sees forms and reports, Alice (no authorisation) and Piotr (the MZ/Szp-11B
card only) see none of them anywhere, and the administrators see them within their scope:
Wanda, Mazowieckie's, does; Olaf, Śląskie's, sees none of the hospital's."""

import datetime
from pathlib import Path

import cast
import pytest
from api.conftest import token_of
from definitions.test_form_mz03 import balance_sheet
from definitions.test_form_mz_bfa_uw import information
from definitions.test_form_str_zob_uw import structure
from django.urls import reverse

from ssoz.definitions.services import load_definition
from ssoz.exports import tables
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
FINANCIAL = ("MZ-03", "MZ-BFA-UW", "STR-ZOB-UW")
# No overdue liabilities, so that the structure agrees with MZ-BFA-UW's and nothing warns.
NOTHING_OVERDUE = {
    "D1_W07_K2": "3 050 000,50",
    "D1_W07_K4": "0",
    "D1_W07_K5": "0",
    "D1_W08_K4": "0",
    "D1_W08_K5": "0",
}
VALUES = {
    "MZ-03": balance_sheet(),
    "MZ-BFA-UW": information(),
    "STR-ZOB-UW": structure(**NOTHING_OVERDUE),
}


def _load(path: str):
    result = load_definition((DEFINITIONS / path).read_text(encoding="utf-8"), filename=path)
    assert result.form_version is not None, [str(problem) for problem in result.problems]
    return result.form_version


def _publish(version, hospital, celina, *, quarter=None):
    return publish_form(
        form_version=version,
        year=2025,
        quarter=quarter,
        deadline=datetime.date(2026, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )


class Forms:
    """MZ-88 2025 with Alice's draft; each financial form for 2025 Q3 with Fiona's report
    sent, and MZ-03 for Q4 not yet taken up."""

    def __init__(self, hospital, alice, fiona, celina) -> None:
        self.hospital = hospital
        ordinary = _publish(_load("mz-88/2025.yaml"), hospital, celina)
        self.ordinary_obligation = ordinary.obligations.get()
        (self.draft,) = workflow.create_reports(
            obligation=self.ordinary_obligation, actor=alice, collective=True
        )
        workflow.save_report(
            report=self.draft, actor=alice, changes={"D1.W02.K2": "40"}, base_revision=0
        )
        self.versions = {}
        self.publications = {}
        self.obligations = {}
        self.reports = {}
        for code, path in zip(
            FINANCIAL,
            ("mz-03/2025.yaml", "mz-bfa-uw/2025.yaml", "str-zob-uw/2025.yaml"),
            strict=True,
        ):
            self.versions[code] = _load(path)
            publication = _publish(self.versions[code], hospital, celina, quarter=3)
            obligation = publication.obligations.get()
            (report,) = workflow.create_reports(obligation=obligation, actor=fiona, collective=True)
            workflow.save_report(report=report, actor=fiona, changes=VALUES[code], base_revision=0)
            workflow.send_report(report=report, actor=fiona)
            report.refresh_from_db()
            assert report.status == "sent", code
            self.publications[code] = publication
            self.obligations[code] = obligation
            self.reports[code] = report
        waiting = _publish(self.versions["MZ-03"], hospital, celina, quarter=4)
        self.waiting_obligation = waiting.obligations.get()


@pytest.fixture
def forms(hospital, alice, fiona, piotr, wanda, olaf, celina, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Forms(hospital, alice, fiona, celina)


def _page(client, user, name, *args, **query):
    cast.log_in(client, user)
    return client.get(reverse(name, args=args), query)


def _codes_in(content: bytes) -> set[str]:
    text = content.decode()
    return {code for code in FINANCIAL if code in text}


# --- The reporters' lists and tabs ---------------------------------------------------------


def test_fiona_sees_the_financial_forms_in_the_periodic_tab_with_their_counts(client, forms, fiona):
    sent = _page(client, fiona, "reports:list", rodzaj="okresowe", stan="wyslane", rok=2025)
    counts = {slug: count for slug, _label, count, _url in sent.context["states"]}

    assert _codes_in(sent.content) == set(FINANCIAL)
    assert counts["wyslane"] == 3
    # MZ-88's draft, and MZ-03 of Q4 waiting to be taken up.
    assert counts["do-uzupelnienia"] == 2
    to_fill = _page(client, fiona, "reports:list", rodzaj="okresowe", rok=2025)
    assert [o.pk for o in to_fill.context["waiting"]] == [forms.waiting_obligation.pk]


@pytest.mark.parametrize("member", ["alice", "piotr"])
def test_the_periodic_tab_shows_no_financial_form_to_others(client, forms, member, request):
    user = request.getfixturevalue(member)
    for state in ("do-uzupelnienia", "wyslane", "zatwierdzone", "do-korekty"):
        page = _page(client, user, "reports:list", rodzaj="okresowe", stan=state, rok=2025)
        assert _codes_in(page.content) == set(), state
        assert page.context["waiting"] == []
    counts = {slug: count for slug, _label, count, _url in page.context["states"]}
    expected = {"alice": 1, "piotr": 0}[member]  # Alice's MZ-88 draft; Piotr fills only the card
    assert counts == {
        "do-uzupelnienia": expected,
        "wyslane": 0,
        "zatwierdzone": 0,
        "do-korekty": 0,
    }


def test_only_fiona_has_the_waiting_financial_form_on_her_home_page(
    client, forms, alice, fiona, piotr
):
    assert "MZ-03" in _page(client, fiona, "portal:home").content.decode()
    for user in (alice, piotr):
        assert _codes_in(_page(client, user, "portal:home").content) == set()


# --- The obligation, the report and its downloads -------------------------------------------


@pytest.mark.parametrize("code", FINANCIAL)
def test_only_fiona_opens_a_financial_obligation_and_report(
    client, forms, code, alice, fiona, piotr
):
    obligation = forms.obligations[code]
    report = forms.reports[code]
    pages = [
        ("reports:obligation", obligation.pk),
        ("reports:choose_level", obligation.pk),
        ("reports:detail", report.pk),
        ("reports:history", report.pk),
        ("reports:versions", report.pk),
    ]
    for name, pk in pages:
        assert _page(client, fiona, name, pk).status_code == 200, name
        for user in (alice, piotr):
            assert _page(client, user, name, pk).status_code == 404, (name, user.username)


@pytest.mark.parametrize("code", FINANCIAL)
def test_only_fiona_downloads_the_pdf_of_a_sent_financial_report(
    client, forms, code, alice, fiona, piotr
):
    report = forms.reports[code]
    pdf = _page(client, fiona, "reports:version_pdf", report.pk, 1)

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    for user in (alice, piotr):
        assert _page(client, user, "reports:version_pdf", report.pk, 1).status_code == 404


@pytest.mark.parametrize("code", FINANCIAL)
def test_only_fiona_downloads_the_templates_of_a_financial_report(
    client, forms, code, alice, fiona, piotr
):
    report = forms.reports[code]
    for name in ("reports:template_csv", "reports:template_xlsx"):
        assert _page(client, fiona, name, report.pk).status_code == 200, name
        for user in (alice, piotr):
            assert _page(client, user, name, report.pk).status_code == 404, (name, user.username)


def test_the_waiting_financial_obligation_cannot_be_taken_up_by_alice(client, forms, alice):
    cast.log_in(client, alice)
    activate = client.post(reverse("reports:activate", args=[forms.waiting_obligation.pk]))

    assert activate.status_code == 404
    forms.waiting_obligation.refresh_from_db()
    assert not forms.waiting_obligation.is_activated


# --- The administrators: the queue and its search, completeness, exports, results ----------


def _queued(page) -> tuple[set[str], int]:
    """The forms of the reports a page of the review queue lists, and its tab's count."""
    codes = {
        report.publication.form_version.definition.code
        for report in page.context["page"].object_list
    }
    counts = {slug: count for slug, _label, count, _url in page.context["tabs"]}
    return codes, counts["wyslane"]


def test_wanda_finds_the_financial_reports_in_her_queue_and_by_search(client, forms, wanda):
    queue = _page(client, wanda, "review:queue")
    search = _page(client, wanda, "review:queue", szukaj=forms.hospital.regon)

    assert _queued(queue) == (set(FINANCIAL), 3)
    assert _queued(search) == (set(FINANCIAL), 3)


def test_olafs_queue_and_search_have_none_of_the_hospitals_financial_reports(client, forms, olaf):
    queue = _page(client, olaf, "review:queue")
    search = _page(client, olaf, "review:queue", szukaj=forms.hospital.regon)

    assert _queued(queue) == (set(), 0)
    assert _queued(search) == (set(), 0)
    assert forms.hospital.name not in search.content.decode()


@pytest.mark.parametrize("code", FINANCIAL)
def test_wanda_follows_the_completeness_and_exports_of_a_financial_form(
    client, forms, code, wanda, olaf
):
    publication = forms.publications[code]
    summary = _page(client, wanda, "completeness:summary", publication.pk)

    assert summary.status_code == 200
    assert _page(client, wanda, "exports:publication", publication.pk).status_code == 200
    assert _page(client, wanda, "results:aggregate", publication.pk).status_code == 200
    rows = list(tables.microdata(wanda, publication, final_only=False, decimal_comma=True).rows)
    assert [row[0] for row in rows] == [forms.hospital.regon]
    # Olaf's scope is Śląskie: the publication's export has no row of the Mazovian hospital.
    olafs = tables.microdata(olaf, publication, final_only=False, decimal_comma=True)
    assert list(olafs.rows) == []


def test_a_financial_export_writes_the_grosze_with_a_comma(forms, wanda):
    table = tables.microdata(
        wanda, forms.publications["MZ-03"], final_only=False, decimal_comma=True
    )
    [row] = list(table.rows)
    land = [column.code for column in table.columns].index("D1.W05.K1")

    assert row[land] == "2500,50"


@pytest.mark.parametrize("member", ["alice", "fiona", "piotr"])
def test_no_reporter_reaches_completeness_exports_or_results_of_a_financial_form(
    client, forms, member, request
):
    user = request.getfixturevalue(member)
    publication = forms.publications["MZ-03"]

    assert _page(client, user, "completeness:summary", publication.pk).status_code == 403
    assert _page(client, user, "exports:publication", publication.pk).status_code == 403
    assert _page(client, user, "results:aggregate", publication.pk).status_code == 403
    assert _page(client, user, "review:queue").status_code == 403


def test_the_completeness_index_lists_the_financial_forms_for_wanda(client, forms, wanda):
    assert _codes_in(_page(client, wanda, "completeness:index").content) == set(FINANCIAL)


# --- The API --------------------------------------------------------------------------------


def _api(client, user, path: str, **params):
    secret = token_of(user).secret
    return client.get(f"/api/v1{path}", params, headers={"Authorization": f"Bearer {secret}"})


def test_fiona_reads_the_financial_forms_and_reports_through_the_api(client, forms, fiona):
    reports = _api(client, fiona, "/reports").json()["items"]
    obligations = _api(client, fiona, "/obligations").json()["items"]

    assert {item["form"] for item in obligations} == {"MZ-88", *FINANCIAL}
    assert {item["id"] for item in reports} == {
        forms.draft.pk,
        *(report.pk for report in forms.reports.values()),
    }
    for code, report in forms.reports.items():
        assert _api(client, fiona, f"/reports/{report.pk}").status_code == 200, code
        pdf = _api(client, fiona, f"/reports/{report.pk}/versions/1/pdf")
        assert pdf.status_code == 200, code
        assert _api(client, fiona, f"/forms/{forms.versions[code].pk}").status_code == 200


@pytest.mark.parametrize("member", ["alice", "piotr"])
def test_the_api_gives_others_none_of_the_financial_forms(client, forms, member, request):
    user = request.getfixturevalue(member)
    obligations = _api(client, user, "/obligations").json()["items"]
    reports = _api(client, user, "/reports").json()["items"]

    assert {item["form"] for item in obligations} == ({"MZ-88"} if member == "alice" else set())
    assert {item["id"] for item in reports} == ({forms.draft.pk} if member == "alice" else set())
    for code, report in forms.reports.items():
        assert _api(client, user, f"/reports/{report.pk}").status_code == 404, code
        pdf = _api(client, user, f"/reports/{report.pk}/versions/1/pdf")
        assert pdf.status_code == 404, code
        assert _api(client, user, f"/forms/{forms.versions[code].pk}").status_code == 404
        assert _api(client, user, "/reports", form=code).json()["items"] == []


def test_the_api_gives_wanda_the_financial_reports_and_olaf_none(client, forms, wanda, olaf):
    queue = _api(client, wanda, "/review", search=forms.hospital.regon).json()["items"]
    completeness = _api(client, wanda, "/completeness", publication=forms.publications["MZ-03"].pk)

    assert {item["form"] for item in queue} == set(FINANCIAL)
    assert completeness.status_code == 200
    assert [item["entity"]["regon"] for item in completeness.json()["items"]] == [
        forms.hospital.regon
    ]
    assert _api(client, olaf, "/review", search=forms.hospital.regon).json()["items"] == []
    for code, report in forms.reports.items():
        assert _api(client, olaf, f"/reports/{report.pk}").status_code == 404, code
