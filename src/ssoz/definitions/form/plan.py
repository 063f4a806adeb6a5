"""The plan of a compiled form: the steps that work out relevance and computed fields, in the
order of their dependencies, as the builder sorts them (:mod:`.build.order`) and the engine
runs them (:meth:`CompiledForm.check <.engine.CompiledForm.check>`).

Each step is a tuple whose first item says what it is:

- ``(SECTION, code, condition, refs)``: a section's relevance condition and the refs it hides;
- ``(RELEVANCE, ref, condition)``: a field's own relevance condition;
- ``(TOTAL, ref, parts)``: a generated total of table cells;
- ``(CALC, ref, calculation, quantum)``: a computed field, rounded to ``quantum`` if numeric.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..rules import MissingValues, RuleEngineError
from .converters import Problem

Plan = list[tuple[Any, ...]]

SECTION, RELEVANCE, TOTAL, CALC = range(4)
RELEVANCE_MISSING = MissingValues.SKIP_IF_ANY_BLANK
# A calculation sees blanks as blanks: sum() leaves them out, 1 + blank is blank.
CALCULATION_MISSING = MissingValues.SKIP_IF_ALL_BLANK


def work_out(
    plan: Plan,
    values: dict[str, Any],
    past: dict[str, Any],
    problems: dict[str, list[Problem]],
) -> tuple[set[str], set[str]]:
    """Relevance and computed fields, in dependency order (see ``computed_order``): fill
    ``values`` with the computed ones, and give the irrelevant fields and skipped sections."""
    irrelevant: set[str] = set()
    skipped_sections: set[str] = set()
    for step in plan:
        kind = step[0]
        if kind == TOTAL:
            ref = step[1]
            if ref in irrelevant:
                continue
            total = None
            for part in step[2]:
                x = values.get(part)
                if x is not None:
                    total = x if total is None else total + x
            if total is not None:
                values[ref] = total
        elif kind == SECTION:
            if not _holds(step[2], values, past):
                skipped_sections.add(step[1])
                irrelevant.update(step[3])
                for ref in step[3]:
                    values.pop(ref, None)
        elif kind == RELEVANCE:
            ref = step[1]
            if ref not in irrelevant and not _holds(step[2], values, past):
                irrelevant.add(ref)
                values.pop(ref, None)
        else:
            ref = step[1]
            if ref in irrelevant:
                continue
            try:
                value = step[2](values, past)
                if isinstance(value, Decimal):
                    value = value.quantize(step[3], ROUND_HALF_UP) if step[3] else value
                    if not value.is_finite():
                        value = None
            except (ArithmeticError, RuleEngineError) as error:
                detail = getattr(error, "message", None) or type(error).__name__
                detail_en = getattr(error, "message_en", None) or type(error).__name__
                problems[ref] = [
                    Problem(
                        "calculation_failed",
                        f"Nie udało się obliczyć wartości: {detail}",
                        f"The value could not be computed: {detail_en}",
                    )
                ]
                continue
            if value is not None and value != "" and value != frozenset():
                values[ref] = value
    return irrelevant, skipped_sections


def _holds(run: Callable[[dict[str, Any], dict[str, Any]], Any], v: dict, p: dict) -> bool:
    try:
        return run(v, p) is True
    except (ArithmeticError, RuleEngineError):
        return True  # when in doubt, show the field and check it
