"""The one engine: :meth:`CompiledForm.check` behind saving, „Weryfikuj bez wysyłania”,
„Wyślij”, the API and bulk re-validation, and the :class:`CheckResult` it gives."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import get_language

from ..rules import (
    RECORD_COUNT_KEY,
    Rule,
    RuleEngineError,
    RuleResult,
    RuleSet,
    Schema,
    Severity,
    Status,
    Type,
    evaluate_rules,
    format_value,
    other_values,
)
from ..rules.value_types import PYTHON_TYPES
from .converters import BLOCKED, REQUIRED, Converter, Problem
from .plan import Plan, work_out
from .structure import (
    Deadline,
    Field,
    FieldType,
    OtherReports,
    Period,
    Read,
    Records,
    Section,
    Text,
)

Stage = Literal["save", "verify"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to show the reporter: a problem with a value or a failed rule."""

    severity: Severity
    fields: tuple[str, ...]
    message_pl: str
    message_en: str
    rule_id: str | None = None  # None for a problem with a single value
    code: str | None = None  # the problem code (not_a_number, required, …) for values
    # The code of another form whose report has not been sent yet, when the rule could not be
    # checked for want of it: such a warning asks for no explanation (docs/rule-language.md).
    awaiting: str | None = None

    def message(self, language: str | None = None) -> str:
        english = (language or get_language() or "pl").startswith("en")
        return self.message_en if english else self.message_pl


@dataclass(slots=True)
class CheckResult:
    """What :meth:`CompiledForm.check` found.

    ``values`` holds the typed values of relevant fields, computed ones included; a blank
    field is absent. ``field_problems`` lists, per field, what is wrong with what was typed.
    ``rule_results`` holds the failed and the skipped rules (passed ones are only counted in
    ``rules_passed``); rules run at stage "verify" only. ``irrelevant`` names the fields whose
    relevance condition (or whose section's) does not hold: they are ignored and can be hidden.
    """

    stage: Stage
    values: dict[str, Any]
    field_problems: dict[str, list[Problem]]
    rule_results: list[RuleResult]
    irrelevant: frozenset[str]
    rules_passed: int = 0
    # rule id -> the code of the other form it reads whose report has not been sent yet
    awaiting: dict[str, str] = field(default_factory=dict)

    def _failed(self, severity: Severity) -> list[Finding]:
        awaiting = self.awaiting
        return [
            Finding(
                r.severity,
                r.fields,
                r.message_pl or "",
                r.message_en or "",
                rule_id=r.rule_id,
                awaiting=awaiting.get(r.rule_id),
            )
            for r in self.rule_results
            if r.status == Status.FAILED and r.severity == severity
        ]

    @property
    def errors(self) -> list[Finding]:
        """Problems with values, then failed rules of severity "error": these block sending."""
        found = [
            Finding(Severity.ERROR, (ref,), p.message_pl, p.message_en, code=p.code)
            for ref, problems in self.field_problems.items()
            for p in problems
        ]
        return found + self._failed(Severity.ERROR)

    @property
    def warnings(self) -> list[Finding]:
        return self._failed(Severity.WARNING)

    @property
    def infos(self) -> list[Finding]:
        return self._failed(Severity.INFO)

    def to_dict(
        self, language: str | None = None, *, values_of: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """The result as plain data, its messages and values in `language` (by default the
        active one): for the report page's background save, the upload preview and the API.

        Values read as a person would type them in that language ("1 234,5", "31.12.2024"),
        keyed by reference; blank and irrelevant fields are absent. `values_of` limits them to
        those references (the background save sends back only the computed ones)."""
        lang = "en" if (language or get_language() or "pl").startswith("en") else "pl"

        def findings(items: list[Finding]) -> list[dict[str, Any]]:
            # "awaiting" only on a rule waiting for another form's report (it needs no
            # explanation): every other finding keeps its three keys.
            return [
                {"rule": item.rule_id, "fields": list(item.fields), "message": item.message(lang)}
                | ({"awaiting": item.awaiting} if item.awaiting is not None else {})
                for item in items
            ]

        return {
            "stage": self.stage,
            "sendable": self.is_sendable,
            "values": {
                ref: format_value(value, lang)
                for ref, value in (
                    self.values.items()
                    if values_of is None
                    else ((ref, self.values[ref]) for ref in values_of if ref in self.values)
                )
            },
            "problems": {
                ref: [problem.message(lang) for problem in problems]
                for ref, problems in self.field_problems.items()
            },
            "errors": findings(self._failed(Severity.ERROR)),
            "warnings": findings(self.warnings),
            "infos": findings(self.infos),
            "irrelevant": sorted(self.irrelevant),
            "rules_passed": self.rules_passed,
        }

    @property
    def is_sendable(self) -> bool:
        """Verified and free of errors (warnings allowed: the reports layer asks for their
        explanation). Always False at stage "save", where rules are not run."""
        if self.stage != "verify" or self.field_problems:
            return False
        return not any(
            r.status == Status.FAILED and r.severity == Severity.ERROR for r in self.rule_results
        )


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip() if len(raw) < 1000 else False
    if isinstance(raw, list | tuple | set | frozenset):
        return all(_is_blank(item) for item in raw) if len(raw) < 100 else False
    return False


def _fits(value_type: Type, value: Any) -> bool:
    """Whether a value from the previous period can be handed to the rule engine."""
    if not isinstance(value, PYTHON_TYPES[value_type]):
        return False
    if value_type == Type.NUMBER:
        return value.is_finite()
    if value_type == Type.DATE:
        return not isinstance(value, datetime.datetime)
    if value_type == Type.MULTI:
        return bool(value) and all(isinstance(item, str) for item in value)
    if value_type in (Type.STRING, Type.CHOICE):
        return bool(value)
    return True


class CompiledForm:
    """A form version (wersja formularza) ready for the pages and the engine."""

    def __init__(
        self,
        *,
        code: str,
        version: str,
        title: Text,
        kind: str,
        period: str,
        levels: tuple[str, ...],
        entity_types: tuple[str, ...] | None,
        accounts: tuple[str, ...],
        deadline: Deadline | None,
        zero_report: bool = False,
        reads: tuple[Read, ...] = (),
        records: Records | None = None,
        header: tuple[str, ...],
        intro: Text | None,
        footer: Text | None,
        sections: tuple[Section, ...],
        rules: tuple[Rule, ...],
        rule_sections: tuple[str | None, ...],
        schema: Schema,
        fields: dict[str, Field],
        plan: Plan,
        computed_order: tuple[str, ...],
        uses_previous: bool,
        uses_previous_to_save: bool = True,
        uses_period: bool = False,
        uses_period_to_save: bool = False,
    ) -> None:
        self.code = code
        self.version = version
        self.title = title
        self.kind = kind
        self.period = period
        self.levels = levels
        self.entity_types = entity_types  # None: every entity type
        self.accounts = accounts
        # An entity with nothing to report may send it as a zero report (sprawozdanie zerowe).
        self.zero_report = zero_report
        # The other forms of the same entity and period whose sent reports the rules read.
        self.reads = reads
        # The repeating records each report holds (the cards of MZ/Szp-11B), or None.
        self.records = records
        self.deadline = deadline
        self.header = header
        self.intro = intro
        self.footer = footer
        self.sections = sections
        self.rules = rules  # every rule: generated "of which" rules, section rules, form rules
        self.schema = schema
        self.computed_order = computed_order
        self._fields = fields
        self._plan = plan
        self._rule_sections = rule_sections
        self._rule_set = RuleSet(rules)
        self.refs: tuple[str, ...] = tuple(ref for ref, f in fields.items() if f.is_input)
        self._converters: dict[str, Converter] = {
            ref: f.converter for ref, f in fields.items() if f.is_input and f.converter
        }
        # Personal data (PESEL): shown in full only to those allowed to see it.
        self.personal: frozenset[str] = frozenset(
            ref for ref, f in fields.items() if f.type == FieldType.PESEL
        )
        self._required: tuple[str, ...] = tuple(
            ref for ref, f in fields.items() if f.is_input and f.required
        )
        self._uses_previous = uses_previous
        self._uses_previous_to_save = uses_previous and uses_previous_to_save
        self._uses_period = uses_period
        self._uses_period_to_save = uses_period and uses_period_to_save
        # Only rules read other forms (the build refuses other() elsewhere), so only a verify
        # needs them.
        self._readers: dict[str, tuple[str, ...]] = {
            rule.rule_id: rule.reads_other for rule in rules if rule.reads_other
        }
        self._rule_section: dict[str, str | None] = {
            rule.rule_id: section
            for rule, section in zip(rules, rule_sections, strict=True)
            if rule.reads_other
        }

    def __repr__(self) -> str:
        return f"CompiledForm({self.code!r}, {self.version!r}, {len(self._fields)} fields)"

    @property
    def fields(self) -> Mapping[str, Field]:
        """Every field and cell by ref, in form order, computed and blocked ones included."""
        return self._fields

    def field(self, ref: str) -> Field:
        """The field or cell ``ref``; raises KeyError for an unknown ref."""
        return self._fields[ref]

    def needs_previous(self, stage: Stage) -> bool:
        """Whether checking at `stage` reads last period's values, so that a caller can spare
        itself looking them up (a save runs no rules)."""
        return self._uses_previous_to_save if stage == "save" else self._uses_previous

    def needs_period(self, stage: Stage) -> bool:
        """Whether checking at `stage` reads the period's dates (period_start(), period_end(),
        deadline()), so that a caller without them at hand can spare itself looking them up."""
        return self._uses_period_to_save if stage == "save" else self._uses_period

    def needs_others(self, stage: Stage) -> bool:
        """Whether checking at `stage` reads the reports of other forms (``reads:``): only a
        verify does, and only when the form declares a read."""
        return stage == "verify" and bool(self.reads)

    def section(self, code: str) -> Section:
        return next(section for section in self.sections if section.code == code)

    # -- the engine ---------------------------------------------------------------------------

    def check(
        self,
        raw: Mapping[str, Any],
        previous: Mapping[str, object] | None = None,
        *,
        stage: Stage,
        period: Period | None = None,
        others: OtherReports | None = None,
        record_count: int | None = None,
    ) -> CheckResult:
        """Convert what was typed, work out relevance and computed fields, and (at stage
        "verify") run the rules of relevant sections.

        ``raw`` maps refs to what a person typed (text; a list for multiple choice); blanks
        may be left out. ``previous`` holds the typed values of the approved report for the
        previous period (for ``prev()``), ``period`` the report's period (for
        ``period_start()``, ``period_end()`` and ``deadline()``, blank without it), ``others``
        the sent reports of the forms it reads (for ``other()``): a rule reading one not sent
        yet gives, instead of its own result, a warning saying so (an error under
        ``before_sending``). Without ``others`` their values are blank, and the rules reading
        them skipped. ``record_count`` is the number of the report's records, for
        ``record_count()`` (blank without it). Never raises for bad input: everything odd
        becomes a :class:`Problem`.
        """
        if stage not in ("save", "verify"):
            raise ValueError(f'stage must be "save" or "verify", not {stage!r}')
        values: dict[str, Any] = {}
        problems: dict[str, list[Problem]] = {}
        converters = self._converters
        for key, typed in raw.items():
            convert = converters.get(key)
            if convert is None:
                self._stray(key, typed, problems)
                continue
            value, problem = convert(typed)
            if problem is not None:
                problems[key] = [problem]
            elif value is not None:
                values[key] = value
        past = self._previous(previous)
        if period is not None and self._uses_period:
            past.update(period.values())
        if record_count is not None:
            past[RECORD_COUNT_KEY] = Decimal(record_count)
        unsent: list[Read] = []
        if others is not None and stage == "verify":
            unsent = self._read_others(others, past)
        irrelevant, skipped_sections = work_out(self._plan, values, past, problems)
        if irrelevant:
            for ref in irrelevant.intersection(problems):
                del problems[ref]
        rule_results: list[RuleResult] = []
        passed = 0
        awaiting: dict[str, str] = {}
        if stage == "verify":
            for ref in self._required:
                if ref not in values and ref not in problems and ref not in irrelevant:
                    problems[ref] = [REQUIRED]
            results = self._run_rules(values, past, skipped_sections)
            if unsent:
                results, awaiting = self._awaiting(results, unsent, others, skipped_sections)
            rule_results = [r for r in results if r.status != Status.PASSED]
            passed = len(results) - len(rule_results)
        return CheckResult(
            stage=stage,
            values=values,
            field_problems=problems,
            rule_results=rule_results,
            irrelevant=frozenset(irrelevant),
            rules_passed=passed,
            awaiting=awaiting,
        )

    def stored(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """What a sent report keeps of ``raw``: each value written the one way of its type, as
        statisticians read it back (a number as digits with a decimal point, a date as
        YYYY-MM-DD, yes or no as "tak" or "nie", several choices as a sorted list of codes);
        blanks are left out, and so is a value its converter refuses: only a field the form
        does not ask for (irrelevant) can hold one in a sendable report, and the form ignores
        it. A key the form does not know stays as it is."""
        stored: dict[str, Any] = {}
        converters = self._converters
        for key, typed in raw.items():
            convert = converters.get(key)
            if convert is None:
                stored[key] = typed
                continue
            value, problem = convert(typed)
            if problem is None and value is not None:
                stored[key] = stored_text(value)
        return stored

    def _stray(self, key: Any, typed: Any, problems: dict[str, list[Problem]]) -> None:
        """A value for a computed field (ignored: the engine computes it), a blocked cell or
        a ref the form does not have."""
        known = self._fields.get(key) if isinstance(key, str) else None
        if known is not None:
            if known.blocked and not _is_blank(typed):
                problems[key] = [BLOCKED]
            return
        name = str(key)
        shown = name if len(name) <= 60 else name[:59] + "…"
        problems[name[:200]] = [
            Problem(
                "unknown_field",
                f"Formularz nie ma pola „{shown}”.",
                f'The form has no field "{shown}".',
            )
        ]

    def _previous(self, previous: Mapping[str, object] | None) -> dict[str, Any]:
        """The previous period's values the rule engine can take; anything else is blank."""
        if not previous or not self._uses_previous:
            return {}
        fields = self._fields
        out: dict[str, Any] = {}
        for ref, value in previous.items():
            spec = fields.get(ref) if isinstance(ref, str) else None
            if spec is not None and value is not None and _fits(spec.value_type, value):
                out[ref] = value
        return out

    def _read_others(self, others: OtherReports, past: dict[str, Any]) -> list[Read]:
        """Put the values the rules read from other forms' sent reports beside last period's;
        the reads whose report has not been sent."""
        sent = {code.casefold(): values for code, values in others.sent.items()}
        unsent: list[Read] = []
        for read in self.reads:
            values = sent.get(read.form.casefold())
            if values is None:
                unsent.append(read)
                continue
            typed: dict[str, Any] = {}
            for ref, kind in read.types().items():
                value = typed_from_stored(kind, values.get(ref))
                if value is not None:
                    typed[ref] = value
            past.update(other_values(read.alias, typed))
        return unsent

    def _awaiting(
        self,
        results: list[RuleResult],
        unsent: list[Read],
        others: OtherReports | None,
        skipped_sections: set[str],
    ) -> tuple[list[RuleResult], dict[str, str]]:
        """Each rule that reads a report not sent yet: a warning that says so, or under
        before_sending an error; a before_sending read no rule uses: one error of its own."""
        by_alias = {read.alias: read for read in unsent}
        period = others.period if others is not None else ""
        out: list[RuleResult] = []
        awaiting: dict[str, str] = {}
        used: set[str] = set()
        for result in results:
            aliases = self._readers.get(result.rule_id, ())
            read = next((by_alias[a] for a in aliases if a in by_alias), None)
            if read is None or self._rule_section.get(result.rule_id) in skipped_sections:
                out.append(result)
                continue
            used.add(read.alias)
            awaiting[result.rule_id] = read.form
            out.append(_awaiting_result(result.rule_id, read, period))
        for read in unsent:
            if read.before_sending and read.alias not in used:
                rule_id = f"reads.{read.alias}"
                awaiting[rule_id] = read.form
                out.append(_awaiting_result(rule_id, read, period))
        return out, awaiting

    def _run_rules(
        self, values: dict[str, Any], past: dict[str, Any], skipped_sections: set[str]
    ) -> list[RuleResult]:
        if not skipped_sections:
            rules: Sequence[Rule] = self.rules
            skipped: list[RuleResult] = []
        else:
            rules = []
            skipped = []
            for rule, section in zip(self.rules, self._rule_sections, strict=True):
                if section in skipped_sections:
                    skipped.append(rule.skipped)
                else:
                    rules.append(rule)
        try:
            if skipped_sections:
                results = evaluate_rules(tuple(rules), values, past)
            else:
                results = self._rule_set.evaluate(values, past)
        except RuleEngineError:
            # One rule went out of range (absurd values): check them one by one so that the
            # others still report, and say which one could not be checked.
            results = [_check_one(rule, values, past) for rule in rules]
        return results + skipped


def _check_one(rule: Rule, values: Mapping[str, Any], past: Mapping[str, Any]) -> RuleResult:
    try:
        return rule.check(values, past)
    except RuleEngineError as error:
        return RuleResult(
            rule.rule_id,
            rule.severity,
            Status.FAILED,
            rule.fields,
            f"Nie udało się sprawdzić reguły: {error.message}",
            f"The rule could not be checked: {error.message_en}",
        )


def _awaiting_result(rule_id: str, read: Read, period: str) -> RuleResult:
    form = read.form
    when_pl = f" za {period}" if period else ""
    when_en = f" for {period}" if period else ""
    if read.before_sending:
        return RuleResult(
            rule_id,
            Severity.ERROR,
            Status.FAILED,
            (),
            f"Reguła {rule_id} czyta sprawozdanie {form}{when_pl}, które nie zostało jeszcze "
            f"wysłane. Najpierw wyślij sprawozdanie {form}: to sprawozdanie można wysłać "
            "dopiero po nim.",
            f"The rule {rule_id} reads the {form} report{when_en}, which has not been sent "
            f"yet. Send the {form} report first: this report can be sent only after it.",
        )
    return RuleResult(
        rule_id,
        Severity.WARNING,
        Status.FAILED,
        (),
        f"Reguła {rule_id} czyta sprawozdanie {form}{when_pl}, które nie zostało jeszcze "
        "wysłane: zostanie sprawdzona po jego wysłaniu.",
        f"The rule {rule_id} reads the {form} report{when_en}, which has not been sent yet: "
        "it will be checked once that report is sent.",
    )


def typed_from_stored(value_type: Type, stored: Any) -> Any:
    """A value as a sent report stores it (:func:`stored_text`), typed for the rule engine;
    None for a blank or anything that does not read as the type."""
    if stored is None or stored == "" or stored == []:
        return None
    if value_type == Type.NUMBER:
        if isinstance(stored, bool) or not isinstance(stored, str | int | Decimal):
            return None
        text = str(stored).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        if len(text) > 40:
            return None
        try:
            number = Decimal(text)
        except ArithmeticError:
            return None
        return number if number.is_finite() else None
    if value_type == Type.DATE:
        if isinstance(stored, datetime.date) and not isinstance(stored, datetime.datetime):
            return stored
        try:
            return datetime.date.fromisoformat(stored) if isinstance(stored, str) else None
        except ValueError:
            return None
    if value_type == Type.BOOLEAN:
        if isinstance(stored, bool):
            return stored
        return {"tak": True, "nie": False}.get(stored) if isinstance(stored, str) else None
    if value_type == Type.MULTI:
        if not isinstance(stored, list | tuple | frozenset | set):
            return None
        codes = frozenset(item for item in stored if isinstance(item, str) and item)
        return codes or None
    return stored if isinstance(stored, str) else None


def stored_text(value: Any) -> Any:
    """A converted value as a sent report stores it (see :meth:`CompiledForm.stored`)."""
    if value is True or value is False:
        return "tak" if value else "nie"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value
