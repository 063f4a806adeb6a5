"""What an export holds, as a table of columns and a stream of rows, read in one pass.

Microdata come straight from the database: a server-side cursor over the reports the reader
may see, each report's values sent as JSON text and decoded into the form's fields at once
(`_values_decoder`). A sent report keeps its values as the form reads them (numbers as plain
digits with a decimal point: `CompiledForm.stored`), so they are written as they are. On
PostgreSQL the same rows can also be written as CSV by the database itself (`pgcopy`).
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
from django.db import connection
from django.db.models import Case, CharField, F, TextField, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import reads_the_whole_country
from ssoz.accounts.models import User
from ssoz.definitions.form.structure import NUMERIC_TYPES, FieldType, Text
from ssoz.exports import pgcopy
from ssoz.lib import xlsx
from ssoz.publications.models import Publication
from ssoz.reports.models import Report, ReportVersion, Status
from ssoz.results import aggregates

# Rows fetched from the cursor at a time: 500 columns each, a few MB.
CHUNK = 500
# What a hidden (suppressed) figure is written as.
HIDDEN = "×"


class Verbatim(xlsx.Text):
    """A value of a number column that is not a number (a hidden figure): written as text,
    never as a number."""


@dataclass(frozen=True)
class Column:
    code: str
    label: Text | Promise
    numeric: bool = False


@dataclass
class ExportTable:
    """Columns, and the rows as a stream; `total` is how many rows there will be (for the
    job's progress), and `period` the publication's period as SDMX writes it."""

    name: str
    columns: list[Column]
    rows: Iterator[Sequence[str | None]]
    total: int
    period: str
    dimensions: tuple[str, ...] = ()  # the columns that identify a row, for SDMX
    measure_dimension: str = "CELL"  # what SDMX calls the measured columns' dimension
    # The same rows as a query PostgreSQL writes as CSV itself, where it can.
    copy: pgcopy.CopySource | None = None

    @property
    def numeric(self) -> list[bool]:
        return [column.numeric for column in self.columns]


def sdmx_period(publication: Publication) -> str:
    if publication.month:
        return f"{publication.year}-{publication.month:02d}"
    if publication.quarter:
        return f"{publication.year}-Q{publication.quarter}"
    return str(publication.year)


def _reports(user: User, publication: Publication, final_only: bool):
    """The reports the user's results cover: an analyst's and the central administrator's,
    the whole country's; a regional administrator's, those the access rule of reports gives
    her."""
    reports = (
        Report.objects.all() if reads_the_whole_country(user) else Report.objects.visible_to(user)
    ).filter(publication=publication)
    if final_only:
        return reports.final()
    return reports.filter(status__in=[Status.SENT, Status.APPROVED])


_IDENTITY = (
    (Column("regon", _("REGON podmiotu")), F("obligation__entity__regon")),
    (Column("regon14", _("REGON jednostki")), F("unit__regon14")),
    (Column("nazwa", _("Nazwa podmiotu")), F("obligation__entity__name")),
    (Column("jednostka", _("Nazwa jednostki")), F("unit__name")),
    (Column("teryt", _("TERYT gminy")), Coalesce(F("unit__teryt"), F("obligation__entity__teryt"))),
    (Column("wojewodztwo", _("Województwo")), F("voivodeship")),
    (Column("status", _("Stan")), F("status")),
    # „tak” for a zero report: a row of blanks that the entity said it had nothing for.
    (
        Column("zerowe", _("Sprawozdanie zerowe")),
        Case(When(is_zero=True, then=Value("tak")), default=Value(""), output_field=CharField()),
    ),
    (Column("wyslano", _("Wysłano")), F("sent_at")),
)
_SENT_AT = len(_IDENTITY) - 1
# Fractions (money too, when it has grosze) are written with the variant's decimal separator;
# whole numbers need nothing.
_FRACTIONAL = NUMERIC_TYPES - {FieldType.INTEGER, FieldType.MONEY}


def _is_fractional(spec) -> bool:
    return spec.type in _FRACTIONAL or (spec.type == FieldType.MONEY and bool(spec.precision))


def microdata(
    user: User, publication: Publication, *, final_only: bool, decimal_comma: bool
) -> ExportTable:
    """One row per report the user may see: who sent it, then each input field of the form
    by its code, in the form's order."""
    form = publication.form_version.compiled()
    fields = [spec for spec in form.fields.values() if spec.is_input]
    columns = [column for column, _expression in _IDENTITY] + [
        Column(spec.ref, spec.label, numeric=spec.type in NUMERIC_TYPES) for spec in fields
    ]
    reports = _reports(user, publication, final_only)
    aliases = {f"x_{column.code}": expression for column, expression in _IDENTITY}
    found = (
        reports.annotate(**aliases)
        .order_by("obligation__entity__regon", "unit__regon14", "pk")
        .values_list(*aliases, "values")
    )
    decode = _values_decoder([spec.ref for spec in fields])
    offset = len(_IDENTITY)
    fractional = [offset + index for index, spec in enumerate(fields) if _is_fractional(spec)]
    lists = [
        offset + index
        for index, spec in enumerate(fields)
        if spec.type == FieldType.MULTIPLE_CHOICE
    ]

    def rows() -> Iterator[list[str | None]]:
        zone = timezone.get_current_timezone()
        for batch in _batches(found.values_list(*aliases, Cast("values", TextField()))):
            for *identity, values in batch:
                sent_at = identity[_SENT_AT]
                identity[_SENT_AT] = (
                    sent_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if sent_at else ""
                )
                row = identity + list(decode(values))
                if decimal_comma:
                    for index in fractional:
                        if row[index]:
                            row[index] = str(row[index]).replace(".", ",")
                for index in lists:
                    if row[index]:
                        row[index] = "|".join(str(code) for code in row[index])
                yield row

    copy = None
    if connection.vendor == "postgresql":
        copy = pgcopy.CopySource(
            found,
            identity=[column.code for column, _expression in _IDENTITY],
            timestamps={"wyslano"},
            # Money with grosze is written as the decimals are.
            fields=[
                (spec.ref, FieldType.DECIMAL if _is_fractional(spec) else spec.type)
                for spec in fields
            ],
            fractional=_FRACTIONAL if decimal_comma else frozenset(),
        )
    return ExportTable(
        name=publication.form_version.definition.code,
        columns=columns,
        rows=rows(),
        total=reports.count(),
        period=sdmx_period(publication),
        dimensions=("regon", "regon14"),
        copy=copy,
    )


def _values_decoder(refs: list[str]) -> Callable[[str], tuple]:
    """A report's values, as JSON text, decoded straight into the form's fields in order.

    Measured at 30,000 reports of 500 cells (docs/performance.md): PostgreSQL pulling the 500
    values out itself (`->>` each, or `jsonb_to_record`) takes 3–9 times as long as sending
    the JSON as text and decoding it here with msgspec into a structure of the form's fields,
    which skips the dictionary and the lookups of each field in it."""
    names = {f"f{index}": ref for index, ref in enumerate(refs)}
    values = msgspec.defstruct("Values", [(name, Any, None) for name in names], rename=names)
    decoder = msgspec.json.Decoder(values)
    astuple = msgspec.structs.astuple

    def decode(text: str) -> tuple:
        try:
            return astuple(decoder.decode(text))
        except msgspec.DecodeError:
            return (None,) * len(refs)

    return decode


def _batches(found) -> Iterator[list[tuple]]:
    """The rows of `found` in batches: in the worker, read ahead by a thread of their own on
    a connection of its own, so the database sends the next batch while this one is written;
    inside a transaction (a test, or a request), read in it."""
    if connection.in_atomic_block:
        yield from (list(batch) for batch in itertools.batched(found.iterator(CHUNK), CHUNK))
        return
    ahead: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in itertools.batched(found.iterator(CHUNK), CHUNK):
                while not stop.is_set():
                    try:
                        ahead.put([list(row) for row in batch], timeout=1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ahead.put(None)
        except Exception as error:  # handed to the writing thread, which raises it
            ahead.put(error)
        finally:
            connection.close()

    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while (batch := ahead.get()) is not None:
            if isinstance(batch, Exception):
                raise batch
            yield batch
    finally:
        stop.set()
        reader.join(timeout=5)


def aggregate(
    user: User, publication: Publication, *, options: dict, decimal_comma: bool
) -> ExportTable:
    """The „Wyniki” table as the reader sees it on the page, hidden figures as ×."""
    scope = aggregates.scope_for(user, options.get("zakres") or None)
    result = aggregates.aggregate(
        publication=publication,
        figure=options["cecha"],
        breakdown=options.get("wedlug") or "wojewodztwo",
        scope=scope,
        final_only=options.get("final_only", True),
    )

    def number(value: Decimal | None, places: int | None = None) -> str:
        if value is None:
            return ""
        text = format(round(value, places) if places is not None else value, "f")
        return text.replace(".", ",") if decimal_comma else text

    rates = result.population_year is not None

    def rows() -> Iterator[list[str]]:
        for row in [*result.rows, result.total]:
            if row is None:
                continue
            if row.hidden:
                # A hidden row's rate is hidden with it: the population would tell its sum.
                hidden = [Verbatim(HIDDEN)] * (2 if rates else 1)
                yield [row.key, row.label, *hidden, "", "", "", ""]
                continue
            yield [
                row.key,
                row.label,
                number(row.total),
                *([number(row.rate, 2)] if rates else []),
                str(row.count),
                number(row.mean, 2),
                number(row.median, 2),
                number(row.change, 1),
            ]

    columns = [
        Column("klucz", _("Kod")),
        Column("nazwa", result.breakdown_label),
        Column("suma", _("Suma"), numeric=True),
        *(
            [
                Column(
                    "na_10_tys",
                    _("Na 10 tys. ludności (ludność %(year)d)") % {"year": result.population_year},
                    numeric=True,
                )
            ]
            if rates
            else []
        ),
        Column("liczba", _("Liczba podmiotów"), numeric=True),
        Column("srednia", _("Średnia"), numeric=True),
        Column("mediana", _("Mediana"), numeric=True),
        Column("zmiana", _("Zmiana wobec poprzedniego okresu (%)"), numeric=True),
    ]
    return ExportTable(
        name=f"{publication.form_version.definition.code} {options['cecha']}",
        columns=columns,
        rows=rows(),
        total=len(result.rows) + 1,
        period=sdmx_period(publication),
        dimensions=("klucz",),
        measure_dimension="STATISTIC",
    )


def rule_results(user: User, publication: Publication, *, final_only: bool) -> ExportTable:
    """Every warning of each report's last sending, with the reporter's explanation."""
    reports = _reports(user, publication, final_only)
    versions = (
        ReportVersion.objects.filter(report__in=reports, number=F("report__times_sent"))
        .exclude(warnings=[])
        .order_by("report__obligation__entity__regon", "report__unit__regon14", "report_id")
        .values_list(
            "report__obligation__entity__regon",
            "report__unit__regon14",
            "report__obligation__entity__name",
            "report__unit__name",
            "number",
            "sent_at",
            "warnings",
            "explanations",
        )
    )
    english = (get_language() or "pl").startswith("en")

    def rows() -> Iterator[list[str]]:
        zone = timezone.get_current_timezone()
        for (
            regon,
            regon14,
            name,
            unit,
            number,
            sent_at,
            warnings,
            explanations,
        ) in versions.iterator(chunk_size=CHUNK):
            for warning in warnings:
                yield [
                    regon,
                    regon14 or "",
                    name,
                    unit or "",
                    str(number),
                    sent_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    warning.get("rule", ""),
                    warning.get("message_en" if english else "message_pl", ""),
                    (explanations or {}).get(warning.get("rule", ""), ""),
                ]

    columns = [
        Column("regon", _("REGON podmiotu")),
        Column("regon14", _("REGON jednostki")),
        Column("nazwa", _("Nazwa podmiotu")),
        Column("jednostka", _("Nazwa jednostki")),
        Column("wysylka", _("Wysyłka"), numeric=True),
        Column("wyslano", _("Wysłano")),
        Column("regula", _("Reguła")),
        Column("komunikat", _("Ostrzeżenie")),
        Column("wyjasnienie", _("Wyjaśnienie sprawozdawcy")),
    ]
    return ExportTable(
        name=f"{publication.form_version.definition.code} {_('reguły')}",
        columns=columns,
        rows=rows(),
        total=reports.filter(warning_count__gt=0).count(),
        period=sdmx_period(publication),
        dimensions=("regon", "regon14", "regula"),
    )


def records(
    user: User, publication: Publication, *, final_only: bool, decimal_comma: bool
) -> ExportTable:
    """One row per card of each report's last sent version (a form with repeating records,
    MZ/Szp-11B): who sent it, the card's number, then each of the card's fields by its code.
    Personal data (PESEL) is always masked: an export leaves SSOZ."""
    from ssoz.reports.records import shown

    spec = publication.form_version.compiled().records
    card_fields = [f for f in spec.form.fields.values() if f.is_input] if spec else []
    personal = spec.form.personal if spec else frozenset()
    reports = _reports(user, publication, final_only)
    versions = (
        ReportVersion.objects.filter(report__in=reports, number=F("report__times_sent"))
        .order_by("report__obligation__entity__regon", "report__unit__regon14", "report_id")
        .values_list(
            "report__obligation__entity__regon",
            "report__unit__regon14",
            "report__obligation__entity__name",
            "report__unit__name",
            "records",
        )
    )
    fractional = [i for i, f in enumerate(card_fields) if f.type in _FRACTIONAL]

    def rows() -> Iterator[list[str]]:
        for regon, regon14, name, unit, cards in versions.iterator(chunk_size=CHUNK):
            for card in cards or []:
                values = shown(card.get("values") or {}, personal, full=False)
                row = []
                for index, field in enumerate(card_fields):
                    value = values.get(field.ref, "")
                    if isinstance(value, list):
                        value = "|".join(str(code) for code in value)
                    value = str(value)
                    if decimal_comma and index in fractional:
                        value = value.replace(".", ",")
                    row.append(value)
                yield [regon, regon14 or "", name, unit or "", str(card.get("number", "")), *row]

    columns = [
        Column("regon", _("REGON podmiotu")),
        Column("regon14", _("REGON jednostki")),
        Column("nazwa", _("Nazwa podmiotu")),
        Column("jednostka", _("Nazwa jednostki")),
        Column("karta", _("Numer karty"), numeric=True),
        *(Column(f.ref, f.label, numeric=f.type in NUMERIC_TYPES) for f in card_fields),
    ]
    return ExportTable(
        name=f"{publication.form_version.definition.code} {_('karty')}",
        columns=columns,
        rows=rows(),
        total=reports.count(),
        period=sdmx_period(publication),
        dimensions=("regon", "regon14", "karta"),
    )
