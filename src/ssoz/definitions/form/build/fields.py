"""Building the questions of a section: their types, bounds, choices and codes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...loader import ItemPath
from ...rules import TableLayout
from ..structure import (
    DEFAULT_MAX_LENGTH,
    DEFAULT_PRECISION,
    NUMERIC_TYPES,
    Choice,
    Field,
    FieldType,
    Text,
)
from .state import Build, decimal_of, text_of

KEYWORDS = frozenset({"if", "then", "else", "and", "or", "not", "true", "false", "blank"})
_CELL_LIKE = re.compile(r"[^.]+\.W[^.]*\.K[^.]*")


def question(build: Build, raw: Mapping[str, Any], field_path: ItemPath, section: str) -> Field:
    """The field of a question of ``section``, its bounds and choices checked."""
    kind = FieldType(raw["type"])
    minimum, maximum = bounds(build, raw, kind, field_path)
    options = choices(build, raw, field_path)
    precision = precision_of(kind, raw)
    max_length = raw.get("max_length")
    if kind in DEFAULT_MAX_LENGTH and max_length is None:
        max_length = DEFAULT_MAX_LENGTH[kind]
    return Field(
        ref=str(raw["code"]),
        type=kind,
        label=text_of(raw["label"]) or Text("", ""),
        section=section,
        help=text_of(raw.get("help")),
        unit=text_of(raw.get("unit")),
        required=bool(raw.get("required", False)),
        min=minimum,
        max=maximum,
        precision=precision,
        max_length=max_length,
        choices=options,
        computed="calculation" in raw,
        line=build.locations.line(field_path),
    )


def precision_of(kind: FieldType, raw: Mapping[str, Any]) -> int | None:
    """The digits after the point: as given, or the default for decimals and percentages."""
    precision = raw.get("precision")
    if kind in (FieldType.DECIMAL, FieldType.PERCENTAGE) and precision is None:
        precision = DEFAULT_PRECISION
    return precision


def bounds(
    build: Build, raw: Mapping[str, Any], kind: FieldType, path: ItemPath
) -> tuple[Any, Any]:
    minimum: Any = raw.get("min")
    maximum: Any = raw.get("max")
    if kind == FieldType.DATE:
        parsed = []
        for key, value in (("min", minimum), ("max", maximum)):
            if value is None:
                parsed.append(None)
                continue
            try:
                parsed.append(datetime.date.fromisoformat(value))
            except ValueError:
                build.problem(
                    (*path, key), f"Nie ma takiej daty: {value}.", f"No such date: {value}."
                )
                parsed.append(None)
        minimum, maximum = parsed
    elif kind in NUMERIC_TYPES:
        minimum, maximum = decimal_of(minimum), decimal_of(maximum)
        if kind == FieldType.PERCENTAGE:
            minimum = Decimal(0) if "min" not in raw else minimum
            maximum = Decimal(100) if "max" not in raw else maximum
    else:
        return None, None
    if minimum is not None and maximum is not None and minimum > maximum:
        build.problem(
            (*path, "min"),
            f"Najmniejsza wartość ({raw.get('min')}) jest większa niż największa "
            f"({raw.get('max')}).",
            f"The minimum ({raw.get('min')}) is greater than the maximum ({raw.get('max')}).",
            key=True,
        )
    return minimum, maximum


def choices(build: Build, raw: Mapping[str, Any], path: ItemPath) -> tuple[Choice, ...]:
    out: list[Choice] = []
    seen: dict[str, int] = {}
    for k, choice in enumerate(raw.get("choices") or []):
        code = str(choice["code"])
        if code in seen:
            build.problem(
                (*path, "choices", k, "code"),
                f"Kod odpowiedzi „{code}” powtarza się.",
                f'The option code "{code}" is repeated.',
            )
            continue
        seen[code] = k
        out.append(
            Choice(code, text_of(choice["label"]) or Text("", ""), decimal_of(choice.get("score")))
        )
    return tuple(out)


def check_field_code(build: Build, spec: Field, layouts: Mapping[str, TableLayout]) -> None:
    path = build.field_paths[spec.ref]
    first = spec.ref.split(".", 1)[0]
    if spec.ref in KEYWORDS:
        build.problem(
            (*path, "code"),
            f"„{spec.ref}” to słowo języka reguł; nadaj polu inny kod.",
            f'"{spec.ref}" is a word of the rule language; give the field another code.',
        )
    elif _CELL_LIKE.fullmatch(spec.ref) or ("." in spec.ref and first in layouts):
        build.problem(
            (*path, "code"),
            f"Kod pola „{spec.ref}” wygląda jak adres komórki tabeli (D1.W01.K1) albo "
            "zaczyna się kodem działu z tabelą; nadaj polu inny kod.",
            f'The field code "{spec.ref}" looks like a table cell address (D1.W01.K1) or '
            "starts with the code of a section with a table; give the field another code.",
        )
