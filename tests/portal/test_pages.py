import cast
import pytest
from django.urls import reverse


def test_info_page_leads_to_the_login_page_with_kontynuuj(client, db):
    response = client.get("/info.html")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kontynuuj" in content
    assert f'href="{reverse("accounts:login")}"' in content


def test_root_redirects_to_the_info_page(client, db):
    assert client.get("/").url == "/info.html"


def test_pages_speak_polish_with_landmarks_and_a_skip_link(client, db):
    content = client.get("/info.html").content.decode()
    assert '<html lang="pl">' in content
    assert '<main id="main"' in content
    assert 'href="#main"' in content
    assert "<footer" in content and "<header" in content


def test_english_is_the_second_language(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/info.html"})
    content = client.get("/info.html").content.decode()
    assert '<html lang="en">' in content
    assert "Health Care Statistics System" in content
    # The manual's Polish labels have English counterparts too.
    assert "Continue" in content


@pytest.mark.parametrize("name", ["portal:privacy", "portal:accessibility", "portal:help"])
def test_public_pages_are_linked_from_every_page_and_open_without_login(client, db, name):
    assert reverse(name) in client.get("/info.html").content.decode()
    assert client.get(reverse(name)).status_code == 200


def test_accessibility_statement_names_the_standard_and_the_complaint_procedure(client, db):
    content = client.get(reverse("portal:accessibility")).content.decode()
    assert "WCAG 2.1" in content
    assert "Rzecznika Praw Obywatelskich" in content


def test_accessibility_statement_dates_the_results_of_the_automated_checks(client, db):
    # The checks are those of tests/e2e/test_accessibility.py and test_reporting_keyboard.py;
    # the checker's version is the one .ci/run installs.
    content = client.get(reverse("portal:accessibility")).content.decode()
    assert '<time datetime="2026-12-03">3 grudnia 2026 r.</time>' in content
    assert "axe-core, reguły WCAG 2.1 na poziomach A i AA: brak naruszeń" in content
    assert "Nu HTML Checker (walidator W3C, wersja 26.9.27): brak błędów HTML" in content
    assert "Obsługa wyłącznie klawiaturą" in content


def test_responses_carry_a_content_security_policy(client, db):
    response = client.get("/info.html")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_home_page_shows_the_clerks_entity(client, alice):
    cast.log_in(client, alice)
    content = client.get(reverse("portal:home")).content.decode()
    assert alice.entity.name in content


def test_home_page_of_an_administrator_counts_pending_applications(client, application, wanda):
    cast.log_in(client, wanda)
    content = client.get(reverse("portal:home")).content.decode()
    assert "Wnioski o konta oczekujące na aktywację: 1" in content


def test_an_english_browser_still_gets_polish_until_english_is_chosen(client, db):
    content = client.get("/info.html", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="pl">' in content


def test_the_server_error_page_needs_nothing_the_content_security_policy_blocks(rf, db):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert "Przepraszamy, wystąpił błąd" in content
    # No inline style or script: the policy allows only the site's own files.
    assert "style=" not in content and "<style" not in content and "<script" not in content
    assert 'href="/static/css/ssoz.css"' in content
