"""Every page a reporter or an administrator opens, at national scale: its median server time,
its queries, and the worker's memory after it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssoz_bench \\
        .venv/bin/python bench/bench_pages.py [--repeat 15]

Run on a database filled by `manage.py generate_national` (bench/deadline_day.py makes one).
The requests are handled in this process by Django itself, with DEBUG=0 and the production
settings otherwise, so the time is the server's: no network, no browser. Each page is asked
`--repeat` times after one warm-up; the baseline is the trivial liveness page, asked the same
way in the same run. Memory is this process's resident size after each page, against its size
after the warm-up of the first.
"""

import argparse
import functools
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60 + "abcdefgh")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

# As the application server does at start (wsgi.py).
from ssoz.lib import pdf  # noqa: E402

pdf.preload()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from ssoz.accounts.models import Role, User  # noqa: E402
from ssoz.reports.models import Report, Status  # noqa: E402


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="ssoz.accounts.backends.LoginOrEmailBackend")
    return client


def measure(client: Client, method: str, url: str, data: dict | None, repeat: int):
    """Median time and queries of `repeat` requests after one warm-up. A post changes the
    first of its values on every request (as typing does), so that each one writes."""
    call = getattr(client, method)
    data = dict(data or {})
    if data.pop("__htmx__", None):
        call = functools.partial(call, headers={"HX-Request": "true"})
    typed = next((key for key in data if key != "action"), None)

    def ask(number: int):
        if method == "get":
            return call(url, data)
        data[typed] = str(number)
        # Urlencoded, as the page's forms and scripts send it.
        return call(
            url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )

    response = ask(0)
    if response.status_code >= 500:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for number in range(1, repeat + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = ask(number)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 500, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries)


def pages() -> list[tuple[str, User, str, str, dict | None]]:
    mz88 = (
        Report.objects.filter(
            obligation__publication__form_version__definition__code="MZ-88",
            obligation__publication__year=2025,
            unit__isnull=True,
        )
        .select_related("obligation__entity")
        .order_by("pk")
    )
    draft = mz88.filter(status=Status.DRAFT).first()
    sent = mz88.filter(status=Status.SENT).first()
    reporter = User.objects.filter(role=Role.REPORTER, entity=draft.obligation.entity).first()
    sent_reporter = User.objects.filter(role=Role.REPORTER, entity=sent.obligation.entity).first()
    survey = (
        Report.objects.filter(
            status=Status.DRAFT,
            obligation__publication__form_version__definition__code="ANKIETA-CYBER",
        )
        .select_related("obligation__entity")
        .order_by("pk")
        .first()
    )
    survey_reporter = User.objects.filter(
        role=Role.REPORTER, entity=survey.obligation.entity, psychiatric_card_only=False
    ).first()
    regional = User.objects.get(username=f"administrator.{sent.obligation.entity.voivodeship}")
    central = User.objects.get(username="centrala")
    fields = {
        ref: "3"
        for ref in draft.form_version.compiled().section("D1").refs
        if draft.form_version.compiled().field(ref).is_input
    }
    detail = reverse("reports:detail", args=[draft.pk])
    completeness = reverse("completeness:summary", args=[draft.publication_id])
    not_sent = reverse("completeness:not_reported", args=[draft.publication_id])
    exempted = reverse("completeness:exempted", args=[draft.publication_id])
    results = reverse("results:aggregate", args=[draft.publication_id])
    figure = {"cecha": next(iter(fields)), "wedlug": "wojewodztwo"}
    obligation = sent.obligation  # in the regional administrator's voivodeship
    publishing = reverse("publications:publish") + f"?wersja={draft.form_version.pk}"
    # Who files MZ-29A-like: long-term care cells, an NFZ contract, no practices 93–99.
    condition = {
        "assignment_question": "",
        "year": "2026",
        "deadline": "2027-03-31",
        "audience": "types",
        "entity_types": ["podmiot_leczniczy"],
        "voivodeships": [f"{number:02d}" for number in range(2, 33, 2)],
        "specialty_codes": "5160, 5170, 5180",
        "nfz_contract": "yes",
        "excluded_legal_forms": ["93", "94", "95", "96", "97", "98", "99"],
        "regons": "",
        "action": "preview",
    }
    return [
        ("reporter: home", reporter, "get", reverse("portal:home"), None),
        ("reporter: periodic reports to fill", reporter, "get", reverse("reports:list"), None),
        ("reporter: sent reports", reporter, "get", reverse("reports:list"), {"stan": "wyslane"}),
        ("reporter: MZ-88 report page", reporter, "get", detail, None),
        ("reporter: ANKIETA-CYBER report page", survey_reporter, "get",
         reverse("reports:detail", args=[survey.pk]), None),
        ("reporter: MZ-88 verified", reporter, "get", detail, {"weryfikacja": "1"}),
        ("reporter: „Weryfikuj bez wysyłania” (htmx)", reporter, "post", detail,
         {**fields, "action": "verify", "__htmx__": True}),
        ("reporter: send confirmation", reporter, "get", reverse("reports:send", args=[draft.pk]),
         None),
        ("reporter: background save (section D1)", reporter, "post",
         reverse("reports:autosave", args=[draft.pk]), {**fields, "action": "autosave"}),
        ("reporter: assignment survey", reporter, "get",
         reverse("publications:assignment_survey"), None),
        ("reporter: history", sent_reporter, "get", reverse("reports:history", args=[sent.pk]),
         None),
        ("reporter: sent version PDF", sent_reporter, "get",
         reverse("reports:version_pdf", args=[sent.pk, 1]), None),
        ("regional: home", regional, "get", reverse("portal:home"), None),
        ("regional: review queue", regional, "get", reverse("review:queue"), None),
        ("regional: review queue, approved", regional, "get", reverse("review:queue"),
         {"stan": "zatwierdzone"}),
        ("regional: a report under review", regional, "get",
         reverse("review:report", args=[sent.pk]), None),
        ("regional: applications", regional, "get", reverse("accounts:application_list"), None),
        ("regional: MZ-88 completeness", regional, "get", completeness, None),
        ("regional: MZ-88 not sent, page 2", regional, "get", not_sent, {"strona": "2"}),
        ("regional: MZ-88 exempted", regional, "get", exempted, None),
        ("regional: MZ-88 results, the country suppressed", regional, "get", results,
         {**figure, "zakres": ""}),
        ("regional: MZ-88 results by county, own voivodeship", regional, "get", results,
         {**figure, "wedlug": "powiat", "zakres": regional.voivodeship}),
        ("regional: exemption page", regional, "get",
         reverse("completeness:exempt", args=[obligation.pk]), None),
        ("central: review queue, all voivodeships", central, "get", reverse("review:queue"),
         None),
        ("central: review queue, page 100", central, "get", reverse("review:queue"),
         {"strona": "100"}),
        ("central: publications", central, "get", reverse("publications:list"), None),
        ("central: MZ-88 completeness", central, "get", completeness, None),
        ("central: MZ-88 completeness by county", central, "get", completeness,
         {"grupuj": "powiat"}),
        ("central: MZ-88 not sent", central, "get", not_sent, None),
        ("central: definitions", central, "get", reverse("definitions:list"), None),
        ("central: MZ-88 results by voivodeship", central, "get", results, figure),
        ("central: publishing preview by condition", central, "post", publishing, condition),
        ("central: publishing preview, whole country", central, "post", publishing,
         {**condition, "specialty_codes": "", "nfz_contract": "", "excluded_legal_forms": []}),
    ]  # fmt: skip


def measure_joiners(repeat: int) -> tuple[float, int, int]:
    """`oblige_joiners` as run_periodic runs it, with every 2025 publication given a condition
    (all active entities of its form's types) and an open deadline: its median time, queries
    and obligations created. Rolled back afterwards."""
    from django.db import transaction

    from ssoz.publications.condition import FilingCondition
    from ssoz.publications.models import Publication
    from ssoz.publications.services import oblige_joiners

    class Rollback(Exception):
        pass

    results = []
    try:
        with transaction.atomic():
            Publication.objects.filter(year=2025).update(
                who_files=[FilingCondition().to_json()], deadline="2099-12-31", closed_at=None
            )
            for _ in range(repeat + 1):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    created = oblige_joiners()
                    elapsed = (time.perf_counter() - started) * 1000
                results.append((elapsed, len(captured.captured_queries), created))
            raise Rollback
    except Rollback:
        pass
    first_created = results[0][2]
    steady = results[1:]
    return statistics.median(ms for ms, _q, _c in steady), steady[-1][1], first_created


def timed(call) -> tuple[float, int]:
    """One request's time in ms and its number of queries."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code < 400, response.status_code
    return elapsed, len(captured.captured_queries)


def measure_verbs(rounds: int) -> dict[str, tuple[float, int]]:
    """The background save, „Weryfikuj bez wysyłania” (htmx) and „Wyślij” confirmed, timed in
    alternating rounds so that the machine's noise falls on all three alike. Each save and
    verification changes a value of one draft; each „Wyślij” sends another filled-in draft
    (a report is sent once), with every warning explained as a clerk does before sending."""
    drafts = list(
        Report.objects.filter(
            status=Status.DRAFT,
            publication__form_version__definition__code="MZ-88",
            publication__year=2025,
        )
        .select_related("obligation__entity")
        .order_by("-pk")[: rounds + 2]
    )
    editing, drafts = drafts[0], drafts[1:]
    form = editing.form_version.compiled()
    fields = {ref: "3" for ref in form.section("D1").refs if form.field(ref).is_input}
    typed = next(iter(fields))
    editor = client_for(User.objects.filter(role=Role.REPORTER, entity=editing.entity).first())
    sends = []
    for draft in drafts:
        client = client_for(User.objects.filter(role=Role.REPORTER, entity=draft.entity).first())
        warnings = form.check(draft.values, stage="verify").warnings
        Report.objects.filter(pk=draft.pk).update(
            explanations={w.rule_id: "Sprawdzone." for w in warnings}
        )
        client.get(reverse("portal:alive"))  # a new client builds its middleware: not timed
        sends.append((client, reverse("reports:send", args=[draft.pk])))

    def post(url: str, action: str, number: int, headers: dict | None = None):
        body = urlencode({**fields, typed: str(number), "action": action})
        return editor.post(
            url, body, content_type="application/x-www-form-urlencoded", headers=headers
        )

    save_url = reverse("reports:autosave", args=[editing.pk])
    page_url = reverse("reports:detail", args=[editing.pk])
    times: dict[str, list[tuple[float, int]]] = {"save": [], "verify": [], "send": []}
    for number, (client, send_url) in enumerate(sends):
        htmx = {"HX-Request": "true"}
        measured = {
            "save": timed(functools.partial(post, save_url, "autosave", 2 * number)),
            "verify": timed(functools.partial(post, page_url, "verify", 2 * number + 1, htmx)),
            "send": timed(functools.partial(client.post, send_url, {"confirm": "yes"})),
        }
        if number:  # the first round warms up
            for verb, result in measured.items():
                times[verb].append(result)
    return {
        verb: (statistics.median(ms for ms, _ in found), found[-1][1])
        for verb, found in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    counts = {status: Report.objects.filter(status=status).count() for status in Status.values}
    print(f"reports: {sum(counts.values())} {counts}")
    baseline_client = Client()
    base_ms, _ = measure(baseline_client, "get", reverse("portal:alive"), None, options.repeat)
    verbs = measure_verbs(options.repeat)
    rows = []
    start_mb = None
    for label, user, method, url, data in pages():
        client = client_for(user)
        ms, queries = measure(client, method, url, data, options.repeat)
        start_mb = start_mb or resident_mb()
        rows.append((label, ms, queries, resident_mb() - start_mb))
    print(f"\nmedian server time over {options.repeat} requests; baseline (liveness page) "
          f"{base_ms:.2f} ms")  # fmt: skip
    print(f"{'page':44} {'ms':>8} {'× base':>8} {'queries':>8} {'memory +MB':>11}")
    for label, ms, queries, grown in rows:
        print(f"{label:44} {ms:8.1f} {ms / base_ms:8.0f} {queries:8d} {grown:11.1f}")
    save_ms = verbs["save"][0]
    print(f"\nin {options.repeat} alternating rounds, median server time")
    print(f"{'verb':44} {'ms':>8} {'× save':>8} {'queries':>8}")
    for verb, (ms, queries) in verbs.items():
        print(f"{verb:44} {ms:8.1f} {ms / save_ms:8.2f} {queries:8d}")
    joiners_ms, joiners_queries, created = measure_joiners(max(3, options.repeat // 3))
    print(
        f"\noblige_joiners over the 2025 publications: {joiners_ms:.1f} ms median, "
        f"{joiners_queries} queries, {joiners_ms / base_ms:.0f}× base; the first run created "
        f"{created} obligations (entities not yet obliged)"
    )


if __name__ == "__main__":
    main()
