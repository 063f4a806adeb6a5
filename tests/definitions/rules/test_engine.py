"""Rules and the engine: statuses, severities, messages, fields."""

from __future__ import annotations

import pytest

from ssoz.definitions.rules import (
    MissingValues,
    Rule,
    RuleResult,
    RuleSet,
    Schema,
    Severity,
    Status,
    compile_rule,
    evaluate_rules,
)

from .conftest import d


def rule(
    schema: Schema,
    source: str,
    *,
    rule_id: str = "R1",
    severity: Severity = Severity.ERROR,
    message_pl: str = "Błąd: {Q1}",
    message_en: str = "Error: {Q1}",
    missing: MissingValues = MissingValues.SKIP_IF_ANY_BLANK,
    fields: tuple[str, ...] = (),
) -> Rule:
    return compile_rule(
        rule_id,
        source,
        schema,
        severity=severity,
        message_pl=message_pl,
        message_en=message_en,
        missing=missing,
        fields=fields,
    )


def test_a_rule_that_holds_passes_without_messages(schema: Schema) -> None:
    result = rule(schema, "Q1 > 0").check({"Q1": d(5)})
    assert result == RuleResult("R1", Severity.ERROR, Status.PASSED, ("Q1",))
    assert result.status == "passed"
    assert result.message_pl is None and result.message_en is None


def test_a_rule_that_does_not_hold_fails_with_rendered_messages(schema: Schema) -> None:
    result = rule(schema, "Q1 > 0").check({"Q1": d("-1.5")})
    assert result.status == Status.FAILED == "failed"
    assert result.message_pl == "Błąd: -1,5"
    assert result.message_en == "Error: -1.5"


def test_a_rule_with_a_blank_result_is_skipped_not_failed(schema: Schema) -> None:
    assert rule(schema, "Q1 > 0").check({}).status == "skipped"
    assert rule(schema, "Q1 / Q2 > 0").check({"Q1": d(1), "Q2": d(0)}).status == "skipped"
    all_blank = MissingValues.SKIP_IF_ALL_BLANK
    assert rule(schema, "Q1 + Q2 > 0", missing=all_blank).check({"Q1": d(1)}).status == "skipped"


def test_severities_are_carried_into_results(schema: Schema) -> None:
    for severity in Severity:
        assert rule(schema, "Q1 > 0", severity=severity).check({}).severity == severity
    assert rule(schema, "Q1 > 0", severity="warning").severity is Severity.WARNING  # type: ignore[arg-type]


def test_fields_default_to_the_rules_current_references_in_order(schema: Schema) -> None:
    r = rule(schema, "Q2 + sum(D1.W01:W02.K1) >= prev(Q3) and Q2 > 0")
    assert r.fields == ("Q2", "D1.W01.K1", "D1.W02.K1")
    assert r.check({}).fields == r.fields


def test_explicit_fields_override_the_default(schema: Schema) -> None:
    assert rule(schema, "Q1 <= Q2", fields=("Q1",)).fields == ("Q1",)


def test_rule_exposes_its_source_and_references(schema: Schema) -> None:
    r = rule(schema, "Q1 <= prev(Q2)")
    assert r.source == "Q1 <= prev(Q2)"
    assert r.references == {"Q1", "Q2"}
    assert r.prev_references == {"Q2"}


def test_a_rule_must_be_a_condition(schema: Schema) -> None:
    from ssoz.definitions.rules import RuleTypeError

    with pytest.raises(RuleTypeError) as info:
        rule(schema, "Q1 + Q2")
    assert info.value.rule_id == "R1"


def test_evaluate_rules_returns_one_result_per_rule_in_order(schema: Schema) -> None:
    rules = [
        rule(schema, "Q1 > 0", rule_id="a"),
        rule(schema, "Q2 > 0", rule_id="b", severity=Severity.WARNING),
        rule(schema, "Q3 > 0", rule_id="c", severity=Severity.INFO),
    ]
    results = evaluate_rules(rules, {"Q1": d(1), "Q2": d(-1)})
    assert [(r.rule_id, r.status) for r in results] == [
        ("a", "passed"),
        ("b", "failed"),
        ("c", "skipped"),
    ]


def test_evaluate_rules_uses_the_previous_period(schema: Schema) -> None:
    r = rule(
        schema,
        "Q1 <= prev(Q1) * 1.5",
        severity=Severity.WARNING,
        message_pl="Wzrost z {prev(Q1)} do {Q1}",
    )
    [result] = evaluate_rules([r], {"Q1": d(200)}, {"Q1": d(100)})
    assert result.status == "failed"
    assert result.message_pl == "Wzrost z 100 do 200"
    assert evaluate_rules([r], {"Q1": d(120)}, {"Q1": d(100)})[0].status == "passed"
    assert evaluate_rules([r], {"Q1": d(120)})[0].status == "skipped"


def test_rule_set_gives_the_same_results_as_evaluate_rules(schema: Schema) -> None:
    rules = [rule(schema, "Q1 > 0", rule_id="a"), rule(schema, "Q1 < 10", rule_id="b")]
    values = {"Q1": d(20)}
    rule_set = RuleSet(rules)
    assert len(rule_set) == 2
    assert rule_set.evaluate(values) == evaluate_rules(rules, values)
    assert evaluate_rules(rule_set, values) == evaluate_rules(rules, values)


def test_evaluation_does_not_modify_the_values(schema: Schema) -> None:
    values = {"Q1": d(1), "Q2": None, "name": ""}
    evaluate_rules([rule(schema, "Q1 > 0 and blank(name)")], values)
    assert values == {"Q1": d(1), "Q2": None, "name": ""}


def test_message_references_are_validated_and_rendered_even_if_the_rule_skips_them(
    schema: Schema,
) -> None:
    r = rule(schema, "Q1 > 0", message_pl="Q1={Q1}, nazwa={name}, {tools}")
    result = r.check({"Q1": d(-1), "name": "Szpital", "tools": frozenset({"fw", "av"})})
    assert result.message_pl == "Q1=-1, nazwa=Szpital, av, fw"


def test_messages_follow_the_rules_blank_as_zero_strategy(schema: Schema) -> None:
    r = rule(
        schema,
        "D1.W01.K1 = sum(D1.W02:W05.K1)",
        message_pl="{sum(D1.W02:W05.K1)} ≠ {D1.W01.K1}",
        missing=MissingValues.BLANK_AS_ZERO,
    )
    result = r.check({"D1.W02.K1": d(3)})
    assert result.status == "failed"
    assert result.message_pl == "3 ≠ 0"


def test_results_of_passing_and_skipped_rules_are_shared_objects(schema: Schema) -> None:
    r = rule(schema, "Q1 > 0")
    assert r.check({"Q1": d(1)}) is r.check({"Q1": d(2)})
    assert r.check({}) is r.check({"Q1": None})


def test_a_typical_mz88_table_checks(schema: Schema) -> None:
    total = rule(
        schema,
        "D1.W01.K1 = sum(D1.W02:W05.K1)",
        rule_id="total",
        missing=MissingValues.BLANK_AS_ZERO,
    )
    of_which = rule(schema, "D1.W03.K2 <= D1.W03.K1", rule_id="of-which")
    fte = rule(schema, "D1.W01.K3 <= D1.W01.K1", rule_id="fte", severity=Severity.WARNING)
    values = {
        "D1.W01.K1": d(10),
        "D1.W02.K1": d(6),
        "D1.W03.K1": d(4),
        "D1.W03.K2": d(5),
        "D1.W01.K3": d("9.5"),
    }
    results = {r.rule_id: r.status for r in evaluate_rules([total, of_which, fte], values)}
    assert results == {"total": "passed", "of-which": "failed", "fte": "passed"}
