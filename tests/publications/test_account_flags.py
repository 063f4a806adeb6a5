"""A reporter sees a published form only when her account's flags allow it."""

import cast
from django.urls import reverse

from ssoz.publications.models import Publication


def publish(client, version):
    page = f"{reverse('publications:publish')}?wersja={version.pk}"
    data = {
        "year": "2023",
        "deadline": "2024-03-31",
        "audience": "types",
        "entity_types": ["podmiot_leczniczy"],
        "voivodeships": ["14"],
        "regons": "",
    }
    key = client.post(page, {**data, "action": "preview"}).context["preview"].key
    assert client.post(page, {**data, "action": "publish", "preview_key": key}).status_code == 302
    return Publication.objects.get(form_version=version)


def one_time_list(client) -> str:
    return client.get(reverse("reports:list"), {"rodzaj": "jednorazowe"}).content.decode()


def test_a_financial_form_is_hidden_from_a_non_financial_account(
    client, celina, financial_survey, alice, fiona, piotr
):
    cast.log_in(client, celina)
    publication = publish(client, financial_survey)
    assert (publication.for_financial, publication.for_non_financial) == (True, False)
    assert not publication.for_psychiatric_card
    obligation = publication.obligations.get()

    cast.log_in(client, fiona)
    assert "TEST-FIN" in one_time_list(client)
    assert client.get(reverse("reports:obligation", args=[obligation.pk])).status_code == 200

    for user in (alice, piotr):
        cast.log_in(client, user)
        assert "TEST-FIN" not in one_time_list(client)
        assert client.get(reverse("reports:obligation", args=[obligation.pk])).status_code == 404


def test_a_non_financial_form_is_shown_to_both_but_not_to_a_card_only_account(
    client, celina, survey, alice, fiona, piotr
):
    cast.log_in(client, celina)
    publication = publish(client, survey)
    assert (publication.for_financial, publication.for_non_financial) == (False, True)
    for user in (alice, fiona):
        cast.log_in(client, user)
        assert "TEST-1" in one_time_list(client)
    cast.log_in(client, piotr)
    assert "TEST-1" not in one_time_list(client)
