"""The world the access matrix runs in: two entities in two voivodeships, an ordinary form and
a financial one, sent reports of both, a pending application, a job — and the cast."""

import datetime
import functools
from pathlib import Path

import cast
import pytest
from captcha.models import CaptchaStore
from definitions.test_shipped_forms import SURVEY as CYBER_ANSWERS
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from reports.conftest import CARD, SURVEY  # noqa: F401 - CARD for the matrices

from ssoz.accounts.models import Role
from ssoz.accounts.services import mark_form_received, registration_form_token
from ssoz.api.tokens import create_token
from ssoz.definitions.services import load_definition
from ssoz.exports.models import Export, ExportFormat, ExportKind
from ssoz.jobs.models import Job
from ssoz.lib.errors import DomainError
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import records, uploads, workflow

# Everyone the matrix asks, in the order of each row's answers.
MEMBERS = ("anonymous", "alice", "fiona", "charlie", "piotr", "olaf", "wanda", "celina", "anna")
CHANGES = {"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1"}
DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
CYBER_SURVEY = DEFINITIONS / "ankieta-cyber" / "2023.yaml"
CARD_FORM = DEFINITIONS / "mz-szp-11b" / "2026.yaml"
ZERO = SURVEY.replace("code: TEST-1", "code: TEST-0").replace(
    "accounts: [non_financial]", "accounts: [non_financial]\nzero_report: true"
)
FINANCIAL = SURVEY.replace("code: TEST-1", "code: TEST-FIN").replace(
    "accounts: [non_financial]", "accounts: [financial]"
)


def _written_export(publication, user) -> Export:
    """Celina's export of the publication, its file written and not yet expired."""
    job = Job.objects.create(kind="write_export", started_by=user, title="Eksport")
    export = Export.objects.create(
        job=job,
        publication=publication,
        requested_by=user,
        kind=ExportKind.MICRODATA,
        file_format=ExportFormat.CSV,
        file_name="eksport.csv",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    settings.EXPORTS_ROOT.mkdir(parents=True, exist_ok=True)
    export.path.write_text("regon\n", encoding="utf-8")
    return export


def _load(source: str, name: str):
    result = load_definition(source, filename=name)
    assert result.form_version is not None, [str(p) for p in result.problems]
    return result.form_version


def _filled(obligation, reporter, *, units=()):
    """A report filled in with values that pass every rule (a draft, ready to send)."""
    (report,) = workflow.create_reports(
        obligation=obligation, actor=reporter, collective=not units, units=units
    )
    workflow.save_report(report=report, actor=reporter, changes=CHANGES, base_revision=0)
    report.refresh_from_db()
    return report


def _sent(obligation, reporter, *, units=()):
    report = _filled(obligation, reporter, units=units)
    workflow.send_report(report=report, actor=reporter)
    report.refresh_from_db()
    return report


class World:
    """The objects every page of the matrix is asked about: for the ordinary form and for the
    financial one, a sent report of 2023 and a draft of 2024 ready to send; an approved report
    of one of the hospital's units; the clinic's obligation, not yet taken up."""

    def __init__(self, hospital, clinic, members: dict) -> None:
        self.members = members
        alice, fiona, celina = members["alice"], members["fiona"], members["celina"]
        both = Entity.objects.filter(pk__in=[hospital.pk, clinic.pk])
        self.form_version = _load(SURVEY, "test-1.yaml")
        financial_version = _load(FINANCIAL, "test-fin.yaml")
        obligations = {}
        for year in (2023, 2024):
            for kind, version in (
                ("ordinary", self.form_version),
                ("financial", financial_version),
            ):
                publication = publish_form(
                    form_version=version,
                    entities=both,
                    actor=celina,
                    year=year,
                    quarter=None,
                    deadline=datetime.date(year + 1, 3, 31),
                )
                obligations[kind, year] = publication.obligations.get(entity=hospital)
                if (kind, year) == ("ordinary", 2023):
                    self.publication = publication
                    self.clinic_obligation = publication.obligations.get(entity=clinic)
        self.obligation = obligations["ordinary", 2023]
        self.financial_obligation = obligations["financial", 2023]
        self.report = _sent(self.obligation, alice)
        self.financial_report = _sent(self.financial_obligation, fiona)
        self.draft = _filled(obligations["ordinary", 2024], alice)
        self.financial_draft = _filled(obligations["financial", 2024], fiona)
        self.approved = _sent(self.obligation, alice, units=[hospital.units.first()])
        workflow.approve_report(report=self.approved, actor=members["wanda"])
        self.application = cast.make_applicant("dorota", hospital)
        mark_form_received(
            application=self.application,
            actor=members["wanda"],
            scan=SimpleUploadedFile("skan.pdf", b"%PDF-1.4 podpisany formularz"),
        )
        self.job = Job.objects.create(kind="test", started_by=celina, title="Zadanie testowe")
        self.export = _written_export(self.publication, celina)
        self.registration_token = registration_form_token(self.application.reference)
        self.captcha_key = CaptchaStore.generate_key()
        # Alice's system's token: nobody else may revoke it.
        self.api_token = create_token(actor=alice, name="HIS", scope="write", days=30).token

    @functools.cached_property
    def survey_report(self):
        """The hospital's ANKIETA-CYBER 2023, sent by Alice and approved by Wanda (made when a
        page of the survey's results is first asked for)."""
        version = _load(CYBER_SURVEY.read_text(encoding="utf-8"), "ankieta-cyber/2023.yaml")
        publication = publish_form(
            form_version=version,
            entities=Entity.objects.filter(pk__in=[self.obligation.entity_id]),
            actor=self.members["celina"],
            year=2023,
            quarter=None,
            deadline=datetime.date(2024, 3, 31),
        )
        alice = self.members["alice"]
        (report,) = workflow.create_reports(
            obligation=publication.obligations.get(), actor=alice, collective=True
        )
        workflow.save_report(report=report, actor=alice, changes=CYBER_ANSWERS, base_revision=0)
        workflow.send_report(report=report, actor=alice)
        return workflow.approve_report(report=report, actor=self.members["wanda"])

    @functools.cached_property
    def zero_draft(self):
        """The hospital's draft of a form that may be sent as a zero report (made when a verb
        first asks for it)."""
        publication = publish_form(
            form_version=_load(ZERO, "test-0.yaml"),
            entities=Entity.objects.filter(pk__in=[self.obligation.entity_id]),
            actor=self.members["celina"],
            year=2024,
            quarter=None,
            deadline=datetime.date(2025, 3, 31),
        )
        return _filled(publication.obligations.get(), self.members["alice"])

    def card_report_of(self, *, sent: bool):
        """The hospital's MZ/Szp-11B report of October 2026 with one card, filled in by Piotr:
        sent, or a draft."""
        month = 10 if sent else 11
        publication = publish_form(
            form_version=self.card_form,
            entities=Entity.objects.filter(pk__in=[self.obligation.entity_id]),
            actor=self.members["celina"],
            year=2026,
            quarter=None,
            month=month,
            deadline=datetime.date(2026, month + 1, 20),
        )
        piotr = self.members["piotr"]
        (report,) = workflow.create_reports(
            obligation=publication.obligations.get(), actor=piotr, collective=True
        )
        workflow.save_report(
            report=report, actor=piotr, changes={"D0_DISCHARGED": "1"}, base_revision=0
        )
        card = CARD if sent else {**CARD, "DISCHARGE_DATE": "2026-11-05"}
        records.add_record(report=report, actor=piotr, values=card)
        if sent:
            workflow.send_report(report=report, actor=piotr)
        report.refresh_from_db()
        return report

    @functools.cached_property
    def card_form(self):
        return _load(CARD_FORM.read_text(encoding="utf-8"), "mz-szp-11b/2026.yaml")

    @functools.cached_property
    def card_report(self):
        """A sent MZ/Szp-11B report with card no. 1 (made when a page of cards asks for it)."""
        return self.card_report_of(sent=True)

    @functools.cached_property
    def card_draft(self):
        """A draft MZ/Szp-11B report with card no. 1 (made when a verb asks for it)."""
        return self.card_report_of(sent=False)

    def kwargs(self, financial: bool = False, survey: bool = False, card: bool = False) -> dict:
        """Values for every kind of argument in the URL patterns (for the survey's results,
        those of the approved cybersecurity survey; for cards, the sent MZ/Szp-11B report)."""
        report = self.financial_report if financial else self.report
        obligation = self.financial_obligation if financial else self.obligation
        publication = self.publication
        if survey:
            report = self.survey_report
            publication = report.publication
        if card:
            report = self.card_report
        return {
            "report_id": report.pk,
            "obligation_id": obligation.pk,
            "number": 1,
            "application_id": self.application.pk,
            "pk": self.form_version.pk,
            "publication_id": publication.pk,
            "job_id": self.job.pk,
            "export_id": self.export.pk,
            "token": self.registration_token,
            "key": self.captcha_key,
            "token_id": self.api_token.pk,
        }


@pytest.fixture
def world(db, hospital, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The matrix is about who may do what, not about passwords: a fast hasher for the cast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    members = {
        "alice": cast.make_user("alice", entity=hospital),
        "fiona": cast.make_user("fiona", entity=hospital, financial_reports=True),
        "charlie": cast.make_user("charlie", entity=clinic),
        "piotr": cast.make_user("piotr", entity=hospital, psychiatric_card_only=True),
        "olaf": cast.make_user("olaf", role=Role.REGIONAL_ADMIN, voivodeship="24"),
        "wanda": cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14"),
        "celina": cast.make_user("celina", role=Role.CENTRAL_ADMIN),
        "anna": cast.make_user("anna", role=Role.ANALYST),
    }
    return World(hospital, clinic, members)


def as_member(client, world: World, member: str):
    client.logout()
    if member != "anonymous":
        cast.log_in(client, world.members[member])
    return client


def preview_key(world, member: str, attribute: str) -> str:
    """A preview of a file setting A_NOTE, made by `member` if she may fill in the report,
    else by its reporter who may (Alice, or Fiona on the financial form)."""
    report = getattr(world, attribute)
    for maker in (member, "alice", "fiona"):
        user = world.members.get(maker)
        if user is None:
            continue
        try:
            allowed = uploads.editable_report(user, report.pk)
        except (Http404, PermissionDenied, DomainError):
            continue
        return uploads.preview_upload(report=allowed, actor=user, content=b"A_NOTE;z pliku\n").key
    raise AssertionError("nobody may fill in the report")


def card_preview_key(world, member: str) -> str:
    """A preview of a file of two cards for the MZ/Szp-11B draft, made by `member` if she may
    fill it in, else by Piotr."""
    from ssoz.reports import record_uploads
    from ssoz.reports.synthetic_cards import cards_csv

    report = world.card_draft
    for maker in (member, "piotr"):
        user = world.members.get(maker)
        if user is None:
            continue
        try:
            allowed = uploads.editable_report(user, report.pk)
        except (Http404, PermissionDenied, DomainError):
            continue
        content = cards_csv(2, month=11)
        return record_uploads.preview_records(report=allowed, actor=user, content=content).key
    raise AssertionError("nobody may fill in the card report")
