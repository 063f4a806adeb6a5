"""The type check of function calls: arity, argument types, ranges of aggregates, and the
arguments that must be written literally (round's digits, date's text, selected's option)."""

from __future__ import annotations

import datetime
import difflib
import re
from decimal import Decimal

from .check_state import CheckState
from .errors import RuleUnknownReferenceError
from .functions import FUNCTIONS, PERIOD_KEYS, RECORD_COUNT_KEY, FunctionSpec, other_key
from .nodes import Call, Node, Number, Range, Ref, String, Unary
from .value_types import Type, en, pl_gen, pl_ins, unify

ROUND_DIGITS = range(-10, 11)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMERIC_AGGREGATES = ("sum", "min", "max", "avg")


def _plural_args(n: int) -> str:
    if n == 1:
        return "argument"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "argumenty"
    return "argumentów"


class FunctionChecks(CheckState):
    """The checks of calls of the language's functions."""

    def call(self, node: Call, guarded: bool, in_prev: bool) -> Type:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            names = ", ".join(sorted(FUNCTIONS))
            raise self.fail(
                node,
                f"Nieznana funkcja „{node.name}”",
                f'Unknown function "{node.name}"',
                f"Dostępne funkcje: {names}.",
                f"Available functions: {names}.",
            )
        self.arity(node, spec)
        inner_guarded = guarded or spec.guards
        name, args = node.name, node.args
        if spec.ranges:
            self.aggregate_args(node, spec, inner_guarded, in_prev)
            if name in _NUMERIC_AGGREGATES:
                return Type.NUMBER
            return Type.NUMBER if name == "count" else Type.BOOLEAN
        for arg in args:
            if isinstance(arg, Range):
                hint_pl = hint_en = ""
                if name in ("blank", "filled"):
                    hint_pl = "Dla zakresu użyj all_filled(…), any_filled(…) lub count(…)."
                    hint_en = "For a range use all_filled(…), any_filled(…) or count(…)."
                raise self.fail(
                    arg,
                    f"Funkcja {name} nie przyjmuje zakresu „{arg.text}”",
                    f'The function {name} does not take a range ("{arg.text}")',
                    hint_pl,
                    hint_en,
                )
        match name:
            case "abs":
                self.number_arg(node, args[0], inner_guarded, in_prev)
                return Type.NUMBER
            case "round":
                self.number_arg(node, args[0], inner_guarded, in_prev)
                digits = 0
                if len(args) == 2:
                    digits = self.round_digits(args[1])
                    self.visit(args[1], guarded=inner_guarded, in_prev=in_prev)
                self.constants[id(node)] = digits
                return Type.NUMBER
            case "blank" | "filled":
                self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                return Type.BOOLEAN
            case "score":
                self.score(node, inner_guarded, in_prev)
                return Type.NUMBER
            case "selected" | "count_selected":
                t = self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                if t not in (Type.CHOICE, Type.MULTI):
                    raise self.fail(
                        args[0],
                        f"Funkcja {name} wymaga pola wyboru, a „{self.snippet(args[0])}” "
                        f"jest {pl_ins(t)}",
                        f"The function {name} needs a choice field, but "
                        f'"{self.snippet(args[0])}" is {en(t)}',
                    )
                if name == "count_selected":
                    return Type.NUMBER
                option = args[1]
                if not isinstance(option, String):
                    raise self.fail(
                        option,
                        "Drugim argumentem funkcji selected musi być kod opcji w cudzysłowie",
                        "The second argument of selected must be a quoted option code",
                        f"Na przykład selected({self.snippet(args[0])}, 'tak').",
                        f"For example selected({self.snippet(args[0])}, 'yes').",
                    )
                self.visit(option, guarded=inner_guarded, in_prev=in_prev)
                self.check_option(args[0], option)
                return Type.BOOLEAN
            case "prev":
                if in_prev:
                    raise self.fail(
                        node,
                        "Funkcji prev nie można zagnieżdżać",
                        "prev cannot be nested",
                        "Dane sięgają tylko poprzedniego okresu.",
                        "Only the previous period is available.",
                    )
                return self.visit(args[0], guarded=inner_guarded, in_prev=True)
            case "coalesce":
                common = Type.BLANK
                for arg in args:
                    t = self.visit(arg, guarded=inner_guarded, in_prev=in_prev)
                    joined = unify(common, t)
                    if joined is None:
                        raise self.fail(
                            arg,
                            f"Argumenty funkcji coalesce muszą być tego samego typu, "
                            f"a „{self.snippet(arg)}” jest {pl_ins(t)} zamiast {pl_gen(common)}",
                            f"The arguments of coalesce must have one type, "
                            f'but "{self.snippet(arg)}" is {en(t)} instead of {en(common)}',
                        )
                    common = joined
                return common
            case "pesel_birth_date" | "pesel_sex":
                t = self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                self.expect(args[0], t, Type.STRING)
                return Type.DATE if name == "pesel_birth_date" else Type.STRING
            case "date":
                self.constants[id(node)] = self.date_literal(args[0])
                self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                return Type.DATE
            case "period_start" | "period_end" | "deadline":
                if in_prev:
                    raise self.fail(
                        node,
                        f"Funkcji {name} nie można użyć wewnątrz prev()",
                        f"{name} cannot be used inside prev()",
                        "Znane są tylko daty bieżącego okresu.",
                        "Only the current period's dates are known.",
                    )
                self.uses_period = True
                self.context_types[PERIOD_KEYS[name]] = Type.DATE
                return Type.DATE
            case "record_count":
                self.context_types[RECORD_COUNT_KEY] = Type.NUMBER
                return Type.NUMBER
            case "other":
                return self.other(node, in_prev)
        raise TypeError(f"unhandled function {name}")  # pragma: no cover

    def other(self, node: Call, in_prev: bool) -> Type:
        """other(ALIAS, ref): a value of another form the definition declares it reads, of
        the type declared there. Neither argument is an expression of this form."""
        alias, ref = node.args
        if in_prev:
            raise self.fail(
                node,
                "Funkcji other nie można użyć wewnątrz prev()",
                "other cannot be used inside prev()",
                "Inny formularz czyta się tylko za bieżący okres.",
                "Another form is read for the current period only.",
            )
        known = ", ".join(sorted(self.schema.others)) or "—"
        if not isinstance(alias, Ref) or "." in alias.name:
            raise self.fail(
                alias,
                "Pierwszym argumentem funkcji other musi być nazwa czytanego formularza "
                f"z „reads” (as), a podano „{self.snippet(alias)}”",
                "The first argument of other must be the name of a form read in "
                f'"reads" (as), but "{self.snippet(alias)}" was given',
                f"Znane nazwy: {known}.",
                f"Known names: {known}.",
            )
        read = self.schema.others.get(alias.name)
        if read is None:
            close = difflib.get_close_matches(alias.name, list(self.schema.others), n=1)
            tail_pl = f"Czy chodziło o „{close[0]}”?" if close else f"Znane nazwy: {known}."
            tail_en = f'Did you mean "{close[0]}"?' if close else f"Known names: {known}."
            raise self.fail(
                alias,
                f"Definicja nie czyta formularza nazwanego „{alias.name}” (brak go w „reads”)",
                f'The definition reads no form named "{alias.name}" (it is not in "reads")',
                tail_pl,
                tail_en,
                cls=RuleUnknownReferenceError,
            )
        if not isinstance(ref, Ref):
            raise self.fail(
                ref,
                "Drugim argumentem funkcji other musi być kod komórki albo pola czytanego "
                f"formularza, a podano „{self.snippet(ref)}”",
                "The second argument of other must be the code of a cell or field of the "
                f'form read, but "{self.snippet(ref)}" was given',
                f"Na przykład other({alias.name}, D1.W01.K1).",
                f"For example other({alias.name}, D1.W01.K1).",
            )
        t = read.get(ref.name)
        if t is None:
            close = difflib.get_close_matches(ref.name, list(read), n=1)
            tail_pl = f"Czy chodziło o „{close[0]}”?" if close else ""
            tail_en = f'Did you mean "{close[0]}"?' if close else ""
            raise self.fail(
                ref,
                f"Formularz „{alias.name}” nie ma w „reads” komórki „{ref.name}”",
                f'The form "{alias.name}" has no cell "{ref.name}" in "reads"',
                tail_pl or "Dopisz ją do „cells” z jej typem.",
                tail_en or 'Add it to "cells" with its type.',
                cls=RuleUnknownReferenceError,
            )
        self.reads_other[alias.name] = None
        self.context_types[other_key(alias.name, ref.name)] = t
        return t

    def arity(self, node: Call, spec: FunctionSpec) -> None:
        n = len(node.args)
        low, high = spec.min_args, spec.max_args
        if low <= n and (high is None or n <= high):
            return
        if high is None:
            wants_pl = "wymaga co najmniej jednego argumentu"
            wants_en = "needs at least one argument"
        elif high == 0:
            wants_pl = "nie przyjmuje argumentów"
            wants_en = "takes no arguments"
        elif low == high:
            wants_pl = f"przyjmuje dokładnie {low} {_plural_args(low)}"
            wants_en = f"takes exactly {low} argument{'s' if low != 1 else ''}"
        else:
            wants_pl = f"przyjmuje {low} lub {high} {_plural_args(high)}"
            wants_en = f"takes {low} or {high} arguments"
        raise self.fail(
            node,
            f"Funkcja {spec.name} {wants_pl}, a podano {n}",
            f"The function {spec.name} {wants_en}, but {n} were given",
            f"Zapis: {spec.signature}.",
            f"Usage: {spec.signature}.",
        )

    def aggregate_args(
        self, node: Call, spec: FunctionSpec, guarded: bool, in_prev: bool
    ) -> list[Type]:
        numeric = spec.name in _NUMERIC_AGGREGATES
        types: list[Type] = []
        for arg in node.args:
            if isinstance(arg, Range):
                cells = self.expand(arg)
                for cell in cells:
                    t = self.schema.type_of(cell) or Type.NUMBER
                    if numeric and t != Type.NUMBER:
                        raise self.fail(
                            arg,
                            f"Funkcja {spec.name} działa na liczbach, a komórka „{cell}” "
                            f"z zakresu „{arg.text}” jest {pl_ins(t)}",
                            f'The function {spec.name} works on numbers, but the cell "{cell}" '
                            f'of the range "{arg.text}" is {en(t)}',
                        )
                    self.record(cell, t, guarded, in_prev)
                    types.append(t)
                self.types[id(arg)] = Type.NUMBER if numeric else Type.BLANK
                continue
            t = self.visit(arg, guarded=guarded, in_prev=in_prev)
            if numeric and t not in (Type.NUMBER, Type.BLANK):
                raise self.fail(
                    arg,
                    f"Funkcja {spec.name} działa na liczbach, a „{self.snippet(arg)}” "
                    f"jest {pl_ins(t)}",
                    f'The function {spec.name} works on numbers, but "{self.snippet(arg)}" '
                    f"is {en(t)}",
                )
            types.append(t)
        return types

    def score(self, node: Call, guarded: bool, in_prev: bool) -> None:
        arg = node.args[0]
        t = self.visit(arg, guarded=guarded, in_prev=in_prev)
        target = arg.args[0] if isinstance(arg, Call) and arg.name == "prev" else arg
        if t != Type.CHOICE or not isinstance(target, Ref):
            raise self.fail(
                arg,
                f"Funkcja score wymaga pola jednokrotnego wyboru, a „{self.snippet(arg)}” jest "
                f"{pl_ins(t) if t != Type.CHOICE else 'wyrażeniem'}",
                f'The function score needs a single-choice field, but "{self.snippet(arg)}" '
                f"is {en(t) if t != Type.CHOICE else 'an expression'}",
                "Na przykład score(A1_Q1).",
                "For example score(A1_Q1).",
            )
        table = self.schema.option_scores(target.name)
        if table is None:
            raise self.fail(
                arg,
                f"Opcje pola „{target.name}” nie mają przypisanych punktów",
                f'The options of "{target.name}" have no scores',
            )
        self.constants[id(node)] = table

    def number_arg(self, call: Call, arg: Node, guarded: bool, in_prev: bool) -> None:
        t = self.visit(arg, guarded=guarded, in_prev=in_prev)
        if t not in (Type.NUMBER, Type.BLANK):
            raise self.fail(
                arg,
                f"Funkcja {call.name} działa na liczbach, a „{self.snippet(arg)}” jest {pl_ins(t)}",
                f'The function {call.name} works on numbers, but "{self.snippet(arg)}" is {en(t)}',
            )

    def round_digits(self, arg: Node) -> int:
        value: Decimal | None = None
        if isinstance(arg, Number):
            value = arg.value
        elif isinstance(arg, Unary) and arg.op == "-" and isinstance(arg.operand, Number):
            value = -arg.operand.value
        if value is None or value != value.to_integral_value() or int(value) not in ROUND_DIGITS:
            raise self.fail(
                arg,
                "Drugim argumentem funkcji round musi być wpisana wprost liczba całkowita "
                "od -10 do 10 (liczba miejsc po przecinku)",
                "The second argument of round must be a literal whole number from -10 to 10 "
                "(decimal places)",
                "Na przykład round(D1.W01.K2, 1).",
                "For example round(D1.W01.K2, 1).",
            )
        return int(value)

    def date_literal(self, arg: Node) -> datetime.date:
        if isinstance(arg, String):
            if _ISO_DATE.fullmatch(arg.value):
                try:
                    return datetime.date.fromisoformat(arg.value)
                except ValueError:
                    pass
            text = arg.value
        else:
            text = self.snippet(arg)
        raise self.fail(
            arg,
            f"Niepoprawna data „{text}”",
            f'Invalid date "{text}"',
            "Datę zapisuje się w cudzysłowie jako rok-miesiąc-dzień, np. date('2024-12-31').",
            "Write a date in quotes as year-month-day, e.g. date('2024-12-31').",
        )
