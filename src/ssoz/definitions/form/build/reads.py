"""The other forms a definition reads (``reads:``): their codes, the names expressions use and
the cells read, each with its type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...loader import ItemPath
from ..structure import FieldType, Read
from .state import Build

_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*")


def reads(build: Build, data: Mapping[str, Any]) -> tuple[Read, ...]:
    """The declarations of `data`, each problem reported at its line: a name or a form read
    twice, the form reading itself, a cell code that is no code."""
    out: list[Read] = []
    aliases: dict[str, ItemPath] = {}
    forms: dict[str, ItemPath] = {}
    own = str(data["code"]).casefold()
    for i, raw in enumerate(data.get("reads") or ()):
        path: ItemPath = ("reads", i)
        form, alias = str(raw["form"]), str(raw["as"])
        item = f"read {alias}"
        if form.casefold() == own:
            build.problem(
                (*path, "form"),
                f"Formularz nie może czytać samego siebie („{form}”). Wartości z poprzedniego "
                "okresu czyta funkcja prev().",
                f'A form cannot read itself ("{form}"). Values of the previous period are read '
                "with prev().",
                item=item,
            )
        for seen, key, value, noun_pl, noun_en in (
            (forms, "form", form.casefold(), "Formularz", "The form"),
            (aliases, "as", alias, "Nazwa", "The name"),
        ):
            if value in seen:
                first = build.locations.line(seen[value])
                build.problem(
                    (*path, key),
                    f"{noun_pl} „{raw[key]}” powtarza się w „reads” (pierwszy raz w wierszu "
                    f"{first}).",
                    f'{noun_en} "{raw[key]}" is repeated in "reads" (first on line {first}).',
                    item=item,
                )
            else:
                seen[value] = path
        cells: list[tuple[str, FieldType]] = []
        for ref, kind in dict(raw["cells"]).items():
            if not isinstance(ref, str) or len(ref) > 60 or not _REF.fullmatch(ref):
                build.problem(
                    (*path, "cells"),
                    f"„{ref}” nie jest kodem pola ani komórki (litery bez polskich znaków, "
                    "cyfry, _ i kropki, np. D1.W02.K1).",
                    f'"{ref}" is not the code of a field or a cell (ASCII letters, digits, _ '
                    "and dots, e.g. D1.W02.K1).",
                    item=item,
                )
                continue
            cells.append((ref, FieldType(kind)))
        # Kept even when something is wrong with it, so that the rules reading it are checked
        # against it rather than reported as reading an unknown form.
        out.append(Read(form, alias, tuple(cells), bool(raw.get("before_sending"))))
    return tuple(out)
