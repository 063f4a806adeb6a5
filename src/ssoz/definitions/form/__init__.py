"""A form definition compiled for use: its structure for the pages, and one engine for values.

:func:`compile_definition` (:mod:`.build`) turns checked definition data (see
:mod:`ssoz.definitions.loader`) into a :class:`CompiledForm`: every field and table cell with its
type (:mod:`.structure`) and converter (:mod:`.converters`), every relevance condition,
calculation, generated total and rule compiled by the rule language, and the order in which
computed fields and conditions are worked out (:mod:`.plan`). Every problem — unknown
references, type mismatches, syntax errors, repeated codes, totals over missing rows, blocked
cells used in expressions, cycles — is collected with its line and item and raised together.

:meth:`CompiledForm.check` (:mod:`.engine`) is the one engine behind saving, „Weryfikuj bez
wysyłania”, „Wyślij”, the API and bulk re-validation. Compiling is slow and checking is fast, so
compiled forms are cached per (version id, checksum): see :func:`cached_form` (:mod:`.cache`).
"""

from .build import compile_definition
from .cache import cached_form, clear_cache, remember_form
from .converters import Problem
from .engine import CheckResult, CompiledForm, Finding, Stage
from .structure import (
    Choice,
    Column,
    Deadline,
    Field,
    FieldType,
    OtherReports,
    Period,
    Read,
    Row,
    Section,
    Table,
    Text,
)

__all__ = [
    "CheckResult",
    "Choice",
    "Column",
    "CompiledForm",
    "Deadline",
    "Field",
    "FieldType",
    "Finding",
    "OtherReports",
    "Period",
    "Read",
    "Problem",
    "Row",
    "Section",
    "Stage",
    "Table",
    "Text",
    "cached_form",
    "clear_cache",
    "compile_definition",
    "remember_form",
]
