"""What the report page shows: the form's sections, fields and tables in the user's language,
with the values as typed, their problems, the rule messages and last period's values.

Built from the compiled form and the engine's result, so templates stay plain loops.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

from ssoz.definitions.rules import format_value

NUMERIC_TYPES = {"integer", "decimal", "percentage", "money"}


def dom_id(ref: str) -> str:
    """An HTML id for a field reference ("D1.W01.K1" → "f-D1-W01-K1")."""
    return "f-" + ref.replace(".", "-")


@dataclass
class Message:
    severity: str  # "error" | "warning" | "info"
    text: str
    rule_id: str = ""


@dataclass
class FieldView:
    ref: str
    type: str
    label: str
    help: str = ""
    unit: str = ""
    required: bool = False
    computed: bool = False
    relevant: bool = True
    value: str = ""
    selected: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    previous: str = ""
    change: str = ""
    max_length: int | None = None

    @property
    def id(self) -> str:
        return dom_id(self.ref)

    @property
    def has_error(self) -> bool:
        return any(message.severity == "error" for message in self.messages)

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass
class CellView(FieldView):
    blocked: bool = False


@dataclass
class RowView:
    code: str
    label: str
    indent: int
    cells: list[CellView]
    is_total: bool = False
    number: str | None = None  # shown in place of the code (A.I.1), the code beside it


@dataclass
class TableView:
    columns: list[tuple[str, str, str]]  # code, label, unit
    rows: list[RowView]


@dataclass
class SectionView:
    code: str
    title: str
    help: str
    relevant: bool
    fields: list[FieldView]
    table: TableView | None
    error_count: int = 0
    warning_count: int = 0

    @property
    def id(self) -> str:
        return "section-" + self.code.replace(".", "-")


@dataclass
class ReportView:
    sections: list[SectionView]
    summary: list[tuple[Message, str]]  # message and the id of the first field it concerns


@dataclass
class VerificationView:
    """What a verification changes on a page that already shows the form: the summary, the
    messages at each field (by HTML id), and each section's counts and relevance. The page's
    script applies it, so the form's fields are not drawn again."""

    summary: list[tuple[Message, str]]
    sections: list[SectionView]  # without their fields: code, title, counts and relevance
    messages: dict[str, list[tuple[str, str]]]  # HTML id: (severity, text)
    irrelevant: list[str]  # HTML ids of the fields that do not apply
    computed: dict[str, str]  # HTML id: the computed value as shown


def _severity(finding) -> str:
    return str(getattr(finding.severity, "value", finding.severity))


def _messages_by_ref(
    result, language: str, labels: Mapping[str, str]
) -> tuple[dict[str, list[Message]], list]:
    """Messages at their fields, and the summary list linking to the first field of each."""
    by_ref: dict[str, list[Message]] = defaultdict(list)
    if result is None:
        return by_ref, []
    for ref, problems in result.field_problems.items():
        for problem in problems:
            text_ = problem.message_en if language == "en" else problem.message_pl
            by_ref[ref].append(Message("error", text_))
    summary = []
    for finding in [*result.errors, *result.warnings, *result.infos]:
        text_ = finding.message_en if language == "en" else finding.message_pl
        fields = list(finding.fields)
        if finding.rule_id is None and fields:
            # A problem with one value: the summary names the field it is about.
            label = labels.get(fields[0], fields[0])
            separator = " – " if label.rstrip().endswith(("?", ":", ".")) else ": "
            text_ = f"{label}{separator}{text_}"
        message = Message(_severity(finding), text_ or "", finding.rule_id or "")
        if finding.rule_id is not None:
            # Problems with single values are attached above; rule messages go to every field
            # the rule concerns, so each is highlighted.
            for ref in fields:
                by_ref[ref].append(message)
        summary.append((message, dom_id(fields[0]) if fields else ""))
    return by_ref, summary


def _language() -> str:
    return "en" if (get_language() or "pl").startswith("en") else "pl"


def _section_view(
    section, messages, irrelevant, language: str, fields=(), table=None
) -> SectionView:
    section_messages = [m for ref in section.refs for m in messages.get(ref, [])]
    return SectionView(
        code=section.code,
        title=_text(section.title, language),
        help=_text(section.help, language),
        relevant=not section.refs or not set(section.refs) <= irrelevant,
        fields=list(fields),
        table=table,
        error_count=sum(1 for m in section_messages if m.severity == "error"),
        warning_count=sum(1 for m in section_messages if m.severity == "warning"),
    )


def build_verification_view(form, result) -> VerificationView:
    """The verification's changes to a form already on the page (see `VerificationView`)."""
    language = _language()
    labels = {ref: _text(spec.label, language) for ref, spec in form.fields.items()}
    messages, summary = _messages_by_ref(result, language, labels)
    irrelevant = set(result.irrelevant)
    return VerificationView(
        summary=summary,
        sections=[
            _section_view(section, messages, irrelevant, language) for section in form.sections
        ],
        messages={
            dom_id(ref): [(m.severity, m.text) for m in found]
            for ref, found in messages.items()
            if found
        },
        irrelevant=sorted(dom_id(ref) for ref in irrelevant),
        computed={
            dom_id(ref): format_value(result.values[ref])
            if result.values.get(ref) is not None
            else ""
            for ref in form.computed_order
        },
    )


def _change(current: object, previous: object) -> str:
    try:
        now, before = Decimal(str(current)), Decimal(str(previous))
    except (InvalidOperation, ValueError):
        return ""
    if before == 0:
        return ""
    percent = (now - before) / abs(before) * 100
    return f"{percent:+.1f}%".replace(".", ",")


def _text(value, language: str) -> str:
    return value.get(language) if value is not None else ""


def build_report_view(
    form,
    raw: Mapping[str, object],
    result,
    previous: Mapping[str, object] | None = None,
    *,
    read_only: bool = False,
) -> ReportView:
    """The page's model: every section with its fields or table, values as typed, messages.
    `read_only` (a sent version, a report nobody may change now): numbers as they read in the
    page's language („11,5”, „1 234”), not as a sent version keeps them („11.5”)."""
    language = _language()
    previous = previous or {}
    labels = {ref: _text(spec.label, language) for ref, spec in form.fields.items()}
    messages, summary = _messages_by_ref(result, language, labels)
    irrelevant = set(result.irrelevant) if result is not None else set()
    values = result.values if result is not None else {}

    def view_of(spec, factory=FieldView, **extra) -> FieldView:
        ref = spec.ref
        view = factory(
            ref=ref,
            type=str(spec.type),
            label=_text(spec.label, language),
            help=_text(spec.help, language),
            unit=_text(spec.unit, language),
            required=spec.required,
            computed=spec.computed,
            relevant=ref not in irrelevant,
            choices=[(choice.code, _text(choice.label, language)) for choice in spec.choices],
            max_length=spec.max_length,
            messages=messages.get(ref, []),
            **extra,
        )
        if spec.computed:
            view.value = format_value(values[ref]) if values.get(ref) is not None else ""
        else:
            stored = raw.get(ref, "")
            if isinstance(stored, list):
                view.selected = [str(code) for code in stored]
                view.value = ", ".join(view.selected)
            elif read_only and view.is_numeric and values.get(ref) is not None:
                view.value = format_value(values[ref], language)
            else:
                view.value = str(stored)
        if previous.get(ref) is not None:
            view.previous = format_value(previous[ref])
            if view.is_numeric and values.get(ref) is not None:
                view.change = _change(values[ref], previous[ref])
        return view

    sections = []
    for section in form.sections:
        fields = [view_of(spec) for spec in section.fields]
        table = None
        if section.table is not None:
            table = TableView(
                columns=[
                    (column.code, _text(column.label, language), _text(column.unit, language))
                    for column in section.table.columns
                ],
                rows=[
                    RowView(
                        code=row.code,
                        label=_text(row.label, language),
                        indent=row.indent,
                        is_total=bool(row.total),
                        number=row.number,
                        cells=[view_of(cell, CellView, blocked=cell.blocked) for cell in cells],
                    )
                    for row, cells in section.table.grid
                ],
            )
        sections.append(
            _section_view(section, messages, irrelevant, language, fields=fields, table=table)
        )
    return ReportView(sections=sections, summary=summary)
