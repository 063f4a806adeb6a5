"""The SSOZ rule language: validation rules, relevance conditions and
computed fields of form definitions.

A closed world: a grammar (``grammar.lark``), a syntax tree of our own
(:mod:`.nodes`), a static checker against the form's :class:`Schema`, and a
compiler to Python closures that know only values and our own functions.
Nothing here evaluates Python source or reaches Python objects. See
``docs/rule-language.md``.
"""

from .engine import (
    CompiledExpression,
    MissingValues,
    Rule,
    RuleResult,
    RuleSet,
    Severity,
    Status,
    compile_expression,
    compile_rule,
    evaluate_rules,
)
from .errors import (
    RuleEngineError,
    RuleSyntaxError,
    RuleTypeError,
    RuleUnknownReferenceError,
    RuleValueError,
)
from .functions import PERIOD_KEYS, RECORD_COUNT_KEY, other_key, other_values, period_values
from .messages import CompiledMessage, compile_message, format_decimal, format_value
from .nodes import to_source
from .parser import parse
from .schema import Schema, TableLayout
from .value_types import Type

__all__ = [
    "PERIOD_KEYS",
    "RECORD_COUNT_KEY",
    "CompiledExpression",
    "CompiledMessage",
    "MissingValues",
    "Rule",
    "RuleEngineError",
    "RuleResult",
    "RuleSet",
    "RuleSyntaxError",
    "RuleTypeError",
    "RuleUnknownReferenceError",
    "RuleValueError",
    "Schema",
    "Severity",
    "Status",
    "TableLayout",
    "Type",
    "compile_expression",
    "compile_message",
    "compile_rule",
    "evaluate_rules",
    "format_decimal",
    "format_value",
    "other_key",
    "other_values",
    "parse",
    "period_values",
    "to_source",
]
