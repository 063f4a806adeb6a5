"""Celina publishes the shipped quarterly financial forms on the publication page: a quarter is
asked for, the deadline defaults to 30 days after it, the publication is cumulative and is for
financial accounts alone."""

from pathlib import Path

import cast
import pytest
from django.urls import reverse

from ssoz.definitions.services import load_definition
from ssoz.publications.models import Publication

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"


@pytest.mark.parametrize(
    ("path", "quarter", "deadline", "label"),
    [
        ("mz-03/2025.yaml", "1", "2025-04-30", "2025 Q1"),
        ("mz-bfa-uw/2025.yaml", "2", "2025-07-30", "2025 Q1–Q2"),
        ("str-zob-uw/2025.yaml", "4", "2026-01-30", "2025 Q1–Q4"),
    ],
)
def test_a_financial_form_is_published_for_a_quarter_to_financial_accounts(
    client, celina, hospital, path, quarter, deadline, label
):
    text = (DEFINITIONS / path).read_text(encoding="utf-8")
    version = load_definition(text, filename=path).form_version
    cast.log_in(client, celina)
    page = f"{reverse('publications:publish')}?wersja={version.pk}"
    data = {
        "year": "2025",
        "quarter": quarter,
        "deadline": "",
        "audience": "types",
        "entity_types": ["podmiot_leczniczy"],
        "voivodeships": ["14"],
        "regons": "",
    }
    key = client.post(page, {**data, "action": "preview"}).context["preview"].key
    assert client.post(page, {**data, "action": "publish", "preview_key": key}).status_code == 302

    publication = Publication.objects.get(form_version=version)
    assert (publication.quarter, publication.cumulative) == (int(quarter), True)
    assert publication.deadline.isoformat() == deadline
    assert publication.period_label == label
    assert (publication.for_financial, publication.for_non_financial) == (True, False)
    assert list(publication.obligations.values_list("entity", flat=True)) == [hospital.pk]


def test_a_quarterly_form_needs_its_quarter(client, celina, hospital):
    path = "mz-bfa-uw/2025.yaml"
    text = (DEFINITIONS / path).read_text(encoding="utf-8")
    version = load_definition(text, filename=path).form_version
    cast.log_in(client, celina)
    page = f"{reverse('publications:publish')}?wersja={version.pk}"
    data = {
        "year": "2025",
        "quarter": "",
        "deadline": "",
        "audience": "types",
        "entity_types": ["podmiot_leczniczy"],
        "voivodeships": ["14"],
        "regons": "",
        "action": "preview",
    }

    answer = client.post(page, data)

    assert "quarter" in answer.context["form"].errors
    assert not Publication.objects.exists()
