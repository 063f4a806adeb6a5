"""Microdata as CSV written by PostgreSQL itself: `COPY (query) TO STDOUT`.

The database pulls each value out of the report's JSON and writes the CSV line while this
process only copies the bytes into the file: at 30,000 reports of 500 cells, in two parts at
once, 2.5 times the time of writing the same rows from memory (docs/performance.md). Each
report's JSON is detoasted once, by a `|| '{}'` in a subquery that the planner may not fold
away (OFFSET 0): each `->>` on the stored column would decompress it again, 500 times a row.

The rows are the same as the Python path's (`tables.microdata`), value for value: the tests
read both back and compare them.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.utils import timezone

from ssoz.definitions.form.structure import NUMERIC_TYPES, FieldType

# A text starting with one of these is read by Excel as a formula: "'" is put before it, as
# `writers._guarded` does.
_FORMULA = r"regexp_replace({}, '^([=+@\t\r-])', '''\1')"


class CopySource:
    """The rows of `found` (a values_list of the identity columns, aliased `x_<code>`, then
    the report's "values") as one COPY statement."""

    def __init__(
        self,
        found: QuerySet,
        *,
        identity: Sequence[str],
        timestamps: Collection[str],
        fields: Sequence[tuple[str, FieldType]],
        fractional: Collection[FieldType],
    ) -> None:
        self.found = found
        self.identity = identity
        self.timestamps = timestamps
        self.fields = fields
        self.fractional = fractional

    def statement(self, *, delimiter: str, guard_formulas: bool) -> tuple[str, list]:
        inner, params = self.found.query.get_compiler(using=self.found.db).as_sql()
        guard = _FORMULA.format if guard_formulas else "{}".format
        columns: list[str] = []
        values: list[str] = []  # the columns' parameters, which come before the query's
        for code in self.identity:
            if code in self.timestamps:
                columns.append(f"to_char(r.x_{code} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')")
                values.append(timezone.get_current_timezone_name())
            else:
                columns.append(guard(f"r.x_{code}"))
        for ref, kind in self.fields:
            if kind == FieldType.MULTIPLE_CHOICE:
                columns.append(
                    guard(
                        "CASE jsonb_typeof(r.v -> %s) WHEN 'array' THEN (SELECT string_agg("
                        "e.code, '|' ORDER BY e.place) FROM jsonb_array_elements_text(r.v -> %s)"
                        " WITH ORDINALITY AS e(code, place)) ELSE r.v ->> %s END"
                    )
                )
                values += [ref, ref, ref]
            elif kind in self.fractional:
                columns.append("replace(r.v ->> %s, '.', ',')")
                values.append(ref)
            elif kind in NUMERIC_TYPES:
                columns.append("r.v ->> %s")
                values.append(ref)
            else:
                columns.append(guard("r.v ->> %s"))
                values.append(ref)
        if delimiter not in (",", ";"):
            raise ValueError(f"unexpected delimiter {delimiter!r}")
        # Only fixed templates and the compiled query go into the text; values are parameters.
        sql = (
            f"COPY (SELECT {', '.join(columns)} FROM ("  # noqa: S608
            f"SELECT q.*, q.\"values\" || '{{}}'::jsonb AS v FROM ({inner} OFFSET 0) q OFFSET 0"
            f") r) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}')"
        )
        return sql, [*values, *params]

    @property
    def shares_connection(self) -> bool:
        """Whether the COPY runs on this thread's connection, which then can do nothing else
        until it ends: inside a transaction (a test's), whose rows only it sees. The worker
        copies on connections of its own, so that the job's progress can be written."""
        return connection.in_atomic_block

    def write(
        self,
        out: BinaryIO,
        *,
        delimiter: str,
        guard_formulas: bool,
        progress: Callable[[int], object] | None = None,
        every: int = 500,
    ) -> int:
        """Write the rows into `out` as CSV; returns how many. `progress` is told every `every`
        rows how many are written (not inside a transaction: see `shares_connection`).

        In the worker the rows are cut into `settings.EXPORT_COPY_PARTS` runs of entities, in
        order, each copied by a connection of its own at the same time, as a parallel dump
        does: what a COPY waits for is the database's work, not this process's. The first part
        goes straight into `out`, the others into files beside it, appended in turn."""
        if self.shares_connection:
            sql, params = self.statement(delimiter=delimiter, guard_formulas=guard_formulas)
            return _copy(connection, sql, params, out, None)
        statements = [
            part.statement(delimiter=delimiter, guard_formulas=guard_formulas)
            for part in self._parts(settings.EXPORT_COPY_PARTS)
        ]
        written = [0] * len(statements)
        stop = threading.Event()
        failures: list[BaseException] = []
        with contextlib.ExitStack() as files:
            spills = [
                files.enter_context(
                    tempfile.TemporaryFile(dir=Path(out.name).parent, prefix="export-")
                )
                for _statement in statements[1:]
            ]

            def copy_part(index: int, target: BinaryIO) -> int:
                def tick() -> None:
                    written[index] += 1
                    if stop.is_set():
                        raise _Stopped
                    if index == 0 and progress is not None and written[0] % every == 0:
                        progress(sum(written))

                database = connections.create_connection(DEFAULT_DB_ALIAS)
                try:
                    return _copy(database, *statements[index], target, tick)
                finally:
                    database.close()

            def in_background(index: int) -> None:
                try:
                    copy_part(index, spills[index - 1])
                except _Stopped:
                    pass
                except BaseException as error:  # raised again by the writing thread
                    failures.append(error)
                    stop.set()

            threads = [
                threading.Thread(target=in_background, args=(index,), name=f"export-copy-{index}")
                for index in range(1, len(statements))
            ]
            for thread in threads:
                thread.start()
            try:
                count = copy_part(0, out)
            except _Stopped:
                count = 0
            except BaseException:
                stop.set()
                raise
            finally:
                for thread in threads:
                    thread.join()
            if failures:
                raise failures[0]
            for spill in spills:
                spill.seek(0)
                shutil.copyfileobj(spill, out, 1 << 20)
        return count + sum(written[1:])

    def _parts(self, count: int) -> list[CopySource]:
        """This source cut into about `count` runs of entities by REGON, in order, each of
        about as many reports, an entity's reports all in one."""
        if count < 2:
            return [self]
        total = self.found.count()
        regons = self.found.values_list("obligation__entity__regon", flat=True)
        bounds: list[str] = []
        for part in range(1, count):
            at = total * part // count
            found = list(regons[at : at + 1])
            if found and (not bounds or found[0] > bounds[-1]):
                bounds.append(found[0])
        parts = []
        for low, high in itertools.pairwise([None, *bounds, None]):
            narrowed = self.found
            if low is not None:
                narrowed = narrowed.filter(obligation__entity__regon__gte=low)
            if high is not None:
                narrowed = narrowed.filter(obligation__entity__regon__lt=high)
            parts.append(
                CopySource(
                    narrowed,
                    identity=self.identity,
                    timestamps=self.timestamps,
                    fields=self.fields,
                    fractional=self.fractional,
                )
            )
        return parts


class _Stopped(Exception):
    """Another part failed: this one stops copying."""


def _copy(database, sql: str, params: list, out: BinaryIO, tick: Callable[[], None] | None) -> int:
    """COPY `sql` on `database` into `out`, a line (a row) at a time; how many rows."""
    with database.cursor() as wrapper:
        # psycopg's own cursor: Django's debug wrapper passes no parameters to COPY.
        cursor = wrapper.cursor
        with cursor.copy(sql, params) as copy:
            for line in copy:
                out.write(line)
                if tick is not None:
                    tick()
        return cursor.rowcount
