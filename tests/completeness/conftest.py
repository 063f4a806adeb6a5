"""The completeness tests use the review tests' survey and entities: Alice's Mazovian hospital
and Charlie's Silesian clinic, obliged to send the survey of 2023 (due 31.03.2024), and a
Mazovian dental practice that has no account in SSOZ."""

import datetime

import cast
import pytest
from review.conftest import (  # noqa: F401
    dentist,
    financial_survey,
    report,
    send_fixture,
    sent_report,
    silesian_report,
    survey,
)

from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity


@pytest.fixture
def publication(survey, hospital, clinic, dentist, celina):  # noqa: F811 (fixtures)
    return publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[hospital.pk, clinic.pk, dentist.pk]),
        actor=celina,
    )


@pytest.fixture
def publish_due_in(survey, hospital, clinic, dentist, celina):  # noqa: F811 (fixtures)
    """Publishes the survey for another year with its deadline `days` from today."""

    def publish(days: int, year: int = 2025):
        from django.utils import timezone

        return publish_form(
            form_version=survey,
            year=year,
            quarter=None,
            deadline=timezone.localdate() + datetime.timedelta(days=days),
            entities=Entity.objects.filter(pk__in=[hospital.pk, clinic.pk, dentist.pk]),
            actor=celina,
        )

    return publish


@pytest.fixture
def many_mazovian_entities(db, publication):
    """Forty more Mazovian practices obliged to send the survey, none of them activated."""

    def add(count: int = 40):
        from ssoz.publications.models import Obligation

        entities = [
            cast.make_entity(name=f"Praktyka {number:02d}", email=f"praktyka{number}@example.org")
            for number in range(count)
        ]
        Obligation.objects.bulk_create(
            Obligation(publication=publication, entity=entity) for entity in entities
        )
        return entities

    return add
