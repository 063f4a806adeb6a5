"""The compiled SQL of a hot query, kept per shape of its arguments, as SQLAlchemy's compiled
cache keeps a statement's.

Building and compiling a queryset of the access rule costs more than running it: on the
background save, 1.2 ms of a 2.3 ms lock (docs/performance.md). A `QueryTemplate` builds the
queryset once per shape of the user (the fields that change the query's structure, which
must be named), and afterwards only puts the arguments' values in.

It learns where they go by compiling the query for two made-up users, which differ from each
other (and from the real user) in every field outside the shape, and for two made-up ids.
The two texts must be the same, every parameter that differs between them must be one of
those fields or the id, and building the query must not read the database; otherwise the
query is not kept and is built every time. So a field that the rule reads but the shape does
not name can never be baked into a kept query.

`first_instance` runs such SQL and gives its first row as a model instance, as
`Model.objects.raw()` would, but works out which column is which field once per text rather
than on every run (a quarter of a millisecond of each of the save's three reads).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet

_UNKEPT = object()
# Row plans by model, database and SQL text; bounded, since an unkept query's text can vary.
_PLANS_KEPT = 512


class QueryTemplate:
    """`build(user, object_id)` as SQL and parameters, compiled once per shape of `user`."""

    def __init__(self, build: Callable[[Any, int], QuerySet], *, shape: Sequence[str]) -> None:
        self.build = build
        self.shape = tuple(shape)
        # Two threads learning one shape at once learn the same: no lock is needed.
        self._kept: dict[tuple, Any] = {}

    def sql(self, user: Model, object_id: int) -> tuple[str, list] | None:
        """The SQL and its parameters; None when the query can find nothing (an empty
        queryset, such as the rule gives an account that sees no such objects)."""
        key = self._key(user)
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = self._learn(user)
        if kept is _UNKEPT:
            try:
                return _compiled(self.build(user, object_id))
            except EmptyResultSet:
                return None
        text, slots = kept
        values = {"id": object_id}
        return text, [
            value if kind == "constant" else values[value] if kind == "id" else getattr(user, value)
            for kind, value in slots
        ]

    def _key(self, user: Model) -> tuple:
        """The shape's values, and which of the other fields are empty (an empty field can
        change the query's structure: `IS NULL`)."""
        return (
            connection.vendor,
            tuple(getattr(user, name) for name in self.shape),
            tuple(getattr(user, name) is None for name in _attnames(user, self.shape)),
        )

    def _learn(self, user: Model) -> Any:
        first, second = _probe(user, self.shape, 1), _probe(user, self.shape, 2)
        if first is None or second is None:
            return _UNKEPT
        ids = (-987_654_321, -987_654_322)
        pairs: dict[tuple, tuple[str, str] | None] = {ids: ("id", "id")}
        for name in _attnames(user, self.shape):
            pair = (getattr(first, name), getattr(second, name))
            if pair[0] is not None:
                # Two yes-or-no fields make up the same pair: neither can be told apart.
                pairs[pair] = None if pair in pairs else ("user", name)
        return _learnt(lambda: self.build(first, ids[0]), lambda: self.build(second, ids[1]), pairs)


class KeptQuery:
    """`build(*arguments)`, a query of plain values (no user), compiled once: `made_up` gives
    two values no row has for each argument, with which it learns where the arguments go."""

    def __init__(self, build: Callable[..., QuerySet], *made_up: tuple[Any, Any]) -> None:
        self.build = build
        self.made_up = made_up
        self._kept: dict[str, Any] = {}

    def sql(self, *arguments: Any) -> tuple[str, list]:
        kept = self._kept.get(connection.vendor)
        if kept is None:
            kept = self._kept[connection.vendor] = self._learn()
        if kept is _UNKEPT:
            return _compiled(self.build(*arguments))
        text, slots = kept
        return text, [value if kind == "constant" else arguments[value] for kind, value in slots]

    def _learn(self) -> Any:
        first = [one for one, _two in self.made_up]
        second = [two for _one, two in self.made_up]
        pairs = {pair: ("argument", index) for index, pair in enumerate(self.made_up)}
        return _learnt(lambda: self.build(*first), lambda: self.build(*second), pairs)


def _learnt(first: Callable[[], QuerySet], second: Callable[[], QuerySet], pairs: dict) -> Any:
    """The SQL of the two made-up queries and, for each parameter, where its value comes from:
    a constant (the same in both), or what `pairs` names for the two values it took (None:
    not to be told apart). `_UNKEPT` when the texts differ, a parameter is accounted for by
    nothing, or building either query reads the database (what it read would be baked in)."""
    try:
        with connection.execute_wrapper(_refuse):
            text, params = _compiled(first())
            other_text, other_params = _compiled(second())
    except (_ReadsTheDatabase, EmptyResultSet):
        return _UNKEPT
    if text != other_text or len(params) != len(other_params):
        return _UNKEPT
    slots: list[tuple[str, Any]] = []
    for one, two in zip(params, other_params, strict=True):
        if one == two:
            slots.append(("constant", one))
        elif pairs.get((one, two)) is not None:
            slots.append(pairs[(one, two)])
        else:
            return _UNKEPT  # a value worked out from the arguments: build it each time
    return text, slots


class _ReadsTheDatabase(Exception):
    pass


def _refuse(execute, sql, params, many, context):
    raise _ReadsTheDatabase


def _compiled(queryset: QuerySet) -> tuple[str, list]:
    text, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return text, list(params)


def _attnames(user: Model, shape: Sequence[str]) -> list[str]:
    return [field.attname for field in user._meta.concrete_fields if field.attname not in shape]


def _probe(user: Model, shape: Sequence[str], number: int) -> Model | None:
    """A copy of `user` with every field outside `shape` made up, differently for each
    `number`; None when a field is of a kind that cannot be made up here."""
    probe = user.__class__()
    for index, field in enumerate(user._meta.concrete_fields):
        name = field.attname
        value = getattr(user, name)
        if name in shape or value is None:
            setattr(probe, name, value)
            continue
        made_up = _made_up(value, number, index)
        if made_up is None:
            return None
        setattr(probe, name, made_up)
    return probe


def _made_up(value: Any, number: int, index: int) -> Any:
    """A value of `value`'s kind that no real row has, one for each field (`index`) and
    `number`."""
    if isinstance(value, bool):
        return number == 1
    if isinstance(value, int):
        return -1_000_000_000 - 1000 * number - index
    if isinstance(value, str):
        return f"\x00{number}.{index}"
    if isinstance(value, datetime.datetime):
        made_up = datetime.datetime(2000 + number, 1, 1, tzinfo=value.tzinfo)
        return made_up + datetime.timedelta(seconds=index)
    if isinstance(value, datetime.date):
        return datetime.date(2000 + number, 1, 1) + datetime.timedelta(days=index)
    return None


def first_instance(model: type[Model], query: tuple[str, list] | None) -> Model | None:
    """The first row the SQL `query` finds, as an instance of `model` with the other columns
    as attributes (what `model.objects.raw(*query)` gives first); None when there is no row
    or no query."""
    if query is None:
        return None
    text, params = query
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        row = cursor.fetchone()
        if row is None:
            return None
        key = (model, connection.vendor, text)
        plan = _plans.get(key)
        if plan is None:
            plan = _RowPlan(model, [column[0] for column in cursor.description])
            if len(_plans) < _PLANS_KEPT:
                _plans[key] = plan
    return plan.instance(row)


class _RowPlan:
    """Which column of a row is which field of `model` (the rest become attributes), and the
    database's converters of each: what `RawQuerySet` works out on each run."""

    def __init__(self, model: type[Model], names: Sequence[str]) -> None:
        identifier = connection.introspection.identifier_converter
        columns = [identifier(name) for name in names]
        fields = {identifier(field.column): field for field in model._meta.fields}
        present = [field for column, field in fields.items() if column in columns]
        self.names = [field.attname for field in present]
        if any(field.attname not in self.names for field in model._meta.pk_fields):
            raise ValueError("the query must read the primary key")
        self.model = model
        self.positions = [columns.index(identifier(field.column)) for field in present]
        self.annotations = [
            (column, position) for position, column in enumerate(columns) if column not in fields
        ]
        self.converters = []
        for position, column in enumerate(columns):
            field = fields.get(column)
            if field is None:
                continue
            expression = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            if found:
                self.converters.append((position, found, expression))

    def instance(self, row: Sequence[Any]) -> Model:
        values = list(row)
        for position, converters, expression in self.converters:
            value = values[position]
            for convert in converters:
                value = convert(value, expression, connection)
            values[position] = value
        instance = self.model.from_db(
            connection.alias, self.names, [values[position] for position in self.positions]
        )
        for column, position in self.annotations:
            setattr(instance, column, values[position])
        return instance


_plans: dict[tuple, _RowPlan] = {}
