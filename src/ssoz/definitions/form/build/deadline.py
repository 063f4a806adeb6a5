"""Building the deadline (termin) of a form: a fixed date, a day of a later year, or days after
the end of the period."""

from __future__ import annotations

import datetime
from typing import Any

from ...loader import ItemPath
from ..structure import Deadline
from .state import Build


def deadline(build: Build, value: Any) -> Deadline | None:
    path: ItemPath = ("deadline",)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return Deadline(date=datetime.date.fromisoformat(value))
        except ValueError:
            build.problem(path, f"Nie ma takiej daty: {value}.", f"No such date: {value}.")
            return None
    days = value.get("days_after_period_end")
    month, day = value.get("month"), value.get("day")
    if days is not None and month is not None:
        build.problem(
            path,
            "Termin podaje się albo jako dzień i miesiąc (month, day), albo jako liczbę dni "
            "po końcu okresu (days_after_period_end), nie oba naraz.",
            "Give the deadline either as a month and day or as days after the end of the "
            "period, not both.",
        )
        return None
    if days is not None:
        return Deadline(days_after_period_end=days)
    if month is None:
        build.problem(
            path,
            "Termin musi podawać dzień i miesiąc (month, day) albo liczbę dni po końcu "
            "okresu (days_after_period_end).",
            "The deadline needs a month and day, or days after the end of the period.",
        )
        return None
    try:
        datetime.date(2024, month, day)  # a leap year: 29 February is a valid deadline
    except ValueError:
        build.problem(
            path,
            f"Nie ma takiego dnia: {day}.{month:02d}.",
            f"No such day: {month}/{day}.",
        )
        return None
    return Deadline(month=month, day=day, years_after_period=value.get("years_after_period", 1))
