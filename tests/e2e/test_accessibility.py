"""WCAG 2.1 AA checked by axe-core in the browser on the main pages of every role, and the
same pages, in the same states, validated by the Nu HTML checker.

axe finds what a machine can (names, labels, contrast, landmarks, ARIA); keyboard paths are
tested separately (test_reporting_keyboard.py).
"""

import datetime
import re

import cast
import pytest
from browser import WAIT_FOR_STATE_MS, assert_accessible
from playwright.sync_api import expect

from ssoz.accounts.models import RegistrationApplication, Role
from ssoz.publications.models import Publication
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def check(page, nu_html):
    """Checks the page with axe now and collects its HTML for the Nu HTML checker, which the
    test runs once at its end (`nu_html.assert_valid()`)."""

    def check(name: str) -> None:
        assert_accessible(page, name)
        nu_html.collect(page, name)

    return check


@pytest.fixture
def world(cyber_survey, settings):
    settings.SSOZ_CAPTCHA_TEST_MODE = True
    cast.make_office("14")
    hospital = cast.make_entity(units=2)
    alice = cast.make_user("alice", entity=hospital)
    cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14")
    celina = cast.make_user("celina", role=Role.CENTRAL_ADMIN)
    applicant = cast.make_user("dorota", entity=hospital, is_active=False)
    RegistrationApplication.objects.create(user=applicant, entity=hospital)
    publication = publish_form(
        form_version=cyber_survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.all(),
        actor=celina,
    )
    obligation = publication.obligations.get()
    (report,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    return {"hospital": hospital, "report": report, "obligation": obligation}


def test_public_pages_meet_wcag_aa(page, world, check, nu_html):
    for path in ("/info.html", "/logowanie/", "/przypomnij-haslo/", "/ochrona-danych/",
                 "/deklaracja-dostepnosci/", "/pomoc/", "/rejestracja/"):  # fmt: skip
        page.goto(path)
        check(path)
    # The registration page with the unit found in the registry and with errors shown.
    page.get_by_label("REGON", exact=True).fill(world["hospital"].regon)
    page.get_by_role("button", name="Wyszukaj jednostkę w rejestrze").click()
    check("registration after the look-up")
    page.get_by_role("button", name="Zarejestruj").click()
    check("registration with errors")
    page.goto("/logowanie/")
    page.get_by_label("Login lub e-mail").fill("alice")
    page.get_by_label("Hasło").fill("zle-haslo")
    page.get_by_role("button", name="Zaloguj się").click()
    check("failed log-in")
    nu_html.assert_valid()


def test_the_reporters_pages_meet_wcag_aa(page, world, log_in, check, nu_html):
    report, obligation = world["report"], world["obligation"]
    log_in(page, "alice")
    check("home")
    page.goto("/sprawozdania/?rodzaj=jednorazowe")
    check("reports list")
    page.goto(f"/sprawozdania/obowiazek/{obligation.pk}/za-kogo/")
    check("choice of level")
    page.goto(f"/sprawozdania/{report.pk}/")
    check("report page")
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    page.locator("#verification").wait_for()
    check("report page after verification")
    page.goto(f"/sprawozdania/{report.pk}/wyslij/")
    check("send confirmation")
    page.goto(f"/sprawozdania/{report.pk}/historia/")
    check("history")
    page.goto(f"/sprawozdania/{report.pk}/wyniki-ankiety/")
    check("survey results before approval")
    # The assignment survey, asked and then answered wrongly (nothing chosen).
    Publication.objects.filter(pk=obligation.publication_id).update(
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        assignment_question="Czy podmiot ma zespół ds. cyberbezpieczeństwa?",
    )
    page.goto("/start/")
    check("home with the survey due")
    page.goto("/ankieta-przypisujaca/")
    check("assignment survey")
    page.get_by_role("button", name="Zapisz odpowiedzi").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("assignment survey with an error")
    nu_html.assert_valid()


def test_the_administrators_pages_meet_wcag_aa(page, world, log_in, check, nu_html):
    log_in(page, "wanda")
    application = RegistrationApplication.objects.get()
    for path in (
        "/administracja/wnioski/",
        f"/administracja/wnioski/{application.pk}/",
        "/administracja/sprawozdania/",
        "/administracja/sprawozdania/?powiat=14x&szukaj=Szpital&sortuj=podmiot",
        "/administracja/definicje/",
        "/administracja/kompletnosc/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/kompletnosc/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/kompletnosc/niewyslane/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/kompletnosc/przypomnienie/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/kompletnosc/zwolnione/",
        f"/administracja/obowiazki/{world['obligation'].pk}/zwolnienie/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/wyniki/",
        f"/administracja/publikacje/{world['obligation'].publication_id}/wyniki-ankiety/",
    ):
        page.goto(path)
        check(path)
    page.get_by_role("button", name="Wyloguj się").click()
    log_in(page, "celina")
    for path in ("/administracja/publikacje/", "/administracja/publikacje/nowa/"):
        page.goto(path)
        check(path)
    # The publishing page with who would file previewed.
    page.goto(
        f"/administracja/publikacje/nowa/?wersja={world['obligation'].publication.form_version_id}"
    )
    page.get_by_label("Termin przekazania", exact=True).fill("2027-03-31")
    page.get_by_role("button", name="Dalej: podgląd").click()
    expect(page.get_by_role("region", name="Podgląd publikacji")).to_be_visible()
    check("publishing preview")
    # A job's page while it waits for the worker, and once the worker has done it.
    page.goto("/administracja/publikacje/")
    page.get_by_role("button", name="Sprawdź ponownie").first.click()
    page.wait_for_url("**/zadania/*/")
    check("job page")
    expect(page.get_by_role("status")).to_contain_text("Zakończone", timeout=WAIT_FOR_STATE_MS)
    expect(page.get_by_text("Każde sprawozdanie przechodzi sprawdzenie.")).to_be_visible()
    check("job page with its result")
    nu_html.assert_valid()


def test_the_check_does_find_violations(page, world):
    # Guards the guard: a page broken on purpose must fail the same check.
    page.goto("/info.html")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="data:,"><input type="text">\')'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "broken page")


def test_the_html_check_does_find_errors(nu_html):
    # Guards the other guard: markup the checker refuses must fail it, with its message.
    nu_html.pages.append(
        ("broken page", '<!doctype html><html lang="pl"><title>x</title><p hx-get="/">x</p>')
    )
    with pytest.raises(AssertionError, match="broken page, line 1: Attribute “hx-get”"):
        nu_html.assert_valid()


# Every control the user fills in on the page's main forms: whether it is starred (the star in
# its label, or in its group's legend) and whether it is required to assistive technology
# (required or aria-required, any radio button of its group required, or „(wymagane)” in the
# name of a group of checkboxes, which has no valid required attribute).
_REQUIRED_MARKS_JS = """
() => {
  const marks = [];
  const groups = new Set();
  const controls = document.querySelectorAll(
    'main form input[name], main form select[name], main form textarea[name]');
  for (const control of controls) {
    if (['hidden', 'submit', 'button'].includes(control.type) || control.readOnly) { continue; }
    const group = control.closest('fieldset.choices');
    if (group && ['radio', 'checkbox'].includes(control.type)) {
      if (groups.has(control.name)) { continue; }
      groups.add(control.name);
      const legend = group.querySelector('legend');
      const buttons = Array.from(group.querySelectorAll('input')).filter(
        (input) => input.name === control.name);
      marks.push({
        name: control.name,
        starred: legend.querySelector('.required') !== null,
        required: buttons.some((input) => input.required)
          || legend.textContent.includes('(wymagane)'),
      });
      continue;
    }
    const field = control.closest('.field');
    marks.push({
      name: control.name,
      starred: field !== null
        && field.querySelector(':scope > .field__label .required, :scope > .required') !== null,
      required: control.required || control.getAttribute('aria-required') === 'true',
    });
  }
  return marks;
}
"""


def assert_required_fields_marked(page, name: str, *, expected: set[str] | None = None) -> None:
    marks = page.evaluate(_REQUIRED_MARKS_JS)
    wrong = [mark for mark in marks if mark["starred"] != mark["required"]]
    assert not wrong, f"{name}: starred is not the same as required for {wrong}"
    required = {mark["name"] for mark in marks if mark["required"]}
    assert required, f"{name}: no required field found"
    if expected is not None:
        assert required == expected, name


def test_every_required_field_is_starred_and_required_to_assistive_technology(page, world, log_in):
    # WCAG 3.3.2: the pages say starred fields are required; screen readers must hear it too.
    from ssoz.accounts.forms import RegistrationForm

    page.goto("/rejestracja/")
    expected = {
        "captcha_1" if name == "captcha" else name
        for name, field in RegistrationForm().fields.items()
        if field.required
    }
    assert "privacy_accepted" in expected
    assert_required_fields_marked(page, "registration", expected=expected)
    page.get_by_label("REGON", exact=True).fill(world["hospital"].regon)
    page.get_by_role("button", name="Wyszukaj jednostkę w rejestrze").click()
    expect(page.get_by_role("status").first).not_to_be_empty()
    assert_required_fields_marked(page, "registration after the look-up")
    for path in ("/logowanie/", "/przypomnij-haslo/"):
        page.goto(path)
        assert_required_fields_marked(page, path)
    report, obligation = world["report"], world["obligation"]
    log_in(page, "alice")
    page.goto(f"/sprawozdania/{report.pk}/")
    assert_required_fields_marked(page, "report page")
    Publication.objects.filter(pk=obligation.publication_id).update(
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        assignment_question="Czy podmiot ma zespół ds. cyberbezpieczeństwa?",
    )
    page.goto("/ankieta-przypisujaca/")
    assert_required_fields_marked(page, "assignment survey")
    page.get_by_role("button", name="Wyloguj się").click()
    log_in(page, "celina")
    page.goto(f"/administracja/publikacje/nowa/?wersja={obligation.publication.form_version_id}")
    assert_required_fields_marked(page, "publishing")
    page.goto(f"/administracja/publikacje/{obligation.publication_id}/eksport/")
    assert_required_fields_marked(page, "export")


# The contrast of an element's text with the first opaque background behind it (WCAG 1.4.3).
_CONTRAST_JS = """
(element) => {
  const rgb = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let behind = element;
  let background = [255, 255, 255];
  while (behind) {
    const colour = rgb(getComputedStyle(behind).backgroundColor);
    if (colour.length < 4 || colour[3] === 1) { background = colour.slice(0, 3); break; }
    behind = behind.parentElement;
  }
  const text = rgb(getComputedStyle(element).color);
  const [lighter, darker] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}
"""

# What makes a box look like one to type in: any border or a background of its own.
_EDITABLE_LOOK_JS = """
(input) => {
  const style = getComputedStyle(input);
  const sides = ['Top', 'Right', 'Bottom', 'Left'];
  const border = sides.some((side) => parseFloat(style[`border${side}Width`]) > 0
    && style[`border${side}Style`] !== 'none');
  const fill = style.backgroundColor;
  const background = !(fill === 'transparent' || fill === 'rgba(0, 0, 0, 0)');
  return {border, background};
}
"""


def test_a_sent_report_shows_its_answers_as_legible_text(
    page, world, log_in, prefill_report, check, nu_html
):
    from ssoz.accounts.models import User

    alice = User.objects.get(username="alice")
    report = prefill_report(world["report"], alice)
    workflow.send_report(report=report, actor=alice)
    log_in(page, "alice")
    page.goto(f"/sprawozdania/{report.pk}/")
    expect(page.locator("#report-form")).to_have_class(re.compile("report-form--read-only"))
    check("sent report")
    # The chosen answers: text, in bold, with at least 4.5:1 contrast; no radio button is left.
    form = page.locator("#report-form")
    expect(form.locator("input[type=radio], input[type=checkbox]")).to_have_count(0)
    chosen = form.locator(".answer--chosen")
    expect(chosen.first).to_be_visible()
    for number in range(chosen.count()):
        answer = chosen.nth(number)
        assert answer.evaluate(_CONTRAST_JS) >= 4.5, answer.inner_text()
        assert int(answer.evaluate("(e) => getComputedStyle(e).fontWeight")) >= 700
    # The typed values: text with no box around it, in the same contrast.
    boxes = form.locator("input[readonly], textarea[readonly]")
    expect(boxes.first).to_be_visible()
    editable = "input:not([type=hidden]):not([readonly]), textarea:not([readonly]), select"
    expect(form.locator(editable)).to_have_count(0)
    for number in range(boxes.count()):
        box = boxes.nth(number)
        label = box.get_attribute("id")
        assert box.evaluate(_EDITABLE_LOOK_JS) == {"border": False, "background": False}, label
        assert box.evaluate(_CONTRAST_JS) >= 4.5, label
    nu_html.assert_valid()
