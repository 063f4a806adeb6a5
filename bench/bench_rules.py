"""Benchmark of the rule engine on a synthetic statistical table form.

Run from the repository root:  python bench/bench_rules.py [iterations]

The form has 5 sections (działy) of 20 rows x 10 columns (1,000 cells) and 500
rules typical of statistical forms: column totals and row totals (blank as
zero), "of which" <= total (errors), FTE <= persons (warnings), comparisons with
the previous period (warnings) and implications. The script times whole-form
evaluation with ``evaluate_rules`` and a hand-written Python function doing the
same 500 checks with the same semantics, checks that both agree, and prints the
medians and their ratio.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ssoz.definitions.rules import (  # noqa: E402
    MissingValues,
    Rule,
    Schema,
    Severity,
    TableLayout,
    compile_rule,
    evaluate_rules,
    format_decimal,
)

SECTIONS = [f"D{i}" for i in range(1, 6)]
ROWS = [f"W{i:02d}" for i in range(1, 21)]
COLUMNS = [f"K{i}" for i in range(1, 11)]
ZERO = Decimal(0)
LIMIT = Decimal("1.5")

# Columns: K1 persons total = K2..K6 (by category); K7 FTE; K8 of which women;
# K9 of which women's FTE; K10 of which part-time. Row W01 = sum of W02..W20.


def build_rules(schema: Schema) -> list[Rule]:
    rules: list[Rule] = []

    def add(rule_id: str, source: str, severity: Severity, pl: str, missing: MissingValues) -> None:
        rules.append(
            compile_rule(
                rule_id,
                source,
                schema,
                severity=severity,
                message_pl=pl,
                message_en=pl,
                missing=missing,
            )
        )

    zero, anyb = MissingValues.BLANK_AS_ZERO, MissingValues.SKIP_IF_ANY_BLANK
    for s in SECTIONS:
        for c in COLUMNS:
            add(
                f"{s}-col-{c}",
                f"{s}.W01.{c} = sum({s}.W02:W20.{c})",
                Severity.ERROR,
                f"Suma wierszy 02–20 ({{sum({s}.W02:W20.{c})}}) różni się od wiersza 01 "
                f"({{{s}.W01.{c}}}).",
                zero,
            )
        for r in ROWS:
            add(
                f"{s}-row-{r}",
                f"{s}.{r}.K1 = sum({s}.{r}.K2:K6)",
                Severity.ERROR,
                f"Suma kolumn 2–6 ({{sum({s}.{r}.K2:K6)}}) różni się od kolumny 1 "
                f"({{{s}.{r}.K1}}).",
                zero,
            )
        for r in ROWS:
            for c in ("K8", "K10"):
                add(
                    f"{s}-of-{r}-{c}",
                    f"{s}.{r}.{c} <= {s}.{r}.K1",
                    Severity.ERROR,
                    f"„W tym” ({{{s}.{r}.{c}}}) przekracza ogółem ({{{s}.{r}.K1}}).",
                    anyb,
                )
        for r in ROWS:
            add(
                f"{s}-fte-{r}",
                f"{s}.{r}.K7 <= {s}.{r}.K1",
                Severity.WARNING,
                f"Etaty ({{{s}.{r}.K7}}) przekraczają liczbę osób ({{{s}.{r}.K1}}).",
                anyb,
            )
        for c in COLUMNS[:5]:
            add(
                f"{s}-prev-{c}",
                f"{s}.W01.{c} <= prev({s}.W01.{c}) * 1.5",
                Severity.WARNING,
                f"Wartość ({{{s}.W01.{c}}}) wzrosła o ponad 50% wobec poprzedniego okresu "
                f"({{prev({s}.W01.{c})}}).",
                anyb,
            )
        for r in ROWS[1:6]:
            add(
                f"{s}-impl-{r}",
                f"if {s}.{r}.K1 > 0 then {s}.{r}.K7 > 0",
                Severity.WARNING,
                f"Są osoby ({{{s}.{r}.K1}}), ale brak etatów.",
                anyb,
            )
    return rules


def build_values(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    v: dict[str, Any] = {}
    for s in SECTIONS:
        for r in ROWS[1:]:
            parts: list[Decimal | None] = [Decimal(rng.randint(0, 50)) for _ in range(5)]
            if rng.random() < 0.1:
                parts[4] = None  # a blank category: counts as zero in totals
            for c, x in zip(COLUMNS[1:6], parts, strict=True):
                v[f"{s}.{r}.{c}"] = x
            total = sum((x or ZERO for x in parts), ZERO)
            v[f"{s}.{r}.K1"] = total
            v[f"{s}.{r}.K7"] = (total * Decimal(rng.randint(50, 100)) / 100).quantize(
                Decimal("0.01")
            )
            women = Decimal(rng.randint(0, int(total)))
            v[f"{s}.{r}.K8"] = None if rng.random() < 0.02 else women
            v[f"{s}.{r}.K9"] = (women * Decimal("0.75")).quantize(Decimal("0.01"))
            v[f"{s}.{r}.K10"] = None if rng.random() < 0.02 else Decimal(rng.randint(0, int(total)))
        for c in COLUMNS:
            v[f"{s}.W01.{c}"] = sum((v[f"{s}.{r}.{c}"] or ZERO for r in ROWS[1:]), ZERO)
    # A few mistakes, as in a real first draft.
    for key in rng.sample(sorted(v), 5):
        if v[key] is not None:
            v[key] += 1
    previous = {
        f"{s}.W01.{c}": (v[f"{s}.W01.{c}"] * Decimal(rng.randint(80, 120)) / 100).quantize(
            Decimal(1)
        )
        for s in SECTIONS
        for c in COLUMNS
    }
    return v, previous


# -- the same 500 checks, written by hand ----------------------------------------

PL = format_decimal


def handwritten(v: dict[str, Any], p: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    append = out.append
    for _section, col_checks, row_checks, of_checks, fte_checks, prev_checks, impl_checks in PLAN:
        for rid, total_key, part_keys in col_checks:
            parts = sum([v.get(k) or ZERO for k in part_keys], ZERO)
            total = v.get(total_key) or ZERO
            if total == parts:
                append((rid, "passed", None))
            else:
                append(
                    (
                        rid,
                        "failed",
                        f"Suma wierszy 02–20 ({PL(parts)}) różni się od wiersza 01 ({PL(total)}).",
                    )
                )
        for rid, total_key, part_keys in row_checks:
            parts = sum([v.get(k) or ZERO for k in part_keys], ZERO)
            total = v.get(total_key) or ZERO
            if total == parts:
                append((rid, "passed", None))
            else:
                append(
                    (
                        rid,
                        "failed",
                        f"Suma kolumn 2–6 ({PL(parts)}) różni się od kolumny 1 ({PL(total)}).",
                    )
                )
        for rid, part_key, total_key in of_checks:
            part, total = v.get(part_key), v.get(total_key)
            if part is None or total is None:
                append((rid, "skipped", None))
            elif part <= total:
                append((rid, "passed", None))
            else:
                append((rid, "failed", f"„W tym” ({PL(part)}) przekracza ogółem ({PL(total)})."))
        for rid, fte_key, persons_key in fte_checks:
            fte, persons = v.get(fte_key), v.get(persons_key)
            if fte is None or persons is None:
                append((rid, "skipped", None))
            elif fte <= persons:
                append((rid, "passed", None))
            else:
                append(
                    (rid, "failed", f"Etaty ({PL(fte)}) przekraczają liczbę osób ({PL(persons)}).")
                )
        for rid, key in prev_checks:
            now, before = v.get(key), p.get(key)
            if now is None or before is None:
                append((rid, "skipped", None))
            elif now <= before * LIMIT:
                append((rid, "passed", None))
            else:
                append(
                    (
                        rid,
                        "failed",
                        f"Wartość ({PL(now)}) wzrosła o ponad 50% wobec poprzedniego "
                        f"okresu ({PL(before)}).",
                    )
                )
        for rid, persons_key, fte_key in impl_checks:
            persons, fte = v.get(persons_key), v.get(fte_key)
            if persons is None or fte is None:
                append((rid, "skipped", None))
            elif not persons > 0 or fte > 0:
                append((rid, "passed", None))
            else:
                append((rid, "failed", f"Są osoby ({PL(persons)}), ale brak etatów."))
    return out


PLAN = [
    (
        s,
        [(f"{s}-col-{c}", f"{s}.W01.{c}", [f"{s}.{r}.{c}" for r in ROWS[1:]]) for c in COLUMNS],
        [(f"{s}-row-{r}", f"{s}.{r}.K1", [f"{s}.{r}.{c}" for c in COLUMNS[1:6]]) for r in ROWS],
        [(f"{s}-of-{r}-{c}", f"{s}.{r}.{c}", f"{s}.{r}.K1") for r in ROWS for c in ("K8", "K10")],
        [(f"{s}-fte-{r}", f"{s}.{r}.K7", f"{s}.{r}.K1") for r in ROWS],
        [(f"{s}-prev-{c}", f"{s}.W01.{c}") for c in COLUMNS[:5]],
        [(f"{s}-impl-{r}", f"{s}.{r}.K1", f"{s}.{r}.K7") for r in ROWS[1:6]],
    )
    for s in SECTIONS
]


def timed(function: Any, *args: Any) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def measure(
    engine: Any, manual: Any, args: tuple[Any, ...], iterations: int
) -> tuple[float, float, float]:
    """Median ms of each, and the median of per-round ratios. The two are
    timed alternately, so that noise on a shared machine hits both alike."""
    for _ in range(50):  # warm up
        engine(*args)
        manual(*args)
    engine_times, manual_times, ratios = [], [], []
    for i in range(iterations):
        if i % 2:
            e, m = timed(engine, *args), timed(manual, *args)
        else:
            m, e = timed(manual, *args), timed(engine, *args)
        engine_times.append(e)
        manual_times.append(m)
        ratios.append(e / m)
    return (
        statistics.median(engine_times) * 1000,
        statistics.median(manual_times) * 1000,
        statistics.median(ratios),
    )


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rng = random.Random(20240601)
    schema = Schema({}, {s: TableLayout(ROWS, COLUMNS) for s in SECTIONS})
    start = time.perf_counter()
    rules = build_rules(schema)
    compile_ms = (time.perf_counter() - start) * 1000
    values, previous = build_values(rng)

    engine = evaluate_rules(rules, values, previous)
    manual = handwritten(values, previous)
    assert [(r.rule_id, r.status.value, r.message_pl) for r in engine] == manual, "disagree"
    statuses = {s: sum(r.status == s for r in engine) for s in ("passed", "failed", "skipped")}

    def run_engine(values: dict[str, Any], previous: dict[str, Any]) -> Any:
        return evaluate_rules(rules, values, previous)

    engine_ms, manual_ms, ratio = measure(run_engine, handwritten, (values, previous), iterations)
    print(f"Python {sys.version.split()[0]}; {len(rules)} rules over {len(values)} cells")
    print(f"compiling the 500 rules: {compile_ms:.0f} ms (once per form definition)")
    print(f"results: {statuses}")
    print(f"iterations: {iterations}")
    print(
        f"evaluate_rules:  median {engine_ms:.3f} ms per whole-form evaluation "
        f"({1000 / engine_ms:,.0f} evaluations/s)"
    )
    print(
        f"hand-written:    median {manual_ms:.3f} ms per whole-form evaluation "
        f"({1000 / manual_ms:,.0f} evaluations/s)"
    )
    print(
        f"ratio engine / hand-written: {engine_ms / manual_ms:.2f}x of medians, "
        f"{ratio:.2f}x median of per-round ratios"
    )


if __name__ == "__main__":
    main()
