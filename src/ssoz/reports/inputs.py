"""What a person or a system sends as a report's values, read in one place.

The report page posts a form (the background save sends the same fields urlencoded), a file
upload gives rows of reference and value, and the API sends JSON. Each becomes a `ReportInput`
here, and `bounded` keeps of it only what can be stored as typed: the form's own input fields,
text of bounded size, and explanations of the warnings the form has. The workflow's save calls
`bounded` itself, so no caller can store more.
"""

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
    of warnings (None: none were sent, so the stored ones stay)."""

    changes: dict[str, object] = field(default_factory=dict)
    explanations: dict[str, str] | None = None
    base_revision: int | None = None


def input_refs(form) -> set[str]:
    """The references a person fills in: neither computed nor blocked."""
    return {ref for ref, spec in form.fields.items() if spec.is_input}


def warning_ids(form) -> set[str]:
    """The rules whose failure the reporter must explain."""
    return {rule.rule_id for rule in form.rules if rule.severity == Severity.WARNING}


def _multiple(form) -> set[str]:
    return {ref for ref, spec in form.fields.items() if spec.type == "multiple_choice"}


def _revision(value: object) -> int | None:
    return parse_int(value, minimum=0, maximum=2**31 - 1)


def from_post(data, form) -> ReportInput:
    """A posted form (a QueryDict): each input field by its reference, a list for multiple
    choice; explanations as "explanation:<rule>"; the page's revision as "revision".

    The page posts all its fields, so a multiple choice with nothing ticked (and so absent
    from the post) is cleared."""
    multiple = _multiple(form)
    changes: dict[str, object] = {}
    for ref in input_refs(form):
        if ref in multiple:
            changes[ref] = data.getlist(ref)
        elif ref in data:
            changes[ref] = data[ref]
    explanations = {
        key[len(EXPLANATION_PREFIX) :]: value
        for key, value in data.items()
        if key.startswith(EXPLANATION_PREFIX)
    }
    return ReportInput(
        changes=changes,
        explanations=explanations or None,
        base_revision=_revision(data.get("revision", "")),
    )


def from_json(payload: Mapping[str, object], form) -> ReportInput:
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
    multiple = _multiple(form)
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


def bounded(changes: Mapping[str, object], form) -> tuple[dict[str, object], dict[str, str]]:
    """Keep what can be stored as typed (text; a list of codes for multiple choice) of the
    form's own input fields; say why the rest of its fields cannot be stored. References the
    form does not have are dropped, as a stray form field would be."""
    known = input_refs(form)
    accepted: dict[str, object] = {}
    refused: dict[str, str] = {}
    too_long = gettext(
        "Wpisany tekst jest za długi (ponad %(limit)s znaków) i nie został zapisany."
    ) % {"limit": f"{MAX_VALUE_CHARS:,}".replace(",", " ")}
    for ref, raw in changes.items():
        if ref not in known:
            continue
        if isinstance(raw, list | tuple):
            value: object = [str(item).replace("\x00", "") for item in raw][:MAX_CHOSEN]
            size = sum(len(item) for item in value)
        else:
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
    warnings = warning_ids(form)
    return {
        rule_id: str(text).replace("\x00", "")[:MAX_EXPLANATION_CHARS].strip()
        for rule_id, text in explanations.items()
        if rule_id in warnings
    }
