"""„Zmień termin”: the central administrator moves a publication's deadline, and the
reporters' lists and home pages show the new one."""

import datetime

import cast
from django.urls import reverse


def url(publication) -> str:
    return reverse("publications:deadline", args=[publication.pk])


def test_the_new_deadline_reaches_the_reporters_lists(client, celina, alice, publication):
    cast.log_in(client, celina)
    page = client.get(url(publication)).content.decode()
    assert "Obecny termin: 31.03.2024." in page
    response = client.post(url(publication), {"deadline": "2024-04-10"})
    assert response.url == reverse("publications:list")
    publication.refresh_from_db()
    assert publication.deadline == datetime.date(2024, 4, 10)
    assert "termin przekazania to teraz 10.04.2024" in client.get(response.url).content.decode()

    cast.log_in(client, alice)
    listing = client.get(reverse("reports:list"), {"rodzaj": "jednorazowe", "rok": "2023"})
    assert "10.04.2024" in listing.content.decode()
    assert "10.04.2024" in client.get(reverse("portal:home")).content.decode()


def test_a_wrong_date_is_explained_next_to_the_field_and_kept(client, celina, publication):
    cast.log_in(client, celina)
    for typed, message in (
        ("31.02.2024", "Podaj datę w postaci RRRR-MM-DD."),
        ("1899-01-01", "Podaj datę z lat 2000–2100."),
        ("", "Podaj termin przekazania."),
    ):
        response = client.post(url(publication), {"deadline": typed})
        assert response.status_code == 400
        content = response.content.decode()
        assert message in content
        assert f'value="{typed}"' in content or not typed
    publication.refresh_from_db()
    assert publication.deadline == datetime.date(2024, 3, 31)


def test_only_the_central_administrator_moves_a_deadline(client, wanda, alice, publication):
    for who in (wanda, alice):
        cast.log_in(client, who)
        assert client.post(url(publication), {"deadline": "2024-04-10"}).status_code == 403
    publication.refresh_from_db()
    assert publication.deadline == datetime.date(2024, 3, 31)
