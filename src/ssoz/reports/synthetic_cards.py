"""MZ/Szp-11B cards that pass every rule of the card, made up in any number (for the tests,
the benchmarks and the demo): distinct patients with valid PESEL numbers that agree with
their dates of birth and sex, each discharged within the month."""

import csv
import datetime
import io

from stdnum.pl import pesel

FIELDS = (
    "PESEL", "SEX", "BIRTH_DATE", "RESIDENCE", "WARD", "ADMISSION_DATE", "ADMISSION_MODE",
    "FIRST_TIME", "DIAGNOSIS", "DISCHARGE_DATE", "DISCHARGE_MODE",
)  # fmt: skip
DIAGNOSES = ("F00-F09", "F10", "F11-F19", "F20-F29", "F30-F39", "F40-F48", "F60-F69")


def valid_card(i: int, year: int = 2026, month: int = 10) -> dict[str, str]:
    """The i-th made-up card of a month: born in 1940–1999, a man for even i."""
    born = datetime.date(1940 + i % 60, 1 + i % 12, 1 + i % 28)
    month_digits = born.month + (20 if born.year >= 2000 else 0)
    serial = f"{i % 1000:03d}{(i % 5) * 2 + (1 if i % 2 == 0 else 0)}"
    body = f"{born.year % 100:02d}{month_digits:02d}{born.day:02d}{serial}"
    number = body + pesel.calc_check_digit(body)
    discharged = datetime.date(year, month, 1 + i % 28)
    return {
        "PESEL": number,
        "SEX": "M" if i % 2 == 0 else "K",
        "BIRTH_DATE": born.isoformat(),
        "RESIDENCE": "14",
        "WARD": "GENERAL",
        "ADMISSION_DATE": (discharged - datetime.timedelta(days=3 + i % 40)).isoformat(),
        "ADMISSION_MODE": "1",
        "FIRST_TIME": "tak" if i % 3 == 0 else "nie",
        "DIAGNOSIS": DIAGNOSES[i % len(DIAGNOSES)],
        "DISCHARGE_DATE": discharged.isoformat(),
        "DISCHARGE_MODE": "1",
    }


def cards_csv(count: int, year: int = 2026, month: int = 10) -> bytes:
    """A file of `count` cards as a clerk's system would write it: a header of field codes,
    separated by ";"."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIELDS)
    for i in range(count):
        card = valid_card(i, year, month)
        writer.writerow([card[field] for field in FIELDS])
    return buffer.getvalue().encode("utf-8-sig")
