"""A hospital's IT contact creates a token on „Tokeny API”, copies it, reads the API's
documentation, and revokes the token, in the browser: every state meets WCAG 2.1 AA, and the
documentation's scripts run under the site's Content-Security-Policy."""

import cast
import pytest
from e2e.test_accessibility import assert_accessible
from playwright.sync_api import expect

from ssoz.api.models import token_hash

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_is_created_shown_once_used_and_revoked(page, live_server, log_in):
    cast.make_office("14")
    alice = cast.make_user("alice", entity=cast.make_entity(units=1))
    log_in(page, "alice")
    page.get_by_role("link", name="Tokeny API").click()
    expect(page.get_by_role("heading", name="Tokeny API", level=1)).to_be_visible()
    assert_accessible(page, "token page")

    page.get_by_role("button", name="Utwórz token").click()
    expect(page.locator("#id_name_error")).to_be_visible()
    assert_accessible(page, "token page with an error")

    page.get_by_label("Nazwa tokenu").fill("System HIS szpitala")
    page.get_by_label("odczyt i zapis").check()
    page.get_by_label("Ważny przez").select_option("30")
    page.get_by_role("button", name="Utwórz token").click()
    secret = page.get_by_label("Nowy token").input_value()
    assert token_hash(secret) == alice.api_tokens.get().key_hash
    assert_accessible(page, "token page with the new token")

    # The secret is the key to the API: the answer with it is the report list.
    answer = page.request.get("/api/v1/reports", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["count"] == 0

    page.reload()
    expect(page.get_by_label("Nowy token")).to_have_count(0)
    page.get_by_role("button", name="Unieważnij token System HIS szpitala").click()
    expect(page.get_by_text("Unieważniono token „System HIS szpitala”.")).to_be_visible()
    expect(page.get_by_role("row", name="System HIS szpitala")).to_contain_text("unieważniony")
    answer = page.request.get("/api/v1/reports", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 401


def test_the_api_documentation_works_under_the_sites_csp(page, live_server):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/dokumentacja")
    # Swagger UI has read the document and drawn its operations: its scripts ran.
    expect(page.get_by_text("/api/v1/reports/{report_id}/values").first).to_be_visible()
    assert page.evaluate("document.querySelector('main h1').textContent").startswith(
        "Dokumentacja API"
    )
    assert not refused, refused
