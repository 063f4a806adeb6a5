"""„Zwolnij z obowiązku”: an exempted obligation, with its reason, is neither counted, listed as
not sent, reminded, nor shown to the entity's reporters, until the exemption is lifted."""

import cast
import pytest
from django.urls import reverse

from ssoz.completeness import selectors, services
from ssoz.completeness.models import EntityState
from ssoz.publications.models import Obligation
from ssoz.publications.services import ExemptionError, exempt_obligation
from ssoz.reports import selectors as report_selectors


def exempt_page(obligation) -> str:
    return reverse("completeness:exempt", args=[obligation.pk])


def test_a_regional_administrator_exempts_a_closed_entity_with_a_reason(
    client, publication, dentist, wanda
):
    obligation = publication.obligations.get(entity=dentist)
    cast.log_in(client, wanda)
    not_sent = client.get(reverse("completeness:not_reported", args=[publication.pk]))
    assert exempt_page(obligation) in not_sent.content.decode()

    response = client.post(exempt_page(obligation), {"reason": "  Likwidacja   praktyki. "})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.is_exempted
    assert obligation.exemption_reason == "Likwidacja praktyki."
    assert obligation.exempted_by == wanda

    listed = client.get(response.url).content.decode()
    assert "Likwidacja praktyki." in listed
    assert dentist.name in listed
    scope = selectors.scope_for(wanda, publication)
    assert dentist not in {o.entity for o in selectors.not_reported(scope)}
    assert dentist not in {o.entity for o in services.to_remind(scope)}
    total = selectors.total_of(selectors.state_counts(scope, "wojewodztwo"))
    assert total.counts[EntityState.EXEMPTED] == 1
    assert total.total == 1  # the hospital alone is still obliged in Mazowieckie


def test_the_reason_is_required_and_asked_for_next_to_the_field(
    client, publication, dentist, wanda
):
    obligation = publication.obligations.get(entity=dentist)
    cast.log_in(client, wanda)
    response = client.post(exempt_page(obligation), {"reason": "   "})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Podaj powód zwolnienia z obowiązku." in content
    assert 'id="id_reason_error"' in content
    assert not Obligation.objects.get(pk=obligation.pk).is_exempted


def test_an_obligation_already_met_cannot_be_exempted(client, sent_report, wanda):
    obligation = sent_report.obligation
    cast.log_in(client, wanda)
    response = client.post(exempt_page(obligation), {"reason": "Pomyłka."})
    assert response.status_code == 409
    assert "obowiązek jest spełniony" in response.content.decode()
    assert not Obligation.objects.get(pk=obligation.pk).is_exempted


def test_another_voivodeships_administrator_cannot_exempt(publication, dentist, olaf):
    obligation = publication.obligations.get(entity=dentist)
    with pytest.raises(Exception) as refused:
        exempt_obligation(obligation=obligation, actor=olaf, reason="Likwidacja.")
    assert refused.type.__name__ == "Http404"
    assert not Obligation.objects.get(pk=obligation.pk).is_exempted


def test_the_service_refuses_an_empty_reason(publication, dentist, celina):
    with pytest.raises(ExemptionError, match="Podaj powód"):
        exempt_obligation(
            obligation=publication.obligations.get(entity=dentist), actor=celina, reason=""
        )


def test_the_exempted_entitys_reporters_no_longer_see_the_form(
    client, publication, hospital, alice, celina
):
    obligation = publication.obligations.get(entity=hospital)
    exempt_obligation(obligation=obligation, actor=celina, reason="Brak tej działalności.")
    assert not report_selectors.reporter_tasks(alice).due
    cast.log_in(client, alice)
    response = client.get(reverse("reports:obligation", args=[obligation.pk]))
    assert response.status_code == 404


def test_lifting_the_exemption_chases_the_entity_again(client, publication, dentist, celina):
    obligation = publication.obligations.get(entity=dentist)
    exempt_obligation(obligation=obligation, actor=celina, reason="Zawieszenie działalności.")
    cast.log_in(client, celina)
    response = client.post(reverse("completeness:lift_exemption", args=[obligation.pk]))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert not obligation.is_exempted
    assert obligation.exemption_reason == ""
    scope = selectors.scope_for(celina, publication)
    assert dentist in {o.entity for o in selectors.not_reported(scope)}
