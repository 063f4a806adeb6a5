"""The keys of the definition format, in the order of docs/form-format.md: the order the
spreadsheet reader builds dicts in and the YAML dumper writes them in."""

from __future__ import annotations

TOP_KEYS = (
    "format",
    "code",
    "version",
    "title",
    "kind",
    "period",
    "cumulative",
    "levels",
    "entity_types",
    "accounts",
    "zero_report",
    "deadline",
    "header",
    "intro",
    "footer",
    "reads",
    "sections",
    "rules",
    "records",
)
DEADLINE_KEYS = ("month", "day", "years_after_period", "days_after_period_end")
SECTION_KEYS = ("code", "title", "help", "relevant", "fields", "table", "rules")
FIELD_KEYS = (
    "code",
    "type",
    "label",
    "help",
    "unit",
    "required",
    "relevant",
    "choices",
    "min",
    "max",
    "precision",
    "max_length",
    "calculation",
)
CHOICE_KEYS = ("code", "label", "score")
TABLE_KEYS = ("columns", "rows", "min", "max", "required")
COLUMN_KEYS = (
    "code",
    "label",
    "help",
    "type",
    "precision",
    "unit",
    "total",
    "of_which",
    "min",
    "max",
    "required",
)
ROW_KEYS = ("code", "label", "help", "total", "of_which", "blocked", "indent", "number")
READ_KEYS = ("form", "as", "cells", "before_sending")
RULE_KEYS = ("id", "for_each", "severity", "expression", "message", "missing", "fields")
RECORDS_KEYS = ("name", "title", "help", "summary", "max", "sections", "rules")
TEXT_KEYS = ("pl", "en")
# The keys of each kind of mapping, by kind (a text is a {pl, en} pair).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "top": TOP_KEYS,
    "deadline": DEADLINE_KEYS,
    "section": SECTION_KEYS,
    "field": FIELD_KEYS,
    "choice": CHOICE_KEYS,
    "table": TABLE_KEYS,
    "column": COLUMN_KEYS,
    "row": ROW_KEYS,
    "read": READ_KEYS,
    "rule": RULE_KEYS,
    "records": RECORDS_KEYS,
    "text": TEXT_KEYS,
}
