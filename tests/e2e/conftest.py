"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

Without Chromium they are skipped, unless SSOZ_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
A browser is never downloaded.
"""

import os
from pathlib import Path

import pytest
from browser import WAIT_FOR_STATE_MS, NuHtmlChecker

CHROMIUM = Path(os.environ.get("SSOZ_CHROMIUM", "/usr/bin/chromium"))

# Playwright's synchronous API runs an event loop in this thread; the ORM calls in the
# tests themselves are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _patient_assertions():
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_FOR_STATE_MS)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("SSOZ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def mailbox(task_worker):
    """Browser tests run with the real queue: their mail is sent by the worker process and
    received by an SMTP server, whose mailbox this is."""
    return task_worker


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="pl-PL", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_FOR_STATE_MS)
    yield page
    context.close()


@pytest.fixture
def nu_html():
    """Collects pages with `nu_html.collect(page, name)`; `nu_html.assert_valid()` then checks
    them all with the Nu HTML checker (skipped without Java or the checker, unless
    SSOZ_REQUIRE_BROWSER=1)."""
    return NuHtmlChecker()


@pytest.fixture
def screenshot(request):
    """Saves documentation screenshots when SSOZ_SCREENSHOTS names a folder."""
    folder = os.environ.get("SSOZ_SCREENSHOTS")

    def take(page, name: str, *, full_page: bool = True) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)

    return take


# --- The reporter's path (manual section 3.1) -------------------------------------------------

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
CYBER_SURVEY = DEFINITIONS / "ankieta-cyber" / "2023.yaml"

# Reads the report page the way a person would: every visible question marked as required that
# has no answer yet, and how to answer it. Yes/no gets "nie" and a choice its second option
# (on the 0–5 scale, level 1), which keep the survey's contradiction rules quiet.
_UNANSWERED_JS = """
() => Array.from(document.querySelectorAll('#report-form .report-field'))
  .filter((field) => field.offsetParent !== null && field.querySelector('.required'))
  .map((field) => {
    const radios = Array.from(field.querySelectorAll('input[type=radio]'))
      .filter((radio) => radio.value !== '');
    if (radios.length) {
      if (radios.some((radio) => radio.checked)) { return null; }
      const no = radios.find((radio) => radio.id.endsWith('-nie'));
      return {kind: 'choice', id: (no || radios[Math.min(1, radios.length - 1)]).id};
    }
    const boxes = Array.from(field.querySelectorAll('input[type=checkbox]'));
    if (boxes.length) {
      return boxes.some((box) => box.checked) ? null : {kind: 'choice', id: boxes[0].id};
    }
    const input = field.querySelector('input:not([readonly]), textarea:not([readonly])');
    if (!input || input.value.trim() !== '') { return null; }
    return {
      kind: 'text', id: input.id, type: input.type, tag: input.tagName.toLowerCase(),
      numeric: input.inputMode === 'decimal',
    };
  })
  .filter(Boolean)
"""


def _answer_for(item: dict) -> str:
    if item["numeric"]:
        return "1"
    if item["type"] == "email":
        return "it@szpital.example.pl"
    if item["type"] == "date":
        return "2023-06-30"
    if item["tag"] == "textarea":
        return "Brak uwag."
    return "Kierownik działu informatyki"


@pytest.fixture
def cyber_survey(db):
    """The shipped cybersecurity maturity survey (ANKIETA-CYBER 2023), loaded."""
    from ssoz.definitions.services import load_definition

    result = load_definition(
        CYBER_SURVEY.read_text(encoding="utf-8"), filename="ankieta-cyber/2023.yaml"
    )
    assert result.form_version is not None, [str(problem) for problem in result.problems]
    return result.form_version


@pytest.fixture
def publish_survey(celina, cyber_survey):
    """Publishes the survey for a year to the given entities, as the central administrator."""
    import datetime

    from ssoz.publications.services import publish_form
    from ssoz.registry.models import Entity

    def publish(*entities, year: int = 2023):
        return publish_form(
            form_version=cyber_survey,
            year=year,
            quarter=None,
            deadline=datetime.date(year + 1, 3, 31),
            entities=Entity.objects.filter(pk__in=[entity.pk for entity in entities]),
            actor=celina,
        )

    return publish


@pytest.fixture
def log_in():
    """Logs a user in through the log-in page."""

    def log_in(page, username: str, password: str | None = None) -> None:
        import cast

        page.goto("/logowanie/")
        page.get_by_label("Login lub e-mail").fill(username)
        page.get_by_label("Hasło").fill(password or cast.PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_url("**/start/")

    return log_in


@pytest.fixture
def wait_until_saved():
    """Waits for the report page's background save to say that everything typed is stored."""
    from playwright.sync_api import expect

    def wait(page) -> None:
        expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
        expect(page.locator("#save-status")).to_contain_text("Wszystkie zmiany zapisane")

    return wait


@pytest.fixture
def answer_required_questions(wait_until_saved):
    """Answers every visible required question that has no answer yet, with a valid answer,
    by reading the report page; repeats while answers make further questions relevant."""

    def answer(page) -> int:
        answered = 0
        for _round in range(6):
            unanswered = page.evaluate(_UNANSWERED_JS)
            if not unanswered:
                return answered
            for item in unanswered:
                control = page.locator(f"[id='{item['id']}']")
                if item["kind"] == "choice":
                    control.check()
                else:
                    control.fill(_answer_for(item))
                answered += 1
            wait_until_saved(page)
        raise AssertionError(f"Questions still unanswered: {page.evaluate(_UNANSWERED_JS)}")

    return answer


def _server_answer(spec) -> object:
    kind = str(spec.type)
    if kind == "yes_no":
        return "nie"
    if kind == "single_choice":
        return spec.choices[min(1, len(spec.choices) - 1)].code
    if kind == "multiple_choice":
        return [spec.choices[0].code]
    if kind in ("integer", "decimal", "percentage", "money"):
        return "1"
    if kind == "email":
        return "it@szpital.example.pl"
    if kind == "date":
        return "2023-06-30"
    return "Kierownik działu informatyki"


@pytest.fixture
def prefill_report():
    """Stores valid answers to every relevant required question of a report, except those
    named in `skip`, plus any `values` given, as its reporter would by saving."""

    def prefill(report, actor, *, skip=(), values=None):
        from ssoz.reports import workflow

        form = report.form_version.compiled()
        answers: dict[str, object] = {}
        for _round in range(6):
            result = form.check({**answers, **(values or {})}, stage="save")
            missing = {
                ref: _server_answer(spec)
                for ref, spec in form.fields.items()
                if spec.is_input
                and spec.required
                and ref not in result.irrelevant
                and ref not in answers
                and ref not in skip
                and ref not in (values or {})
            }
            if not missing:
                break
            answers.update(missing)
        answers.update(values or {})
        return workflow.save_report(
            report=report, actor=actor, changes=answers, base_revision=None
        ).report

    return prefill


@pytest.fixture
def open_shipped_form(celina, hospital, log_in):
    """Loads a shipped form (``definitions/<path>``), publishes it for a period to the
    hospital alone, creates its report for the whole entity as `reporter`, logs the reporter
    in and opens the report's page. Returns the report."""
    import datetime

    from django.utils import timezone
    from playwright.sync_api import expect

    from ssoz.definitions.services import load_definition
    from ssoz.publications.models import Obligation
    from ssoz.publications.services import publish_form
    from ssoz.registry.models import Entity
    from ssoz.reports import workflow

    def open_form(page, path: str, *, reporter, year: int = 2025, quarter=None, month=None):
        result = load_definition((DEFINITIONS / path).read_text(encoding="utf-8"), filename=path)
        assert result.form_version is not None, [str(problem) for problem in result.problems]
        publication = publish_form(
            form_version=result.form_version,
            year=year,
            quarter=quarter,
            month=month,
            # Open for another month whatever today is, so the walk never meets a late report.
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            entities=Entity.objects.filter(pk=hospital.pk),
            actor=celina,
        )
        obligation = Obligation.objects.get(publication=publication, entity=hospital)
        [report] = workflow.create_reports(obligation=obligation, actor=reporter, collective=True)
        log_in(page, reporter.username)
        page.goto(f"/sprawozdania/{report.pk}/")
        expect(page.locator("#save-status")).to_be_attached()
        return report

    return open_form
