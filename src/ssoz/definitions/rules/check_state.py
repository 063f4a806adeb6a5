"""The state of one type check, shared by the checks of every node kind: what it has learned
about the expression so far, how it reports a problem, and how refs, ranges and options
resolve against the schema."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from .errors import RuleEngineError, RuleTypeError, RuleUnknownReferenceError, at, at_en
from .functions import FUNCTIONS
from .nodes import Call, Node, Range, Ref, String, to_source
from .schema import Schema
from .value_types import Type, en, pl_acc, unify


class CheckState:
    """What the checker of one expression knows; :class:`~.checker._Checker` adds the checks
    of each node kind, :class:`~.check_functions.FunctionChecks` those of function calls."""

    def __init__(self, schema: Schema, source: str | None) -> None:
        self.schema = schema
        self.source = source
        self.types: dict[int, Type] = {}
        self.expansions: dict[int, tuple[str, ...]] = {}
        self.constants: dict[int, object] = {}
        self.current: dict[str, None] = {}  # ordered set
        self.previous: dict[str, None] = {}
        self.triggers: set[str] = set()
        self.ref_types: dict[str, Type] = {}
        self.short_circuit = False
        self.uses_period = False
        self.reads_other: dict[str, None] = {}  # aliases read with other(), in order
        # Keys of the context read (the period's dates, other forms' cells) with their types,
        # so the previous-period adapter drops their blanks like any other value's.
        self.context_types: dict[str, Type] = {}

    # -- reporting -----------------------------------------------------------

    def snippet(self, node: Node) -> str:
        pos = node.pos
        if self.source is not None and pos is not None:
            text = " ".join(self.source[pos.start : pos.end].split())
        else:
            text = to_source(node)
        return text if len(text) <= 60 else text[:57] + "…"

    def fail(
        self,
        node: Node,
        pl: str,
        en_: str,
        pl_tail: str = "",
        en_tail: str = "",
        cls: type[RuleEngineError] = RuleTypeError,
    ) -> RuleEngineError:
        pos = node.pos
        line = pos.line if pos else None
        column = pos.column if pos else None
        end_column = pos.end_column if pos and pos.end_line == pos.line else None
        message = f"{pl}{at(line, column)}." + (f" {pl_tail}" if pl_tail else "")
        message_en = f"{en_}{at_en(line, column)}." + (f" {en_tail}" if en_tail else "")
        return cls(
            message,
            message_en,
            line=line,
            column=column,
            end_column=end_column,
            source=self.source,
        )

    def expect(self, node: Node, actual: Type, wanted: Type) -> None:
        if unify(actual, wanted) == wanted or (wanted == Type.STRING and actual == Type.CHOICE):
            return
        if wanted == Type.BOOLEAN:
            pl = (
                "Wyrażenie musi być warunkiem (dawać wartość logiczną prawda/fałsz), "
                f"a „{self.snippet(node)}” daje {pl_acc(actual)}"
            )
            en_ = (
                "The expression must be a condition (give true/false), "
                f'but "{self.snippet(node)}" gives {en(actual)}'
            )
        else:
            snippet = self.snippet(node)
            pl = f"Wyrażenie powinno dawać {pl_acc(wanted)}, a „{snippet}” daje {pl_acc(actual)}"
            en_ = f'The expression should give {en(wanted)}, but "{snippet}" gives {en(actual)}'
        raise self.fail(node, pl, en_)

    # -- traversal -------------------------------------------------------------

    def visit(self, node: Node, *, guarded: bool, in_prev: bool) -> Type:
        """The type of ``node`` (recorded in ``types``); see :class:`~.checker._Checker`."""
        raise NotImplementedError

    # -- refs, ranges and options ----------------------------------------------

    def record(self, name: str, t: Type, guarded: bool, in_prev: bool) -> None:
        self.ref_types[name] = t
        if in_prev:
            self.previous[name] = None
        else:
            self.current[name] = None
            if not guarded:
                self.triggers.add(name)

    def resolve(self, node: Node, name: str) -> Type:
        t = self.schema.type_of(name)
        if t is not None:
            return t
        parts = name.split(".")
        if len(parts) >= 3:
            section, row, column = ".".join(parts[:-2]), parts[-2], parts[-1]
            layout = self.schema.tables.get(section)
            if layout is not None:
                if layout.row_position(row) is None:
                    detail_pl, detail_en = f"wiersza „{row}”", f'row "{row}"'
                else:
                    detail_pl, detail_en = f"kolumny „{column}”", f'column "{column}"'
                raise self.fail(
                    node,
                    f"Nieznana komórka „{name}” w wyrażeniu",
                    f'Unknown cell "{name}" in the expression',
                    f"Dział „{section}” nie ma {detail_pl}.",
                    f'Section "{section}" has no {detail_en}.',
                    cls=RuleUnknownReferenceError,
                )
        if name in FUNCTIONS and FUNCTIONS[name].max_args == 0:
            tail_pl = f"„{name}” to nazwa funkcji — pisze się ją z nawiasem: {name}()."
            tail_en = f'"{name}" is a function — write it with parentheses: {name}().'
        elif name in FUNCTIONS:
            tail_pl = f"„{name}” to nazwa funkcji — argumenty podaje się w nawiasie: {name}(…)."
            tail_en = f'"{name}" is a function — give its arguments in parentheses: {name}(…).'
        else:
            close = difflib.get_close_matches(name, list(self.schema.known_refs()), n=1)
            tail_pl = f"Czy chodziło o „{close[0]}”?" if close else ""
            tail_en = f'Did you mean "{close[0]}"?' if close else ""
        raise self.fail(
            node,
            f"Nieznane pole „{name}” w wyrażeniu",
            f'Unknown field "{name}" in the expression',
            tail_pl,
            tail_en,
            cls=RuleUnknownReferenceError,
        )

    def expand(self, node: Range) -> tuple[str, ...]:
        layout = self.schema.tables.get(node.section)
        if layout is None:
            raise self.fail(
                node,
                f"Nieznany dział „{node.section}” w zakresie „{node.text}”",
                f'Unknown section "{node.section}" in the range "{node.text}"',
                cls=RuleUnknownReferenceError,
            )
        position: Callable[[str], int | None]
        fixed_ok: Callable[[str], int | None]
        if node.axis == "rows":
            codes, position, fixed_ok = layout.rows, layout.row_position, layout.column_position
            kind_pl, kind_en, fixed_pl, fixed_en = "wiersza", "row", "kolumny", "column"
        else:
            codes, position, fixed_ok = layout.columns, layout.column_position, layout.row_position
            kind_pl, kind_en, fixed_pl, fixed_en = "kolumny", "column", "wiersza", "row"
        for code, what_pl, what_en, lookup in (
            (node.start, kind_pl, kind_en, position),
            (node.end, kind_pl, kind_en, position),
            (node.fixed, fixed_pl, fixed_en, fixed_ok),
        ):
            if lookup(code) is None:
                raise self.fail(
                    node,
                    f"Dział „{node.section}” nie ma {what_pl} „{code}” użytego w zakresie "
                    f"„{node.text}”",
                    f'Section "{node.section}" has no {what_en} "{code}" used in the range '
                    f'"{node.text}"',
                    cls=RuleUnknownReferenceError,
                )
        first, last = position(node.start), position(node.end)
        assert first is not None and last is not None
        if first > last:
            raise self.fail(
                node,
                f"Zakres „{node.text}” jest odwrócony: „{node.start}” stoi w tabeli "
                f"za „{node.end}”",
                f'The range "{node.text}" is reversed: "{node.start}" comes after '
                f'"{node.end}" in the table',
                f"Napisz go od pierwszego do ostatniego {kind_pl}.",
                f"Write it from the first {kind_en} to the last.",
            )
        if node.axis == "rows":
            cells = tuple(f"{node.section}.{r}.{node.fixed}" for r in codes[first : last + 1])
        else:
            cells = tuple(f"{node.section}.{node.fixed}.{c}" for c in codes[first : last + 1])
        self.expansions[id(node)] = cells
        return cells

    def check_option(self, field: Node, option: String) -> None:
        """A string compared with (or selected from) a choice field must be one
        of its options, when the schema lists them."""
        target = field
        if isinstance(target, Call) and target.name == "prev" and len(target.args) == 1:
            target = target.args[0]
        if not isinstance(target, Ref):
            return
        options = self.schema.options(target.name)
        if options is None or option.value in options:
            return
        listed = ", ".join(sorted(options)) or "—"
        raise self.fail(
            option,
            f"Pole „{target.name}” nie ma opcji „{option.value}”",
            f'The field "{target.name}" has no option "{option.value}"',
            f"Dostępne opcje: {listed}.",
            f"Available options: {listed}.",
        )

    # -- functions -------------------------------------------------------------
