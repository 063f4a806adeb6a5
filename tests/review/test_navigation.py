import cast
from django.urls import reverse


def test_administrators_see_the_waiting_count_on_the_home_page(
    client, wanda, celina, sent_report, silesian_report
):
    """Alice's report is sent in Mazowieckie, Charlie's in Śląskie."""
    cast.log_in(client, wanda)
    content = client.get(reverse("portal:home")).content.decode()
    assert "Sprawozdania czekające na weryfikację: 1" in content
    cast.log_in(client, celina)
    content = client.get(reverse("portal:home")).content.decode()
    assert "Sprawozdania czekające na weryfikację: 2" in content


def test_reporters_see_no_review_count_nor_links(client, alice, sent_report):
    cast.log_in(client, alice)
    content = client.get(reverse("portal:home")).content.decode()
    assert "czekające na weryfikację" not in content
    assert reverse("review:queue") not in content
    assert reverse("publications:list") not in content


def test_the_menu_offers_publishing_to_the_central_administrator_only(client, wanda, celina):
    cast.log_in(client, wanda)
    content = client.get(reverse("portal:home")).content.decode()
    assert "Sprawozdania do weryfikacji" in content
    assert reverse("publications:list") not in content
    cast.log_in(client, celina)
    content = client.get(reverse("review:queue")).content.decode()
    assert f'href="{reverse("review:queue")}" aria-current="page"' in content
    assert f'href="{reverse("publications:list")}">Publikacja formularzy' in content
    content = client.get(reverse("publications:publish")).content.decode()
    assert f'href="{reverse("publications:list")}" aria-current="page"' in content
