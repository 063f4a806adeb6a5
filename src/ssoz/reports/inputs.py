"""What a person or a system sends as a report's values, read in one place.

The report page posts a form (the background save sends the same fields urlencoded), a file
upload gives rows of reference and value, and the API sends JSON. Each becomes a `ReportInput`
here, and `bounded` keeps of it only what can be stored as typed: the form's own input fields,
text of bounded size, and explanations of the warnings the form has. The workflow's save calls
`bounded` itself, so no caller can store more.
"""

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

from ssoz.definitions.rules import Severity
from ssoz.lib.ids import parse_int

# What one field may hold. Longer input is not stored (and said so): a form field is never a
# place for megabytes, and bounded rows keep saves and exports fast.
MAX_VALUE_CHARS = 20_000
MAX_CHOSEN = 200
MAX_EXPLANATION_CHARS = 5_000
EXPLANATION_PREFIX = "explanation:"


@dataclass
class ReportInput:
    """Values typed on a page loaded at `base_revision` (None: not known), and explanations
    of warnings (None: none were sent, so the stored ones stay). `complete`: the values are
    the whole form, as a page posts it, so a multiple choice absent from them is cleared."""

    changes: dict[str, object] = field(default_factory=dict)
    explanations: dict[str, str] | None = None
    base_revision: int | None = None
    complete: bool = False


@dataclass(frozen=True)
class _FormKeys:
    inputs: frozenset[str]
    multiple: frozenset[str]
    warnings: frozenset[str]


# What `bounded` needs of a form, worked out once per compiled form (they are cached and
# never change).
_keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _form_keys(form) -> _FormKeys:
    keys = _keys.get(form)
    if keys is None:
        keys = _FormKeys(
            inputs=frozenset(ref for ref, spec in form.fields.items() if spec.is_input),
            multiple=frozenset(
                ref for ref, spec in form.fields.items() if spec.type == "multiple_choice"
            ),
            warnings=frozenset(
                rule.rule_id for rule in form.rules if rule.severity == Severity.WARNING
            ),
        )
        _keys[form] = keys
    return keys


def _revision(value: object) -> int | None:
    return parse_int(value, minimum=0, maximum=2**31 - 1)


_NOT_VALUES = frozenset({"revision", "action", "csrfmiddlewaretoken", "confirm"})


def from_post(data) -> ReportInput:
    """A posted form (a QueryDict), read without knowing the form: every field by its
    reference, with all its values (a multiple choice has several); explanations as
    "explanation:<rule>"; the page's revision as "revision". A page posts its whole form, so
    the result is `complete`; `bounded` keeps of it only the form's own fields."""
    changes: dict[str, object] = {}
    explanations: dict[str, str] = {}
    for key in data:
        if key.startswith(EXPLANATION_PREFIX):
            explanations[key[len(EXPLANATION_PREFIX) :]] = data[key]
        elif key not in _NOT_VALUES:
            changes[key] = data.getlist(key)
    return ReportInput(
        changes=changes,
        explanations=explanations or None,
        base_revision=_revision(data.get("revision", "")),
        complete=True,
    )


def from_json(payload: Mapping[str, object]) -> ReportInput:
    """A JSON object {"values": {ref: text or [codes]}, "explanations": {rule: text},
    "revision": n}; numbers are taken as the text they would be typed as."""
    values = payload.get("values")
    changes: dict[str, object] = {}
    if isinstance(values, Mapping):
        for ref, value in values.items():
            if isinstance(value, list):
                changes[str(ref)] = [str(item) for item in value]
            elif value is None:
                changes[str(ref)] = ""
            elif isinstance(value, bool):
                changes[str(ref)] = "tak" if value else "nie"
            else:
                changes[str(ref)] = str(value)
    explanations = payload.get("explanations")
    return ReportInput(
        changes=changes,
        explanations=(
            {str(rule): str(text) for rule, text in explanations.items()}
            if isinstance(explanations, Mapping)
            else None
        ),
        base_revision=_revision(payload.get("revision")),
    )


def from_rows(rows: Iterable[tuple[str, object]], form) -> ReportInput:
    """Rows of (reference, value) from an uploaded file; a multiple choice's codes are
    separated by ";" or given on rows of their own."""
    multiple = _form_keys(form).multiple
    changes: dict[str, object] = {}
    for ref, value in rows:
        text = "" if value is None else str(value)
        if ref in multiple:
            codes = [code.strip() for code in text.split(";") if code.strip()]
            existing = changes.setdefault(ref, [])
            assert isinstance(existing, list)
            existing.extend(codes)
        else:
            changes[ref] = text
    return ReportInput(changes=changes)


def bounded(
    changes: Mapping[str, object], form, *, complete: bool = False
) -> tuple[dict[str, object], dict[str, str]]:
    """Keep what can be stored as typed (text; a list of codes for multiple choice) of the
    form's own input fields; say why the rest of its fields cannot be stored. References the
    form does not have are dropped, as a stray form field would be. With `complete`, a
    multiple choice absent from `changes` is cleared."""
    keys = _form_keys(form)
    accepted: dict[str, object] = {}
    refused: dict[str, str] = {}
    too_long = gettext(
        "Wpisany tekst jest za długi (ponad %(limit)s znaków) i nie został zapisany."
    ) % {"limit": f"{MAX_VALUE_CHARS:,}".replace(",", " ")}
    if complete:
        changes = {**dict.fromkeys(keys.multiple - changes.keys(), []), **changes}
    for ref, raw in changes.items():
        if ref not in keys.inputs:
            continue
        if ref in keys.multiple:
            items = raw if isinstance(raw, list | tuple) else [raw]
            value: object = [str(item).replace("\x00", "") for item in items][:MAX_CHOSEN]
            size = sum(len(item) for item in value)
        else:
            if isinstance(raw, list | tuple):
                raw = raw[-1] if raw else ""  # a field posted twice: its last value, as Django
            value = str(raw).replace("\x00", "")
            size = len(value)
        if size > MAX_VALUE_CHARS:
            refused[ref] = too_long
            continue
        accepted[ref] = value
    return accepted, refused


def bounded_explanations(explanations: Mapping[str, object], form) -> dict[str, str]:
    """Explanations of the warnings this form has, each at most MAX_EXPLANATION_CHARS long;
    invented rule ids are dropped, so they can neither fill the report nor its audit trail."""
    warnings = _form_keys(form).warnings
    return {
        rule_id: str(text).replace("\x00", "")[:MAX_EXPLANATION_CHARS].strip()
        for rule_id, text in explanations.items()
        if rule_id in warnings
    }
