"""Compiled expressions, rules and the one engine that evaluates them.

Missing values (blank = ``None``) are handled per rule, as in DHIS2:

* ``SKIP_IF_ANY_BLANK`` (default): skipped when any *trigger* ref is blank;
* ``SKIP_IF_ALL_BLANK``: skipped when every trigger ref is blank; otherwise
  blanks propagate (``1 + blank`` is blank; ``sum``/``min``/``max`` leave them out);
* ``BLANK_AS_ZERO``: blank numbers read as 0 (other types stay blank).

Trigger refs are the refs of the current report used outside the blank-aware
functions (blank, filled, count, coalesce, all_filled, any_filled, selected,
count_selected). Previous-period values (inside ``prev``) are never triggers and
never read as zero: a blank there simply makes what depends on it blank.
Whatever the strategy, a rule whose value comes out blank is skipped, not failed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .checker import Analysis, check
from .compiler import Fn, Mode, compile_analysis
from .errors import RuleEngineError, RuleUnknownReferenceError
from .messages import CompiledMessage, compile_message
from .nodes import Node, to_source
from .parser import parse
from .schema import Schema
from .value_types import Type
from .values import Adapter


class Severity(StrEnum):
    ERROR = "error"  # blocks sending the report
    WARNING = "warning"  # the reporter must explain
    INFO = "info"


class MissingValues(StrEnum):
    SKIP_IF_ANY_BLANK = "skip_if_any_blank"
    SKIP_IF_ALL_BLANK = "skip_if_all_blank"
    BLANK_AS_ZERO = "blank_as_zero"


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule_id: str
    severity: Severity
    status: Status
    fields: tuple[str, ...]
    message_pl: str | None = None  # rendered, only when failed
    message_en: str | None = None


# A runner returns the expression's value, or None when skipped or blank.
Runner = Callable[[dict[str, Any], dict[str, Any]], Any]


def _strategy(analysis: Analysis, missing: MissingValues) -> tuple[Fn, str]:
    """Closure plus how skipping is decided: "keyerror", "any", "all" or "none".

    Under SKIP_IF_ANY_BLANK trigger refs are read as ``v[key]``. Without and/or/if
    every trigger is read on every evaluation, so a KeyError is exactly "some
    trigger is blank" and costs nothing when all are filled; with them, some
    reads may be skipped, so the triggers are checked up front instead.
    """
    missing = MissingValues(missing)
    if missing == MissingValues.SKIP_IF_ANY_BLANK:
        mode = Mode(filled=analysis.triggers)
        how = "any" if analysis.short_circuit else "keyerror"
    elif missing == MissingValues.SKIP_IF_ALL_BLANK:
        mode, how = Mode(), "all" if analysis.triggers else "none"
    else:
        mode, how = Mode(blank_as_zero=True), "none"
    return compile_analysis(analysis, mode).fn, how


def _runner(analysis: Analysis, missing: MissingValues) -> Runner:
    fn, how = _strategy(analysis, missing)
    triggers = analysis.triggers
    if how == "keyerror":

        def run_keyerror(v: dict[str, Any], p: dict[str, Any]) -> Any:
            try:
                return fn(v, p)
            except KeyError:
                return None

        return run_keyerror
    if how == "any":

        def run_any(v: dict[str, Any], p: dict[str, Any]) -> Any:
            if v.keys() >= triggers:
                return fn(v, p)
            return None

        return run_any
    if how == "all":

        def run_all(v: dict[str, Any], p: dict[str, Any]) -> Any:
            if triggers.isdisjoint(v.keys()):
                return None
            return fn(v, p)

        return run_all
    return fn


class CompiledExpression:
    """An expression checked against a schema and compiled to closures."""

    __slots__ = (
        "source",
        "ast",
        "type",
        "references",
        "prev_references",
        "analysis",
        "_runners",
        "_adapters",
    )

    def __init__(self, source: str, analysis: Analysis) -> None:
        self.source = source
        self.ast: Node = analysis.root
        self.type: Type = analysis.type
        self.references: frozenset[str] = analysis.references
        self.prev_references: frozenset[str] = analysis.prev_references
        self.analysis = analysis
        self._runners: dict[MissingValues, Runner] = {}
        self._adapters: tuple[Adapter, Adapter] | None = None

    @property
    def current_references(self) -> tuple[str, ...]:
        """Refs of the current report in order of first appearance."""
        return self.analysis.current_order

    @property
    def uses_period(self) -> bool:
        """Whether it reads the period's dates (period_start(), period_end(), deadline())."""
        return self.analysis.uses_period

    @property
    def reads_other(self) -> tuple[str, ...]:
        """The aliases of the other forms it reads with other(), in order."""
        return self.analysis.reads_other

    def to_source(self) -> str:
        return to_source(self.ast)

    def runner(self, missing: MissingValues) -> Runner:
        missing = MissingValues(missing)
        run = self._runners.get(missing)
        if run is None:
            run = self._runners[missing] = _runner(self.analysis, missing)
        return run

    def evaluate(
        self,
        values: Mapping[str, Any],
        previous: Mapping[str, Any] | None = None,
        missing: MissingValues = MissingValues.SKIP_IF_ANY_BLANK,
    ) -> Any:
        """The value, or None when blank or skipped by ``missing``.

        Raises :class:`RuleValueError` when a value has the wrong Python type.
        """
        if self._adapters is None:
            self._adapters = (
                Adapter(_types(self.analysis, previous=False)),
                Adapter(_types(self.analysis, previous=True), previous=True),
            )
        current, past = self._adapters
        run = self.runner(missing)
        try:
            return run(current(values), past(previous))
        except ArithmeticError as error:
            raise _arithmetic(error, None) from None

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r}, type={self.type.value})"


def _types(analysis: Analysis, *, previous: bool) -> dict[str, Type]:
    wanted = analysis.prev_references if previous else frozenset(analysis.current_order)
    types = {ref: t for ref, t in analysis.ref_types.items() if ref in wanted}
    if previous:  # the period's dates and other forms' cells travel with the previous period
        types.update(analysis.context_types)
    return types


def _arithmetic(error: ArithmeticError, rule_id: str | None) -> RuleEngineError:
    return RuleEngineError(
        f"Obliczenie przekroczyło zakres liczb ({type(error).__name__}); sprawdź, czy "
        "wartości w formularzu nie są absurdalnie duże.",
        f"The computation went out of range ({type(error).__name__}); check the form for "
        "absurdly large values.",
        rule_id=rule_id,
    )


def compile_expression(
    source: str, schema: Schema, *, expect: Type | None = None
) -> CompiledExpression:
    """Parse, type-check and compile ``source``.

    Raises :class:`RuleSyntaxError`, :class:`RuleTypeError` or
    :class:`RuleUnknownReferenceError` (all :class:`RuleEngineError`).
    """
    tree = parse(source)
    return CompiledExpression(source, check(tree, schema, source, expect))


class Rule:
    """A condition that must hold, with its severity and messages."""

    __slots__ = (
        "rule_id",
        "severity",
        "missing",
        "expression",
        "message_pl",
        "message_en",
        "fields",
        "passed",
        "skipped",
        "_check",
    )

    def __init__(
        self,
        rule_id: str,
        expression: CompiledExpression,
        severity: Severity,
        message_pl: CompiledMessage,
        message_en: CompiledMessage,
        fields: tuple[str, ...],
        missing: MissingValues,
    ) -> None:
        self.rule_id = rule_id
        self.expression = expression
        self.severity = Severity(severity)
        self.message_pl = message_pl
        self.message_en = message_en
        self.fields = fields
        self.missing = MissingValues(missing)
        # Results without a message never change: build them once.
        self.passed = RuleResult(rule_id, self.severity, Status.PASSED, fields)
        self.skipped = RuleResult(rule_id, self.severity, Status.SKIPPED, fields)
        self._check = self._build_check()

    @property
    def source(self) -> str:
        return self.expression.source

    @property
    def references(self) -> frozenset[str]:
        return self.expression.references

    @property
    def prev_references(self) -> frozenset[str]:
        return self.expression.prev_references

    @property
    def uses_period(self) -> bool:
        """Whether its expression or a message reads the period's dates."""
        return (
            self.expression.uses_period
            or self.message_pl.uses_period
            or self.message_en.uses_period
        )

    @property
    def reads_other(self) -> tuple[str, ...]:
        """The aliases of the other forms its expression or a message reads, in order."""
        return tuple(
            dict.fromkeys(
                (
                    *self.expression.reads_other,
                    *self.message_pl.reads_other,
                    *self.message_en.reads_other,
                )
            )
        )

    def failed(self, v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
        zero = self.missing == MissingValues.BLANK_AS_ZERO
        return RuleResult(
            self.rule_id,
            self.severity,
            Status.FAILED,
            self.fields,
            self.message_pl.render_filled(v, p, "pl", zero),
            self.message_en.render_filled(v, p, "en", zero),
        )

    def _build_check(self) -> Callable[[dict[str, Any], dict[str, Any]], RuleResult]:
        """One closure per rule: evaluate, then pick the prebuilt result."""
        analysis = self.expression.analysis
        fn, how = _strategy(analysis, self.missing)
        triggers = analysis.triggers
        passed, skipped, failed = self.passed, self.skipped, self.failed
        rule_id = self.rule_id

        def outcome(r: Any, v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
            if r is True:
                return passed
            if r is False:
                return failed(v, p)
            return skipped

        if how == "keyerror":

            def check_keyerror(v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
                try:
                    r = fn(v, p)
                except KeyError:
                    return skipped
                except ArithmeticError as error:
                    raise _arithmetic(error, rule_id) from None
                if r is True:
                    return passed
                if r is False:
                    return failed(v, p)
                return skipped

            return check_keyerror
        if how == "any":

            def check_any(v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
                if not v.keys() >= triggers:
                    return skipped
                try:
                    return outcome(fn(v, p), v, p)
                except ArithmeticError as error:
                    raise _arithmetic(error, rule_id) from None

            return check_any
        if how == "all":

            def check_all(v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
                if triggers.isdisjoint(v.keys()):
                    return skipped
                try:
                    return outcome(fn(v, p), v, p)
                except ArithmeticError as error:
                    raise _arithmetic(error, rule_id) from None

            return check_all

        def check_none(v: dict[str, Any], p: dict[str, Any]) -> RuleResult:
            try:
                r = fn(v, p)
            except ArithmeticError as error:
                raise _arithmetic(error, rule_id) from None
            if r is True:
                return passed
            if r is False:
                return failed(v, p)
            return skipped

        return check_none

    def check(
        self, values: Mapping[str, Any], previous: Mapping[str, Any] | None = None
    ) -> RuleResult:
        return evaluate_rules((self,), values, previous)[0]

    def __repr__(self) -> str:
        return f"Rule({self.rule_id!r}, {self.source!r}, {self.severity.value})"


def compile_rule(
    rule_id: str,
    source: str,
    schema: Schema,
    *,
    severity: Severity,
    message_pl: str,
    message_en: str,
    fields: Sequence[str] = (),
    missing: MissingValues = MissingValues.SKIP_IF_ANY_BLANK,
) -> Rule:
    """Compile a rule: a boolean expression that must hold.

    Errors carry ``rule_id``; errors in a message template say so and give
    positions within the template.
    """
    try:
        expression = compile_expression(source, schema, expect=Type.BOOLEAN)
        compiled_pl = compile_message(message_pl, schema)
        compiled_en = compile_message(message_en, schema)
        for name in fields:
            if name not in schema:
                raise RuleUnknownReferenceError(
                    f"Reguła wskazuje nieznane pole „{name}”.",
                    f'The rule points at an unknown field "{name}".',
                    field=name,
                )
    except RuleEngineError as error:
        error.rule_id = rule_id
        raise
    return Rule(
        rule_id,
        expression,
        severity,
        compiled_pl,
        compiled_en,
        tuple(fields) or expression.current_references,
        missing,
    )


class RuleSet:
    """Rules evaluated together; values are checked and filtered once per call."""

    __slots__ = ("rules", "_checks", "_current", "_previous")

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        current: dict[str, Type] = {}
        previous: dict[str, Type] = {}
        for rule in self.rules:
            sources = (rule.expression.analysis, *rule.message_pl.analyses)
            sources += rule.message_en.analyses
            for analysis in sources:
                _merge(current, _types(analysis, previous=False), rule.rule_id)
                _merge(previous, _types(analysis, previous=True), rule.rule_id)
        self._current = Adapter(current)
        self._previous = Adapter(previous, previous=True)
        self._checks = tuple(rule._check for rule in self.rules)

    def evaluate(
        self, values: Mapping[str, Any], previous: Mapping[str, Any] | None = None
    ) -> list[RuleResult]:
        v = self._current(values)
        p = self._previous(previous)
        return [check(v, p) for check in self._checks]

    def __len__(self) -> int:
        return len(self.rules)


def _merge(into: dict[str, Type], types: dict[str, Type], rule_id: str) -> None:
    for ref, t in types.items():
        known = into.setdefault(ref, t)
        if known != t:
            raise RuleEngineError(
                f"Pole „{ref}” ma w różnych regułach różne typy ({known.value} i {t.value}); "
                "reguły muszą pochodzić z jednego schematu.",
                f'The field "{ref}" has different types in different rules ({known.value} and '
                f"{t.value}); the rules must come from one schema.",
                rule_id=rule_id,
                field=ref,
            )


@functools.lru_cache(maxsize=128)
def _rule_set(rules: tuple[Rule, ...]) -> RuleSet:
    return RuleSet(rules)


def evaluate_rules(
    rules: Iterable[Rule] | RuleSet,
    values: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
) -> list[RuleResult]:
    """Check every rule against ``values`` (and the previous period's values).

    Returns one :class:`RuleResult` per rule, in order. Raises
    :class:`RuleValueError` when a value has the wrong Python type. The
    preparation for a given sequence of rules is cached, so calling this
    repeatedly with the same rules is as fast as using a :class:`RuleSet`.
    """
    if isinstance(rules, RuleSet):
        return rules.evaluate(values, previous)
    return _rule_set(tuple(rules)).evaluate(values, previous)
