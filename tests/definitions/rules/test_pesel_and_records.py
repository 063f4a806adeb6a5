"""pesel_birth_date(), pesel_sex() and record_count(): what a PESEL number holds, read in
rules as python-stdnum reads it, and the number of a report's records as a value of the
context."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.pl import pesel

from ssoz.definitions.rules import RECORD_COUNT_KEY, RuleTypeError, Type, compile_expression

from .conftest import DATE, Evaluate, d


@st.composite
def valid_pesels(draw) -> tuple[str, datetime.date, str]:
    born = draw(st.dates(min_value=DATE(1800, 1, 1), max_value=DATE(2299, 12, 31)))
    century = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[born.year // 100]
    serial = draw(st.integers(min_value=0, max_value=9999))
    body = f"{born.year % 100:02d}{born.month + century:02d}{born.day:02d}{serial:04d}"
    number = body + pesel.calc_check_digit(body)
    return number, born, "K" if serial % 2 == 0 else "M"


@given(valid_pesels())
def test_a_valid_pesel_gives_its_date_of_birth_and_sex(ev: Evaluate, found) -> None:
    number, born, sex = found
    assert ev("pesel_birth_date(name)", {"name": number}) == born
    assert ev("pesel_sex(name)", {"name": number}) == sex
    assert ev("start == pesel_birth_date(name)", {"name": number, "start": born}) is True


@given(st.text(max_size=20))
def test_anything_else_gives_blank_and_never_fails(ev: Evaluate, text: str) -> None:
    valid = len(text) == 11 and text.isascii() and text.isdigit() and pesel.is_valid(text)
    born = ev("pesel_birth_date(name)", {"name": text} if text else {})
    assert (born is not None) == valid
    assert (ev("pesel_sex(name)", {"name": text} if text else {}) is not None) == valid


def test_a_wrong_check_digit_is_blank(ev: Evaluate) -> None:
    assert ev("pesel_birth_date(name)", {"name": "44051401358"}) is None
    assert ev("pesel_birth_date(name)", {"name": "44051401359"}) == DATE(1944, 5, 14)


def test_the_pesel_functions_take_text_and_give_a_date_and_a_text(schema) -> None:
    assert compile_expression("pesel_birth_date(name)", schema).type == Type.DATE
    assert compile_expression("pesel_sex(name)", schema).type == Type.STRING
    with pytest.raises(RuleTypeError):
        compile_expression("pesel_sex(Q1)", schema)


def test_record_count_is_a_number_of_the_context(ev: Evaluate, schema) -> None:
    assert compile_expression("record_count()", schema).type == Type.NUMBER
    assert ev("Q1 == record_count()", {"Q1": d(3)}, {RECORD_COUNT_KEY: d(3)}) is True
    assert ev("Q1 == record_count()", {"Q1": d(3)}, {RECORD_COUNT_KEY: d(2)}) is False
    assert ev("Q1 == record_count()", {"Q1": d(3)}) is None  # without records: skipped
