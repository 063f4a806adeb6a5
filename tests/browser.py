"""What the browser tests share outside their fixtures."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# Every wait in the browser tests is for a state the user would see; this only bounds how long
# a busy machine may take to get there (Playwright's own default for assertions is 5 s).
WAIT_FOR_STATE_MS = 30_000

# The Nu HTML checker (https://validator.github.io/validator/), installed outside the project's
# dependencies by `npm install --prefix /opt/vnu vnu-jar` (see .ci/run), run by Debian's Java.
VNU_JAR = Path(os.environ.get("SSOZ_VNU_JAR", "/opt/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


# The one message not taken as an error: the checker's SVG schema (SVG 1.1) does not know the
# `nonce` that browsers honour on an inline SVG's <style> (HTML's HTMLOrSVGElement), which the
# charts need under the site's CSP (see ssoz/lib/charts.py). On an HTML <style> it is valid.
_SVG_STYLE_NONCE = "Attribute “nonce” not allowed on element “style” at this point."


class NuHtmlChecker:
    """Collects the HTML of the pages a test visits and validates them all in one run of the
    Nu HTML checker at the end, as the JVM takes seconds to start.

    Each page is checked twice: as the browser holds it (the state the test reached, after
    htmx swaps and scripts) and as the server sends its URL."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, str]] = []

    def collect(self, page, name: str) -> None:
        from playwright.sync_api import Error

        try:
            self.pages.append((f"{name} (in the browser)", page.content()))
        except Error as error:
            if "navigating" not in str(error):
                raise
            # The page replaced itself meanwhile (a job's page reloads once the job is done):
            # what it shows now is checked instead.
            page.wait_for_load_state()
            self.pages.append((f"{name} (in the browser, reloaded)", page.content()))
        response = page.request.get(page.url)
        if response.ok and "text/html" in response.headers.get("content-type", ""):
            self.pages.append((f"{name} (from the server: {page.url})", response.text()))

    def assert_valid(self) -> None:
        assert self.pages, "No page was collected for the Nu HTML checker"
        java = shutil.which("java")
        missing = None
        if java is None:
            missing = "Java is not installed (apt-get install default-jre-headless)"
        elif not VNU_JAR.exists():
            missing = f"the Nu HTML checker is missing at {VNU_JAR} (see .ci/run)"
        if missing:
            if os.environ.get("SSOZ_REQUIRE_BROWSER") == "1":
                pytest.fail(f"HTML validation is required but {missing}")
            pytest.skip(f"HTML not validated: {missing}; the checks before it passed")
        with tempfile.TemporaryDirectory(prefix="ssoz-vnu-") as folder:
            files = {}
            for number, (name, html) in enumerate(self.pages):
                path = Path(folder) / f"page-{number:03d}.html"
                path.write_text(html, encoding="utf-8")
                files[path.name] = name
            run = subprocess.run(
                [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", folder],
                capture_output=True,
                text=True,
                timeout=300,
            )
        assert run.stdout, f"The Nu HTML checker gave no answer: {run.stderr}"
        messages = json.loads(run.stdout)["messages"]
        problems = [
            f"{files.get(m.get('url', '').rpartition('/')[2], m.get('url'))}, "
            f"line {m.get('lastLine', '?')}: {m['message']} — "
            + " ".join(m.get("extract", "").split())
            for m in messages
            if (m["type"] == "error" or m.get("subType") == "fatal")
            and m["message"] != _SVG_STYLE_NONCE
        ]
        assert not problems, f"{len(problems)} HTML errors (Nu HTML checker)\n" + "\n".join(
            problems
        )


def fill_cells(page, values: dict[str, str]) -> None:
    """Types each value into the report page's box of that reference (a table cell or a
    question's text box), as a clerk would."""
    for ref, value in values.items():
        page.locator(f"[name='{ref}']").fill(value)


def verify_without_sending(page):
    """„Weryfikuj bez wysyłania”, then waits until the new verification's result is on the page;
    returns the result's region."""
    from playwright.sync_api import expect

    old = page.locator("#verification")
    old_result = old.element_handle() if old.count() else None
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    if old_result is not None:
        old_result.wait_for_element_state("hidden")
    expect(page.locator("#verification")).to_be_attached()
    return page.locator("#verification")


def send_report(page) -> None:
    """„Wyślij”, then „Wyślij” again on the confirmation page, until the page says it was sent."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Wyślij", exact=True).click()
    page.wait_for_url("**/wyslij/")
    expect(page.get_by_role("heading", name="Wysłanie sprawozdania")).to_be_visible()
    page.get_by_role("button", name="Wyślij", exact=True).click()
    confirmation = page.get_by_role("status").filter(has_text="Sprawozdanie wysłano do weryfikacji")
    expect(confirmation).to_be_visible()


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page, name: str) -> None:
    """axe-core's WCAG 2.1 AA rules over the page as it is now: no violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"{name}: {len(violations)} accessibility violations\n{details}"
