"""The grammar: what parses into which tree, and the canonical printer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ssoz.definitions.rules import parse, to_source
from ssoz.definitions.rules.nodes import (
    Binary,
    Blank,
    Boolean,
    Call,
    Conditional,
    Implies,
    Number,
    Range,
    Ref,
    String,
    Unary,
)


def test_integer_and_decimal_literals_become_decimals() -> None:
    assert parse("42") == Number(Decimal(42))
    assert parse("3.25") == Number(Decimal("3.25"))
    node = parse("0.1")
    assert isinstance(node, Number) and isinstance(node.value, Decimal)


def test_strings_take_single_or_double_quotes_and_backslash_escapes() -> None:
    assert parse("'tak'") == String("tak")
    assert parse('"tak"') == String("tak")
    assert parse(r"'it\'s'") == String("it's")
    assert parse(r'"say \"hi\""') == String('say "hi"')
    assert parse(r"'a\\b\nc'") == String("a\\b\nc")


def test_true_false_and_blank_are_literals() -> None:
    assert parse("true") == Boolean(True)
    assert parse("false") == Boolean(False)
    assert parse("blank") == Blank()


def test_field_codes_and_cell_addresses_are_refs() -> None:
    assert parse("Q1_2") == Ref("Q1_2")
    assert parse("team_size") == Ref("team_size")
    assert parse("A3.q4") == Ref("A3.q4")
    assert parse("D1.W01.K1") == Ref("D1.W01.K1")


def test_refs_may_use_polish_letters() -> None:
    assert parse("liczba_łóżek") == Ref("liczba_łóżek")


def test_keywords_inside_longer_names_stay_names() -> None:
    assert parse("andrzej or notes") == Binary("or", Ref("andrzej"), Ref("notes"))
    assert parse("iffy") == Ref("iffy")


def test_row_range_names_section_rows_and_column() -> None:
    assert parse("sum(D1.W02:W09.K1)") == Call("sum", (Range("D1", "rows", "W02", "W09", "K1"),))


def test_column_range_names_section_row_and_columns() -> None:
    assert parse("sum(D1.W01.K1:K5)") == Call("sum", (Range("D1", "columns", "K1", "K5", "W01"),))


def test_range_section_may_have_dots() -> None:
    node = parse("sum(A.D1.W02:W03.K1)")
    assert node == Call("sum", (Range("A.D1", "rows", "W02", "W03", "K1"),))


def test_multiplication_binds_tighter_than_addition() -> None:
    assert parse("1 + 2 * 3") == Binary(
        "+", Number(Decimal(1)), Binary("*", Number(Decimal(2)), Number(Decimal(3)))
    )


def test_subtraction_is_left_associative() -> None:
    assert parse("Q1 - Q2 - Q3") == Binary("-", Binary("-", Ref("Q1"), Ref("Q2")), Ref("Q3"))


def test_parentheses_override_precedence() -> None:
    assert parse("(1 + 2) * 3") == Binary(
        "*", Binary("+", Number(Decimal(1)), Number(Decimal(2))), Number(Decimal(3))
    )


def test_unary_minus_applies_to_the_atom() -> None:
    assert parse("-Q1 * 2") == Binary("*", Unary("-", Ref("Q1")), Number(Decimal(2)))
    assert parse("--Q1") == Unary("-", Unary("-", Ref("Q1")))


@pytest.mark.parametrize(
    ("source", "op"),
    [("a × b", "*"), ("a ÷ b", "/"), ("a − b", "-"), ("a * b", "*"), ("a / b", "/")],
)
def test_multiplication_and_division_signs_are_aliases(source: str, op: str) -> None:
    assert parse(source) == Binary(op, Ref("a"), Ref("b"))


@pytest.mark.parametrize(
    ("source", "op"),
    [
        ("a = b", "="),
        ("a == b", "="),
        ("a != b", "!="),
        ("a <> b", "!="),
        ("a ≠ b", "!="),
        ("a < b", "<"),
        ("a <= b", "<="),
        ("a ≤ b", "<="),
        ("a > b", ">"),
        ("a >= b", ">="),
        ("a ≥ b", ">="),
    ],
)
def test_comparison_operators_and_their_aliases(source: str, op: str) -> None:
    assert parse(source) == Binary(op, Ref("a"), Ref("b"))


def test_comparison_binds_tighter_than_not_and_and_tighter_than_or() -> None:
    tree = parse("not a > 1 and b or c")
    assert tree == Binary(
        "or",
        Binary("and", Unary("not", Binary(">", Ref("a"), Number(Decimal(1)))), Ref("b")),
        Ref("c"),
    )


def test_if_then_without_else_is_an_implication() -> None:
    assert parse("if a > 0 then b > 0") == Implies(
        Binary(">", Ref("a"), Number(Decimal(0))), Binary(">", Ref("b"), Number(Decimal(0)))
    )


def test_if_then_else_is_a_conditional_value() -> None:
    assert parse("if a then 1 else 2") == Conditional(
        Ref("a"), Number(Decimal(1)), Number(Decimal(2))
    )


def test_else_belongs_to_the_nearest_if() -> None:
    assert parse("if a then if b then c else d") == Implies(
        Ref("a"), Conditional(Ref("b"), Ref("c"), Ref("d"))
    )


def test_else_branch_may_hold_an_implication() -> None:
    assert parse("if a then b else if c then d") == Conditional(
        Ref("a"), Ref("b"), Implies(Ref("c"), Ref("d"))
    )


def test_nested_conditionals_in_both_branches() -> None:
    assert parse("if a then if b then 1 else 2 else 3") == Conditional(
        Ref("a"),
        Conditional(Ref("b"), Number(Decimal(1)), Number(Decimal(2))),
        Number(Decimal(3)),
    )


def test_if_expression_extends_as_far_right_as_possible() -> None:
    assert parse("if a then b and c") == Implies(Ref("a"), Binary("and", Ref("b"), Ref("c")))


def test_function_calls_take_any_number_of_arguments() -> None:
    assert parse("f()") == Call("f", ())
    assert parse("coalesce(Q1, Q2, 0)") == Call(
        "coalesce", (Ref("Q1"), Ref("Q2"), Number(Decimal(0)))
    )


def test_blank_is_both_a_literal_and_a_function() -> None:
    assert parse("blank(Q1)") == Call("blank", (Ref("Q1"),))
    assert parse("coalesce(Q1, blank)") == Call("coalesce", (Ref("Q1"), Blank()))


def test_expressions_may_span_lines() -> None:
    assert parse("Q1\n  +\n  Q2") == Binary("+", Ref("Q1"), Ref("Q2"))


def test_positions_are_one_based_line_and_column() -> None:
    tree = parse("Q1 +\n  Q22")
    assert isinstance(tree, Binary)
    assert tree.right.pos is not None
    assert (tree.right.pos.line, tree.right.pos.column) == (2, 3)
    assert (tree.right.pos.start, tree.right.pos.end) == (7, 10)


def test_positions_do_not_take_part_in_equality() -> None:
    assert parse("Q1+Q2") == parse("  Q1  +  Q2  ")


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("Q1+Q2*3", "Q1 + Q2 * 3"),
        ("(Q1+Q2)*3", "(Q1 + Q2) * 3"),
        ("Q1 - (Q2 - Q3)", "Q1 - (Q2 - Q3)"),
        ("(Q1 - Q2) - Q3", "Q1 - Q2 - Q3"),
        ("a == b", "a = b"),
        ("a <> b", "a != b"),
        ("a × b ÷ c", "a * b / c"),
        ("not (a and b)", "not (a and b)"),
        ("- (-Q1)", "- -Q1"),
        ("-(Q1 + 1)", "-(Q1 + 1)"),
        ("if a then (if b then c) else d", "if a then (if b then c) else d"),
        ("(if a then 1 else 2) + 3", "(if a then 1 else 2) + 3"),
        ("sum( D1.W02:W09.K1 , 2 )", "sum(D1.W02:W09.K1, 2)"),
        ('"it\'s"', r"'it\'s'"),
        ("(a = b) = true", "(a = b) = true"),
    ],
)
def test_to_source_prints_canonical_text_with_only_needed_parentheses(
    source: str, printed: str
) -> None:
    assert to_source(parse(source)) == printed
    assert parse(printed) == parse(source)
