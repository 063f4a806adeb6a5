"""Benchmark of the whole engine on the shipped forms: what one save or verify costs.

Run from the repository root:  python bench/bench_check.py [iterations]

For each shipped form (definitions/*/*.yaml) the script fills every input with a plausible
typed value (what a clerk sends: text, with a decimal comma), then times, in alternating rounds
so that machine noise hits both alike:

- ``check(stage="verify")``: conversion of the typed text, relevance, computed totals and every
  rule — the work behind „Weryfikuj bez wysyłania” and „Wyślij”;
- the baseline: ``evaluate_rules`` alone over the already-typed values, i.e. the rule engine
  without the conversion and relevance work around it.

It prints the medians and their ratio (the cost of everything around the rules).

A form with repeating records (MZ/Szp-11B) is timed once more as a whole report of 500 cards,
as a verify checks it: every card's own check in the report's month, against the rule engine
alone over the cards' typed values.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")

import django  # noqa: E402

django.setup()

from ssoz.definitions.form import Period, compile_definition  # noqa: E402
from ssoz.definitions.loader import parse_definition  # noqa: E402
from ssoz.definitions.rules import evaluate_rules  # noqa: E402
from ssoz.reports.synthetic_cards import valid_card  # noqa: E402

CARDS = 500
MONTH = Period(
    start=datetime.date(2026, 10, 1),
    end=datetime.date(2026, 10, 31),
    deadline=datetime.date(2026, 11, 20),
)


def plausible_raw(form, rng: random.Random) -> dict[str, object]:
    raw: dict[str, object] = {}
    for ref, spec in form.fields.items():
        if not spec.is_input:
            continue
        kind = str(spec.type)
        if kind in ("integer", "money"):
            raw[ref] = str(rng.randint(0, 60))
        elif kind in ("decimal", "percentage"):
            raw[ref] = f"{rng.randint(0, 40)},{rng.randint(0, 99):02d}"
        elif kind == "yes_no":
            raw[ref] = rng.choice(["tak", "nie"])
        elif kind == "single_choice" and spec.choices:
            raw[ref] = rng.choice(spec.choices).code
        elif kind == "multiple_choice" and spec.choices:
            raw[ref] = [rng.choice(spec.choices).code]
        elif kind == "date":
            raw[ref] = "2023-06-30"
        elif kind == "email":
            raw[ref] = "it@szpital.example"
        elif kind == "phone":
            raw[ref] = "+48 22 123 45 67"
        else:
            raw[ref] = "Opis " * rng.randint(1, 5)
    return raw


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main(iterations: int) -> None:
    print(f"Python {sys.version.split()[0]}, {iterations} rounds per form, medians in ms")
    print(f"{'form':<22}{'fields':>7}{'rules':>7}{'check':>10}{'rules only':>12}{'ratio':>8}")
    for path in sorted((ROOT / "definitions").glob("*/*.yaml")):
        data = parse_definition(path.read_text(encoding="utf-8"), filename=str(path))
        form = compile_definition(data, filename=str(path))
        raw = plausible_raw(form, random.Random(7))
        typed = form.check(raw, stage="save").values
        checks, baseline = [], []
        for _ in range(iterations):
            start = time.perf_counter()
            form.check(raw, stage="verify")
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            evaluate_rules(form.rules, typed)
            baseline.append(time.perf_counter() - start)
        check_ms, rules_ms = median_ms(checks), median_ms(baseline)
        name = f"{form.code} {form.version}"
        ratio = check_ms / rules_ms if rules_ms else float("nan")
        print(
            f"{name:<22}{len(form.fields):>7}{len(form.rules):>7}"
            f"{check_ms:>10.3f}{rules_ms:>12.3f}{ratio:>7.2f}x"
        )
        if form.records is not None:
            time_cards(form.records.form, name, max(iterations // 30, 5))


def time_cards(card_form, name: str, rounds: int) -> None:
    """A whole report of CARDS cards, each checked in the month, against the rules alone."""
    cards = [valid_card(i) for i in range(CARDS)]
    period = MONTH.values()
    typed = [card_form.check(card, stage="save").values for card in cards]
    checks, baseline = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for card in cards:
            card_form.check(card, stage="verify", period=MONTH)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        for values in typed:
            evaluate_rules(card_form.rules, values, period)
        baseline.append(time.perf_counter() - start)
    check_ms, rules_ms = median_ms(checks), median_ms(baseline)
    label = f"{name}, {CARDS} cards"
    print(
        f"{label:<22}{len(card_form.fields):>7}{len(card_form.rules):>7}"
        f"{check_ms:>10.3f}{rules_ms:>12.3f}{check_ms / rules_ms:>7.2f}x"
        f"   ({check_ms / CARDS * 1000:.1f} µs a card)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
