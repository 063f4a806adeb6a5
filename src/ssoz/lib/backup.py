"""Backing up the database and restoring it, with the database's own tools.

PostgreSQL: `pg_dump --format=custom`, a consistent snapshot taken while SSOZ runs, restored by
`pg_restore --clean --single-transaction`, so that a restore that fails leaves the database as
it was. SQLite (the demo): the online backup API of `sqlite3`, both ways.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _pg_environment(database: dict) -> dict[str, str]:
    environment = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _run(command: list[str], database: dict) -> None:
    done = subprocess.run(  # noqa: S603 (the database's own tools, no shell)
        command, env=_pg_environment(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed ({done.returncode})")


def back_up(path: Path, alias: str = "default") -> int:
    """Write a backup of the database to `path` (through a file beside it, renamed when
    complete); returns its size in bytes."""
    database = _database(alias)
    partial = path.with_name(path.name + ".part")
    try:
        if connections[alias].vendor == "postgresql":
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial),
                 "--dbname", database["NAME"]],
                database,
            )  # fmt: skip
        else:
            source = sqlite3.connect(database["NAME"])
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def restore(path: Path, alias: str = "default") -> None:
    """Replace the whole database with the backup at `path`, in one transaction."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    database = _database(alias)
    connections[alias].close()
    if connections[alias].vendor == "postgresql":
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", database["NAME"], str(path)],
            database,
        )  # fmt: skip
        return
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        source.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite backup: {error}") from error
    target = sqlite3.connect(database["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
