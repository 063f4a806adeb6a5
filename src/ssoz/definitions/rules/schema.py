"""What an expression may refer to: the fields of a form and its tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import RuleTypeError
from .value_types import Type


@dataclass(frozen=True, init=False)
class TableLayout:
    """Rows and columns of one section (dział) of a table, in form order.

    Cells of section ``D1`` are addressed ``D1.<row>.<column>``, e.g.
    ``D1.W01.K1``; ranges run by position in these sequences, inclusive.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    _row_index: dict[str, int] = field(repr=False, compare=False, hash=False)
    _column_index: dict[str, int] = field(repr=False, compare=False, hash=False)

    def __init__(self, rows: Sequence[str], columns: Sequence[str]) -> None:
        rows_t, columns_t = tuple(rows), tuple(columns)
        for kind, codes in (("wiersz", rows_t), ("kolumna", columns_t)):
            seen: set[str] = set()
            for code in codes:
                if code in seen:
                    raise RuleTypeError(
                        f"Układ tabeli powtarza {kind} „{code}”.",
                        f"The table layout repeats {'row' if kind == 'wiersz' else 'column'} "
                        f'"{code}".',
                    )
                seen.add(code)
        object.__setattr__(self, "rows", rows_t)
        object.__setattr__(self, "columns", columns_t)
        object.__setattr__(self, "_row_index", {c: i for i, c in enumerate(rows_t)})
        object.__setattr__(self, "_column_index", {c: i for i, c in enumerate(columns_t)})

    def row_position(self, row: str) -> int | None:
        return self._row_index.get(row)

    def column_position(self, column: str) -> int | None:
        return self._column_index.get(column)


def _decimal(ref: str, x: Decimal | int | str) -> Decimal:
    # Never through float: 0.1 must stay exactly 0.1.
    if isinstance(x, bool) or not isinstance(x, Decimal | int | str):
        raise RuleTypeError(
            f"Punkty opcji pola „{ref}” muszą być liczbami (Decimal, int lub tekst), "
            f"a podano {x!r}.",
            f'The option scores of "{ref}" must be Decimal, int or str, not {x!r}.',
        )
    try:
        value = Decimal(x)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise RuleTypeError(
            f"Punkty opcji pola „{ref}” muszą być liczbami, a podano {x!r}.",
            f'The option scores of "{ref}" must be numbers, not {x!r}.',
        )
    return value


class Schema:
    """The refs an expression may use and their types.

    ``refs`` maps field codes and cell addresses to types. Every cell of every
    table in ``tables`` is known as well; a cell missing from ``refs`` is a
    number (the usual case in statistical tables). ``choices`` lists the option
    codes of choice and multiple-choice fields, so that ``selected(Q5, 'x')``
    and ``Q5 = 'x'`` can be checked against them. ``scores`` gives the points of
    the options of single-choice fields, for ``score(Q5)``; an option missing
    from it has no score. ``others`` names the other forms the definition reads
    (``reads:``): alias -> the refs read from that form and their types, for
    ``other(MZ88, D1.W02.K1)``.
    """

    __slots__ = ("refs", "tables", "choices", "scores", "others", "_types")

    def __init__(
        self,
        refs: Mapping[str, Type],
        tables: Mapping[str, TableLayout] | None = None,
        choices: Mapping[str, Iterable[str]] | None = None,
        scores: Mapping[str, Mapping[str, Decimal | int | str]] | None = None,
        others: Mapping[str, Mapping[str, Type]] | None = None,
    ) -> None:
        self.refs: dict[str, Type] = dict(refs)
        self.tables: dict[str, TableLayout] = dict(tables or {})
        self.choices: dict[str, frozenset[str]] = {
            ref: frozenset(options) for ref, options in (choices or {}).items()
        }
        types: dict[str, Type] = {}
        for section, layout in self.tables.items():
            for row in layout.rows:
                for column in layout.columns:
                    types[f"{section}.{row}.{column}"] = Type.NUMBER
        for ref, t in self.refs.items():
            if not isinstance(t, Type) or t == Type.BLANK:
                raise RuleTypeError(
                    f"Pole „{ref}” ma nieprawidłowy typ w schemacie: {t!r}.",
                    f'Field "{ref}" has an invalid type in the schema: {t!r}.',
                )
            types[ref] = t
        for ref in self.choices:
            if types.get(ref) not in (Type.CHOICE, Type.MULTI):
                raise RuleTypeError(
                    f"Opcje podano dla pola „{ref}”, które nie jest polem wyboru.",
                    f'Options were given for "{ref}", which is not a choice field.',
                )
        self.scores: dict[str, dict[str, Decimal]] = {}
        for ref, table in (scores or {}).items():
            if types.get(ref) != Type.CHOICE:
                raise RuleTypeError(
                    f"Punkty opcji podano dla pola „{ref}”, które nie jest polem "
                    "jednokrotnego wyboru.",
                    f'Option scores were given for "{ref}", which is not a single-choice field.',
                )
            self.scores[ref] = {option: _decimal(ref, x) for option, x in table.items()}
        self.others: dict[str, dict[str, Type]] = {}
        for alias, read in (others or {}).items():
            for ref, t in read.items():
                if not isinstance(t, Type) or t == Type.BLANK:
                    raise RuleTypeError(
                        f"Komórka „{ref}” formularza „{alias}” ma nieprawidłowy typ w schemacie: "
                        f"{t!r}.",
                        f'The cell "{ref}" of the form "{alias}" has an invalid type in the '
                        f"schema: {t!r}.",
                    )
            self.others[alias] = dict(read)
        self._types = types

    def type_of(self, ref: str) -> Type | None:
        return self._types.get(ref)

    def options(self, ref: str) -> frozenset[str] | None:
        return self.choices.get(ref)

    def option_scores(self, ref: str) -> dict[str, Decimal] | None:
        return self.scores.get(ref)

    def known_refs(self) -> Iterable[str]:
        return self._types.keys()

    def __contains__(self, ref: object) -> bool:
        return ref in self._types

    def __repr__(self) -> str:
        return f"Schema({len(self._types)} refs, {len(self.tables)} tables)"
