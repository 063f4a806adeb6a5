"""The central administrator publishes the survey to health care providers with an NFZ contract,
asking the assignment survey's question; the clerk of a hospital without one is asked it at
her next log-in, answers „Tak”, and the survey is among her tasks."""

import datetime
import re

import cast
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ssoz.registry.models import Entity

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Czy podmiot ma zespół ds. cyberbezpieczeństwa?"


def test_the_assignment_survey_adds_an_obligation(
    page, hospital, clinic, alice, celina, cyber_survey, log_in, screenshot
):
    Entity.objects.filter(pk=clinic.pk).update(nfz_contract=True)
    log_in(page, "celina")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Publikacja formularzy"
    ).click()
    page.get_by_role("link", name="Opublikuj formularz").click()
    page.get_by_label("Wersja formularza").select_option(str(cyber_survey.pk))
    page.get_by_role("button", name="Wybierz").click()
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Termin przekazania", exact=True).fill(deadline.isoformat())
    page.get_by_label("tylko podmioty z umową z NFZ").check()
    page.get_by_label("Pytanie ankiety przypisującej (nieobowiązkowe)").fill(QUESTION)
    page.get_by_role("button", name="Dalej: podgląd").click()
    preview = page.get_by_role("region", name="Podgląd publikacji")
    expect(preview).to_contain_text("z umową z NFZ")
    expect(preview.get_by_role("table", name=re.compile("sprawozdając"))).to_contain_text(
        clinic.name
    )
    expect(preview).not_to_contain_text(hospital.name)
    screenshot(page, "programme-preview")
    preview.get_by_role("button", name="Opublikuj").click()
    expect(page.get_by_role("status")).to_contain_text("Opublikowano formularz ANKIETA-CYBER")
    page.get_by_role("button", name="Wyloguj się").click()

    page.goto("/logowanie/")
    page.get_by_label("Login lub e-mail").fill("alice")
    page.get_by_label("Hasło").fill(cast.PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ankieta przypisująca sprawozdania")
    question = page.get_by_role("group", name=QUESTION)
    question.get_by_label("Tak").check()
    screenshot(page, "assignment-survey")
    page.get_by_role("button", name="Zapisz odpowiedzi").click()
    page.wait_for_url("**/start/")
    expect(page.get_by_role("status")).to_contain_text("Dodano obowiązek: ANKIETA-CYBER.")
    due = page.get_by_role("region", name=re.compile("Formularze do aktywowania"))
    expect(due.get_by_role("row").filter(has_text="ANKIETA-CYBER")).to_contain_text(
        deadline.strftime("%d.%m.%Y")
    )
