"""WCAG 2.2.1: the session ends after inactivity; the page warns before and can extend it."""

import cast
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_warning_appears_before_the_session_ends_and_can_extend_it(page, settings):
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_BEFORE = 4
    settings.SESSION_RENEW_AFTER = 1
    cast.make_office("14")
    cast.make_user("alice", entity=cast.make_entity())
    page.goto("/logowanie/")
    page.get_by_label("Login lub e-mail").fill("alice")
    page.get_by_label("Hasło").fill(cast.PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/start/")

    dialog = page.get_by_role("dialog", name="Sesja wkrótce wygaśnie")
    dialog.wait_for(state="visible", timeout=5_000)
    # The dialog takes the focus, so a keyboard user can extend at once.
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert page.url.endswith("/start/")

    # Left alone, the page sends the user to log in again once the session is over.
    page.wait_for_url("**/logowanie/?next=*", timeout=10_000)
    page.goto("/start/")
    assert "/logowanie/" in page.url
