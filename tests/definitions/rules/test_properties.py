"""Property-based tests (hypothesis).

1. Random text and token soups give only RuleEngineError subclasses.
2. Random well-typed expressions, evaluated with random values (blanks,
   zeros, huge and negative decimals), raise nothing and return a value of
   their static type (or blank).
3. Printing a tree with to_source() and parsing it back gives the same tree.
"""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssoz.definitions.rules import (
    MissingValues,
    RuleEngineError,
    Schema,
    Severity,
    TableLayout,
    Type,
    compile_expression,
    compile_message,
    compile_rule,
    evaluate_rules,
    other_values,
    parse,
    period_values,
    to_source,
)
from ssoz.definitions.rules.nodes import (
    Binary,
    Blank,
    Boolean,
    Call,
    Conditional,
    Implies,
    Node,
    Number,
    Range,
    Ref,
    String,
    Unary,
)

ROWS = ["W01", "W02", "W03"]
COLUMNS = ["K1", "K2"]
CELLS = [f"D1.{r}.{c}" for r in ROWS for c in COLUMNS]
NUMBER_REFS = ["N1", "N2", "N3", *CELLS]
OPTIONS = ["a", "b", "c"]
SCHEMA = Schema(
    {
        "N1": Type.NUMBER,
        "N2": Type.NUMBER,
        "N3": Type.NUMBER,
        "S1": Type.STRING,
        "C1": Type.CHOICE,
        "M1": Type.MULTI,
        "B1": Type.BOOLEAN,
        "T1": Type.DATE,
        "T2": Type.DATE,
    },
    {"D1": TableLayout(ROWS, COLUMNS)},
    {"C1": OPTIONS, "M1": OPTIONS},
    {"C1": {"a": 1, "b": "2.5"}},  # "c" has no score
    others={"X": {"D1.W01.K1": Type.NUMBER, "XT": Type.DATE, "XS": Type.STRING}},
)
PYTHON_TYPE: dict[Type, type] = {
    Type.NUMBER: Decimal,
    Type.STRING: str,
    Type.CHOICE: str,
    Type.BOOLEAN: bool,
    Type.DATE: datetime.date,
    Type.MULTI: frozenset,
    Type.BLANK: type(None),
}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- values ----------------------------------------------------------------------

numbers = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.integers(-1000, 1000).map(Decimal),
    st.decimals(
        min_value=Decimal("-1E+30"),
        max_value=Decimal("1E+30"),
        allow_nan=False,
        allow_infinity=False,
    ),
    st.sampled_from([Decimal("1E+30"), Decimal("-1E+30"), Decimal("1E-20"), Decimal("-0")]),
)
PERIOD_FUNCTIONS = ["period_start", "period_end", "deadline"]
values_strategy = st.fixed_dictionaries(
    {
        **dict.fromkeys(NUMBER_REFS, numbers),
        "S1": st.one_of(st.none(), st.text(max_size=4)),
        "C1": st.one_of(st.none(), st.just(""), st.sampled_from(OPTIONS)),
        "M1": st.one_of(st.none(), st.frozensets(st.sampled_from(OPTIONS))),
        "B1": st.one_of(st.none(), st.booleans()),
        "T1": st.one_of(st.none(), st.dates()),
        "T2": st.one_of(st.none(), st.dates()),
    }
)

# The previous period's values, and some or all of the period's dates beside them.
periods = st.fixed_dictionaries(
    {}, optional={name: st.one_of(st.none(), st.dates()) for name in ("start", "end", "deadline")}
).map(lambda dates: period_values(**dates))
# The values of another form's sent report, read as X (some of them blank or absent).
others = st.fixed_dictionaries(
    {},
    optional={
        "D1.W01.K1": numbers,
        "XT": st.one_of(st.none(), st.dates()),
        "XS": st.one_of(st.none(), st.text(max_size=4)),
    },
).map(lambda read: other_values("X", read))
previous_strategy = st.one_of(
    st.none(),
    values_strategy,
    periods,
    st.tuples(values_strategy, periods).map(lambda pair: {**pair[0], **pair[1]}),
    st.tuples(values_strategy, periods, others).map(lambda t: {**t[0], **t[1], **t[2]}),
)

# -- well-typed trees ------------------------------------------------------------

literal_numbers = st.one_of(
    st.integers(0, 10**6).map(Decimal),
    st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=3),
).map(abs)


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    if draw(st.booleans()):
        first = draw(st.integers(0, len(ROWS) - 1))
        last = draw(st.integers(first, len(ROWS) - 1))
        return Range("D1", "rows", ROWS[first], ROWS[last], draw(st.sampled_from(COLUMNS)))
    first = draw(st.integers(0, len(COLUMNS) - 1))
    last = draw(st.integers(first, len(COLUMNS) - 1))
    return Range("D1", "columns", COLUMNS[first], COLUMNS[last], draw(st.sampled_from(ROWS)))


@st.composite
def expressions(draw: st.DrawFn, t: Type, depth: int = 3, in_prev: bool = False) -> Node:
    sub = depth - 1
    leaf = depth <= 0 or draw(st.integers(0, 3)) == 0

    def e(kind: Type, inside_prev: bool = in_prev) -> Node:
        return draw(expressions(kind, sub, inside_prev))

    if t == Type.NUMBER:
        if leaf:
            pick = draw(st.integers(0, 4 if not in_prev else 3))
            if pick < 2:
                return Number(draw(literal_numbers))
            if pick < 4:
                return Ref(draw(st.sampled_from(NUMBER_REFS)))
            return Call("other", (Ref("X"), Ref("D1.W01.K1")))
        choice = draw(st.integers(0, 11 if not in_prev else 10))
        if choice == 0:
            return Unary("-", e(t))
        if choice in (1, 2):
            return Binary(draw(st.sampled_from("+-*/")), e(t), e(t))
        if choice == 3:
            name = draw(st.sampled_from(["sum", "min", "max", "avg"]))
            args = draw(
                st.lists(
                    st.one_of(ranges(), expressions(t, sub, in_prev), st.just(Blank())),
                    min_size=1,
                    max_size=3,
                )
            )
            return Call(name, tuple(args))
        if choice == 4:
            kind = draw(st.sampled_from([Type.NUMBER, Type.STRING, Type.BOOLEAN, Type.DATE]))
            args = draw(
                st.lists(
                    st.one_of(ranges(), expressions(kind, sub, in_prev)), min_size=1, max_size=3
                )
            )
            return Call("count", tuple(args))
        if choice == 5:
            return Call("abs", (e(t),))
        if choice == 6:
            digits = draw(st.integers(-3, 10))
            arg: Node = Number(Decimal(abs(digits)))
            return Call("round", (e(t), Unary("-", arg) if digits < 0 else arg))
        if choice == 7:
            if draw(st.booleans()):
                return Call("score", (Ref("C1"),))
            return Call("count_selected", (Ref(draw(st.sampled_from(["M1", "C1"]))),))
        if choice == 8:
            args = [
                e(t),
                *draw(
                    st.lists(st.one_of(st.just(Blank()), expressions(t, sub, in_prev)), max_size=2)
                ),
            ]
            return Call("coalesce", tuple(args))
        if choice in (9, 10):
            return Conditional(e(Type.BOOLEAN), e(t), e(t))
        return Call("prev", (e(t, True),))
    if t == Type.BOOLEAN:
        if leaf:
            if draw(st.booleans()):
                return Boolean(draw(st.booleans()))
            return Ref("B1")
        choice = draw(st.integers(0, 14))
        if choice in (0, 1):
            return Binary(
                draw(st.sampled_from(["=", "!=", "<", "<=", ">", ">="])),
                e(Type.NUMBER),
                e(Type.NUMBER),
            )
        if choice == 2:
            return Binary(draw(st.sampled_from(["=", "!=", "<", ">="])), e(Type.DATE), e(Type.DATE))
        if choice == 3:
            return Binary(draw(st.sampled_from(["=", "!="])), e(Type.STRING), e(Type.STRING))
        if choice == 4:
            return Binary(
                draw(st.sampled_from(["=", "!="])),
                Ref("C1"),
                String(draw(st.sampled_from(OPTIONS))),
            )
        if choice == 5:
            return Unary("not", e(t))
        if choice in (6, 7):
            return Binary(draw(st.sampled_from(["and", "or"])), e(t), e(t))
        if choice == 8:
            return Implies(e(t), e(t))
        if choice == 9:
            kind = draw(st.sampled_from(list(PYTHON_TYPE)[:-1]))
            if kind in (Type.CHOICE, Type.MULTI):
                return Call(
                    draw(st.sampled_from(["blank", "filled"])),
                    (Ref("C1" if kind == Type.CHOICE else "M1"),),
                )
            return Call(draw(st.sampled_from(["blank", "filled"])), (e(kind),))
        if choice == 10:
            return Call(
                "selected",
                (Ref(draw(st.sampled_from(["M1", "C1"]))), String(draw(st.sampled_from(OPTIONS)))),
            )
        if choice == 11:
            args = draw(
                st.lists(
                    st.one_of(ranges(), expressions(Type.NUMBER, sub, in_prev)),
                    min_size=1,
                    max_size=3,
                )
            )
            return Call(draw(st.sampled_from(["all_filled", "any_filled"])), tuple(args))
        if choice == 12:
            return Conditional(e(t), e(t), e(t))
        if choice == 13 and not in_prev:
            return Call("prev", (e(t, True),))
        return Binary("=", e(t), e(t))
    if t == Type.STRING:
        if leaf:
            return String(draw(st.text(max_size=4))) if draw(st.booleans()) else Ref("S1")
        choice = draw(st.integers(0, 2))
        if choice == 0:
            return Call("coalesce", (e(t), e(t)))
        if choice == 1 and not in_prev:
            return Call("prev", (e(t, True),))
        return Conditional(e(Type.BOOLEAN), e(t), e(t))
    if t == Type.DATE:
        if leaf:
            choice = draw(st.integers(0, 3 if not in_prev else 1))
            if choice == 0:
                return Call("date", (String(draw(st.dates()).isoformat()),))
            if choice == 1:
                return Ref(draw(st.sampled_from(["T1", "T2"])))
            if choice == 3:
                return Call("other", (Ref("X"), Ref("XT")))
            return Call(draw(st.sampled_from(PERIOD_FUNCTIONS)), ())
        choice = draw(st.integers(0, 2))
        if choice == 0:
            return Call("coalesce", (e(t), e(t)))
        if choice == 1 and not in_prev:
            return Call("prev", (e(t, True),))
        return Conditional(e(Type.BOOLEAN), e(t), e(t))
    raise AssertionError(t)


any_expression = st.sampled_from([Type.NUMBER, Type.BOOLEAN, Type.STRING, Type.DATE]).flatmap(
    lambda t: expressions(t, 4)
)

# -- 1. hostile input -----------------------------------------------------------

TOKENS = [
    "Q1", "N1", "N2", "S1", "C1", "M1", "B1", "T1", "D1.W01.K1", "D1.W02:W03.K1", "D1.W01.K1:K2",
    "D9.W01:W02.K1", "1", "0", "2.5", "007", "'a'", '"x"', "'", '"', "true", "false", "blank",
    "if", "then", "else", "and", "or", "not", "+", "-", "*", "/", "×", "÷", "=", "==", "!=", "<>",
    "<", "<=", ">", ">=", "(", ")", ",", ":", ".", "sum", "count", "min", "max", "abs", "round",
    "filled", "selected", "count_selected", "prev", "coalesce", "date", "all_filled", "{", "}",
    "#", "\n", "\\", "ą", "\x00", "period_start", "period_end", "deadline", "()", "@deadline",
    "other", "X", "XT", "@X:XT",
]  # fmt: skip


def compile_or_error(source: str) -> None:
    try:
        expression = compile_expression(source, SCHEMA)
    except RuleEngineError:
        return
    for missing in MissingValues:
        with contextlib.suppress(RuleEngineError):
            expression.evaluate({"N1": Decimal(1), "D1.W01.K1": Decimal(0)}, {}, missing)


@SETTINGS
@given(st.text(max_size=60))
def test_random_text_gives_only_rule_engine_errors(source: str) -> None:
    compile_or_error(source)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", ""]))
def test_random_token_soups_give_only_rule_engine_errors(tokens: list[str], sep: str) -> None:
    compile_or_error(sep.join(tokens))


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=15).map(" ".join))
def test_random_message_templates_give_only_rule_engine_errors(template: str) -> None:
    with contextlib.suppress(RuleEngineError):
        compile_message(template, SCHEMA).render({"N1": Decimal(1)})


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 400))
def test_deep_nesting_gives_only_rule_engine_errors(n: int) -> None:
    for source in ("(" * n + "1" + ")" * n, "-" * n + "1", "not " * n + "true", "1" + " + 1" * n):
        compile_or_error(source)


# -- 2. well-typed expressions never crash --------------------------------------


@SETTINGS
@given(any_expression, values_strategy, previous_strategy)
def test_well_typed_expressions_evaluate_without_errors(
    tree: Node, values: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    expression = compile_expression(to_source(tree), SCHEMA)
    for missing in MissingValues:
        result = expression.evaluate(values, previous, missing)
        assert result is None or isinstance(result, PYTHON_TYPE[expression.type])


@SETTINGS
@given(expressions(Type.BOOLEAN, 4), values_strategy, previous_strategy)
def test_well_typed_rules_give_a_status_without_errors(
    tree: Node, values: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    source = to_source(tree)
    rules = [
        compile_rule(
            f"r-{missing.value}",
            source,
            SCHEMA,
            severity=Severity.ERROR,
            message_pl=f"{{{source}}} / {{N1}} / {{S1}} / {{M1}} / {{T1}} / {{period_end()}}",
            message_en="{N1 / N2}",
            missing=missing,
        )
        for missing in MissingValues
    ]
    for rule, result in zip(rules, evaluate_rules(rules, values, previous), strict=True):
        assert result.status in ("passed", "failed", "skipped")
        assert (result.message_pl is not None) == (result.status == "failed")
        # The engine and the expression agree on the value.
        value = rule.expression.evaluate(values, previous, rule.missing)
        expected = {True: "passed", False: "failed", None: "skipped"}[value]
        assert result.status == expected


@SETTINGS
@given(
    expressions(Type.DATE, 3),
    st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
    st.sampled_from(PERIOD_FUNCTIONS),
    st.booleans(),
    values_strategy,
    st.one_of(st.none(), values_strategy),
)
def test_a_rule_comparing_with_the_periods_dates_is_skipped_without_a_period(
    tree: Node,
    op: str,
    function: str,
    period_first: bool,
    values: dict[str, Any],
    previous: dict[str, Any] | None,
) -> None:
    date, period = f"({to_source(tree)})", f"{function}()"
    source = f"{period} {op} {date}" if period_first else f"{date} {op} {period}"
    for missing in MissingValues:
        rule = compile_rule(
            "r", source, SCHEMA, severity=Severity.ERROR, message_pl="x", message_en="x",
            missing=missing,
        )  # fmt: skip
        assert rule.uses_period
        assert not {"@period_start", "@period_end", "@deadline"} & set(rule.fields)
        assert rule.check(values, previous).status == "skipped"


@SETTINGS
@given(
    st.one_of(st.none(), st.dates()),
    st.sampled_from(PERIOD_FUNCTIONS),
    st.dates(),
    values_strategy,
)
def test_a_rule_reads_the_periods_date_it_is_given(
    entered: datetime.date | None, function: str, day: datetime.date, previous: dict[str, Any]
) -> None:
    name = {"period_start": "start", "period_end": "end", "deadline": "deadline"}[function]
    rule = compile_rule(
        "r", f"T1 <= {function}()", SCHEMA, severity=Severity.ERROR,
        message_pl=f"{{T1}} po {{{function}()}}", message_en="{T1}",
    )  # fmt: skip
    result = rule.check({"T1": entered}, {**previous, **period_values(**{name: day})})
    if entered is None:
        assert result.status == "skipped"
    elif entered <= day:
        assert result.status == "passed"
    else:
        assert result.status == "failed"
        assert result.message_pl == f"{entered:%d.%m.%Y} po {day:%d.%m.%Y}"


@SETTINGS
@given(
    expressions(Type.NUMBER, 3),
    st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
    st.booleans(),
    values_strategy,
    st.one_of(st.none(), values_strategy, periods),
)
def test_a_rule_reading_another_forms_blank_value_is_skipped(
    tree: Node,
    op: str,
    other_first: bool,
    values: dict[str, Any],
    previous: dict[str, Any] | None,
) -> None:
    number, other = f"({to_source(tree)})", "other(X, D1.W01.K1)"
    source = f"{other} {op} {number}" if other_first else f"{number} {op} {other}"
    for missing in MissingValues:
        rule = compile_rule(
            "r", source, SCHEMA, severity=Severity.ERROR, message_pl="{other(X, D1.W01.K1)}",
            message_en="x", missing=missing,
        )  # fmt: skip
        assert rule.reads_other == ("X",)
        assert not any(field.startswith("@") for field in rule.fields)
        # Never read as 0, not even under blank_as_zero: absent, it makes the rule skipped.
        assert rule.check(values, previous).status == "skipped"
        assert rule.check(values, {**(previous or {}), "@X:D1.W01.K1": None}).status == "skipped"


@SETTINGS
@given(numbers, numbers, values_strategy)
def test_a_rule_reads_the_other_forms_value_it_is_given(
    mine: Decimal | None, theirs: Decimal | None, previous: dict[str, Any]
) -> None:
    rule = compile_rule(
        "r", "D1.W02.K1 <= other(X, D1.W01.K1)", SCHEMA, severity=Severity.ERROR,
        message_pl="{D1.W02.K1} > {other(X, D1.W01.K1)}", message_en="x",
    )  # fmt: skip
    result = rule.check(
        {"D1.W02.K1": mine}, {**previous, **other_values("X", {"D1.W01.K1": theirs})}
    )
    if mine is None or theirs is None:
        assert result.status == "skipped"
    elif mine <= theirs:
        assert result.status == "passed"
    else:
        assert result.status == "failed"
        assert rule.fields == ("D1.W02.K1",)


# -- 3. printing and parsing round-trip -----------------------------------------


@SETTINGS
@given(any_expression)
def test_to_source_then_parse_gives_the_same_tree(tree: Node) -> None:
    source = to_source(tree)
    assert parse(source) == tree
    assert to_source(parse(source)) == source
