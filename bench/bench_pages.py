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
    typed = next((key for key in data if key != "action"), None) if method == "post" else None

    def ask(number: int):
        if typed is not None:
            data[typed] = str(number)
        return call(url, data)

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
    regional = User.objects.get(username=f"administrator.{sent.obligation.entity.voivodeship}")
    central = User.objects.get(username="centrala")
    fields = {
        ref: "3"
        for ref in draft.form_version.compiled().section("D1").refs
        if draft.form_version.compiled().field(ref).is_input
    }
    detail = reverse("reports:detail", args=[draft.pk])
    return [
        ("reporter: home", reporter, "get", reverse("portal:home"), None),
        ("reporter: periodic reports to fill", reporter, "get", reverse("reports:list"), None),
        ("reporter: sent reports", reporter, "get", reverse("reports:list"), {"stan": "wyslane"}),
        ("reporter: MZ-88 report page", reporter, "get", detail, None),
        ("reporter: MZ-88 verified", reporter, "get", detail, {"weryfikacja": "1"}),
        ("reporter: „Weryfikuj bez wysyłania” (htmx)", reporter, "post", detail,
         {**fields, "action": "verify", "__htmx__": True}),
        ("reporter: send confirmation", reporter, "get", reverse("reports:send", args=[draft.pk]),
         None),
        ("reporter: background save (86 fields)", reporter, "post",
         reverse("reports:autosave", args=[draft.pk]), {**fields, "action": "autosave"}),
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
        ("central: review queue, all voivodeships", central, "get", reverse("review:queue"),
         None),
        ("central: review queue, page 100", central, "get", reverse("review:queue"),
         {"strona": "100"}),
        ("central: publications", central, "get", reverse("publications:list"), None),
        ("central: definitions", central, "get", reverse("definitions:list"), None),
    ]  # fmt: skip


def measure_sends(repeat: int) -> tuple[float, int]:
    """„Wyślij” confirmed, each time on another filled-in draft (a sent report is sent once)."""
    drafts = (
        Report.objects.filter(
            status=Status.DRAFT,
            publication__form_version__definition__code="MZ-88",
            publication__year=2025,
        )
        .select_related("obligation__entity")
        .order_by("-pk")[: repeat + 1]
    )
    times, queries = [], 0
    for number, draft in enumerate(drafts):
        user = User.objects.filter(role=Role.REPORTER, entity=draft.obligation.entity).first()
        client = client_for(user)
        # Every warning explained, as a clerk does before „Wyślij”.
        warnings = draft.form_version.compiled().check(draft.values, stage="verify").warnings
        draft.explanations = {w.rule_id: "Sprawdzone." for w in warnings}
        Report.objects.filter(pk=draft.pk).update(explanations=draft.explanations)
        url = reverse("reports:send", args=[draft.pk])
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, {"confirm": "yes"})
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (url, response.status_code)
        assert Report.objects.get(pk=draft.pk).status == Status.SENT, draft.pk
        if number:  # the first one warms up
            times.append(elapsed)
            queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    counts = {status: Report.objects.filter(status=status).count() for status in Status.values}
    print(f"reports: {sum(counts.values())} {counts}")
    baseline_client = Client()
    base_ms, _ = measure(baseline_client, "get", reverse("portal:alive"), None, options.repeat)
    rows = []
    start_mb = None
    rows.append(("reporter: „Wyślij” (each on another draft)", *measure_sends(options.repeat), 0))
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


if __name__ == "__main__":
    main()
