"""Helpers for the definition tests: small definitions are written inline, as YAML text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from ssoz.definitions.form import CompiledForm, compile_definition
from ssoz.definitions.loader import parse_definition

HEADER = """\
format: ssoz-form/1
code: TEST-1
version: "2025"
title: {pl: Formularz testowy, en: Test form}
kind: periodic
period: year
levels: [entity]
"""


def definition(body: str, header: str = HEADER) -> str:
    """A whole definition: the usual top-level keys, then ``body`` (dedented)."""
    return header + textwrap.dedent(body)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(found) >= occurrence, f"{fragment!r} is not in the text"
    return found[occurrence - 1]


@pytest.fixture
def compile_yaml() -> Callable[[str], CompiledForm]:
    def compile_(text: str) -> CompiledForm:
        return compile_definition(
            parse_definition(text, filename="test.yaml"), filename="test.yaml"
        )

    return compile_
