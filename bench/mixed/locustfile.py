"""Deadline day, mixed: reporters fill in and send MZ-88 while administrators review.

Run by bench/deadline_mixed.py (and, briefly, by tests/test_bench_mixed.py), which make the
people in the database and read what this leaves behind. It reads, from the environment:

- SSOZ_MIXED_PEOPLE: a JSON file with the reporters (each logged in, with her MZ-88 draft,
  its values and revision, values that pass the form's rules for sending, and her survey
  draft where she has one), the forms' input fields by section, and the administrators;
- SSOZ_MIXED_OUTCOME: where to write, at the end, every report's last save that its client
  was told succeeded (with its revision), a save left unanswered, and the reports sent;
- SSOZ_MIXED_REPORTERS, SSOZ_MIXED_ADMINISTRATORS: how many of each;
- SSOZ_MIXED_THINK: "least,most" seconds a person thinks between two actions (1,4);
- SSOZ_MIXED_SEND: the share of a reporter's rounds that end in sending (0.3);
- SSOZ_MIXED_ROUNDS: with a number, each person does that many rounds and the run stops
  once all have (the test's short run); otherwise the run lasts its --run-time.

A reporter takes the next draft of the list when hers is sent, as the next clerk would.
Every request is named by its action, so the statistics are per action.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

PEOPLE = json.loads(Path(os.environ["SSOZ_MIXED_PEOPLE"]).read_text(encoding="utf-8"))
FORMS: dict[str, dict] = PEOPLE["forms"]
DRAFTS: list[dict] = list(PEOPLE["reporters"])
ADMINISTRATORS: list[dict] = list(PEOPLE["administrators"])
THINK = [float(part) for part in os.environ.get("SSOZ_MIXED_THINK", "1,4").split(",")]
SEND_SHARE = float(os.environ.get("SSOZ_MIXED_SEND", "0.3"))
ROUNDS = int(os.environ.get("SSOZ_MIXED_ROUNDS", "0"))

# What the clients were told, by report id: the last save answered with "ok" (its revision
# and the values it sent), a save sent but never answered (the run stopped, or the
# connection failed: it may or may not be stored), and the reports sent.
acknowledged: dict[str, dict] = {}
unanswered: dict[str, dict] = {}
sent: list[int] = []
finished = 0  # people who have stopped (SSOZ_MIXED_ROUNDS)

REVISION = re.compile(r'name="revision" value="(\d+)"')
UNDER_REVIEW = re.compile(r'href="(/administracja/sprawozdania/\d+/)"')
FORM_POST = "application/x-www-form-urlencoded"
administrator_numbers = itertools.count()


def typed(kind: str) -> str:
    """What a clerk types into a field of this type."""
    if kind in ("decimal", "percentage"):
        return f"{random.randint(0, 90)},{random.randint(0, 9)}"
    return str(random.randint(0, 60))


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)
    login: dict[str, str]
    rounds = 0

    def headers(self, **more: str) -> dict[str, str]:
        return {"Cookie": self.login["cookie"], **more}

    def page(self, name: str, path: str) -> str | None:
        """A page as a browser asks for it; anything but the page itself (an error, or a
        redirect to the login page) is a failure."""
        with self.client.get(
            path, name=name, headers=self.headers(), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return None
            return response.text or ""

    def done_round(self) -> None:
        """With SSOZ_MIXED_ROUNDS, stop after that many rounds."""
        self.rounds += 1
        if ROUNDS and self.rounds >= ROUNDS:
            self.finish()

    def finish(self) -> None:
        """Stop this person, and the run once everybody has stopped."""
        global finished
        finished += 1
        if finished == self.environment.parsed_options.num_users:
            gevent.spawn(self.environment.runner.quit)
        raise StopUser


class Reporter(Person):
    """A clerk: opens her survey and MZ-88, types in sections (saved in the background),
    verifies, and sometimes sends."""

    fixed_count = int(os.environ.get("SSOZ_MIXED_REPORTERS", "1"))

    def on_start(self) -> None:
        self.draft: dict = {}
        self.next_draft()

    def next_draft(self) -> None:
        """The next draft of the list, as the next clerk would take it up; with none left,
        the clerk only reads her report, sent."""
        if not DRAFTS:
            if not self.draft:
                self.finish()  # more clerks than drafts
            return
        self.draft = DRAFTS.pop(0)
        self.login = self.draft
        form = FORMS[self.draft["form"]]
        self.fields: dict[str, str] = form["fields"]
        self.sections: dict[str, list[str]] = form["sections"]
        self.values: dict[str, object] = dict(self.draft["values"])
        self.explanations: dict[str, str] = {}
        self.revision: int = self.draft["revision"]
        self.editable = True

    @task
    def fill_in(self) -> None:
        draft = self.draft
        if draft["survey"]:
            self.page("open survey", f"/sprawozdania/{draft['survey']}/")
            self.wait()
        if not self.editable:
            self.page("open MZ-88", f"/sprawozdania/{draft['report']}/")
            return self.done_round()
        if not self.open_report():
            return self.abandon()
        for _save in range(random.randint(3, 6)):
            self.wait()
            self.type_in(random.choice(list(self.sections)))
            if not self.save():
                return self.abandon()
        self.wait()
        self.verify()
        if random.random() < SEND_SHARE:
            self.wait()
            self.values = dict(draft["send"]["values"])
            self.explanations = dict(draft["send"]["explanations"])
            if not self.save():
                return self.abandon()
            self.wait()
            if self.verify(clean=True):
                self.wait()
                self.send()
            self.editable = False
            self.next_draft()
        self.done_round()

    def abandon(self) -> None:
        """What a failed request left is not known: the clerk moves on to another draft."""
        self.editable = False
        self.next_draft()
        self.done_round()

    def open_report(self) -> bool:
        """The MZ-88 page: editable, at the revision of the clerk's last save."""
        with self.client.get(
            f"/sprawozdania/{self.draft['report']}/",
            name="open MZ-88",
            headers=self.headers(),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            text = response.text or ""
            found = REVISION.search(text)
            if response.status_code != 200 or not found or "data-autosave-url" not in text:
                response.failure(f"{response.status_code}: not an editable report page")
                return False
            if int(found.group(1)) != self.revision:
                response.failure(f"revision {found.group(1)}, {self.revision} expected")
                return False
        return True

    def type_in(self, section: str) -> None:
        """A few values of one section changed, as typing between two background saves."""
        refs = self.sections[section]
        for ref in random.sample(refs, k=min(5, len(refs))):
            self.values[ref] = typed(self.fields[ref])

    def body(self, action: str) -> str:
        """The whole form, as the page posts it: every input (blank when empty), the
        explanations shown, the revision the page has."""
        fields: list[tuple[str, object]] = [
            ("csrfmiddlewaretoken", self.login["csrf"]),
            ("revision", self.revision),
        ]
        for ref in self.fields:
            value = self.values.get(ref, "")
            if isinstance(value, list):
                fields.extend((ref, item) for item in value)
            else:
                fields.append((ref, value))
        fields.extend((f"explanation:{rule}", text) for rule, text in self.explanations.items())
        fields.append(("action", action))
        return urlencode(fields)

    def post(self, name: str, path: str, body: str, headers: dict[str, str] | None = None):
        """A form posted urlencoded, as the page posts it; the caller judges the answer."""
        return self.client.post(
            path,
            data=body,
            name=name,
            headers=self.headers(**{"Content-Type": FORM_POST, **(headers or {})}),
            allow_redirects=False,
            catch_response=True,
        )

    def save(self) -> bool:
        """The background save; its answer's revision goes with the next request."""
        report = str(self.draft["report"])
        posted = {ref: value for ref, value in self.values.items() if value not in ("", [])}
        unanswered[report] = {"revision": self.revision + 1, "values": posted}
        with self.post(
            "save",
            f"/sprawozdania/{report}/zapisz/",
            self.body("autosave"),
            {"X-CSRFToken": self.login["csrf"], "Accept": "application/json"},
        ) as response:
            if response.status_code == 0:
                response.failure(f"no answer: {response.error}")
                return False
            del unanswered[report]  # answered: stored if and only if it says so
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            if response.status_code != 200 or answer.get("ok") is not True:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]!r}")
                return False
            self.revision = answer["revision"]
            acknowledged[report] = {"revision": self.revision, "values": posted}
        return True

    def verify(self, *, clean: bool = False) -> bool:
        """„Weryfikuj bez wysyłania” as htmx posts it; with `clean`, the values meant to pass
        must show no error."""
        report = self.draft["report"]
        htmx = {
            "HX-Request": "true",
            "HX-Target": "report-form",
            "HX-Current-URL": f"{self.host}/sprawozdania/{report}/",
        }
        with self.post("verify", f"/sprawozdania/{report}/", self.body("verify"), htmx) as response:
            kind = response.headers.get("Content-Type", "") if response.headers else ""
            if response.status_code != 200 or not kind.startswith("text/html"):
                response.failure(f"{response.status_code} {kind}")
                return False
            if clean and "verification__item--error" in (response.text or ""):
                response.failure("values meant to pass the rules have errors")
                return False
        return True

    def send(self) -> None:
        """„Wyślij”, confirmed: the answer leads back to the report, now sent."""
        report = self.draft["report"]
        confirmed = urlencode({"csrfmiddlewaretoken": self.login["csrf"], "confirm": "yes"})
        with self.post("send", f"/sprawozdania/{report}/wyslij/", confirmed) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or not location.endswith(f"/sprawozdania/{report}/"):
                response.failure(f"{response.status_code} to {location!r}")
                return
            sent.append(report)


class Administrator(Person):
    """A regional or the central administrator: the review queue, a report sent for
    verification, and (only the central one publishes) the publications."""

    fixed_count = int(os.environ.get("SSOZ_MIXED_ADMINISTRATORS", "0"))

    def on_start(self) -> None:
        self.login = ADMINISTRATORS[next(administrator_numbers) % len(ADMINISTRATORS)]

    @task
    def review(self) -> None:
        queue = self.page("queue", "/administracja/sprawozdania/")
        waiting = UNDER_REVIEW.findall(queue or "")
        if waiting:
            self.wait()
            self.page("report under review", random.choice(waiting))
        if not self.login["voivodeship"]:
            self.wait()
            self.page("publications", "/administracja/publikacje/")
        self.wait()
        self.done_round()


@events.quitting.add_listener
def write_outcome(environment, **_kwargs) -> None:
    """Once every person has stopped: what the clients were told, and why requests failed."""
    failures = [
        f"{error.occurrences}× {error.method} {error.name}: {error.error}"
        for error in environment.stats.errors.values()
    ]
    outcome = {"acknowledged": acknowledged, "unanswered": unanswered, "sent": sent,
               "failures": failures}  # fmt: skip
    Path(os.environ["SSOZ_MIXED_OUTCOME"]).write_text(json.dumps(outcome), encoding="utf-8")
