"""Dumping and restoring the two databases kouki runs on, and counting their rows.

SQLite: the online backup API (a consistent copy while the server runs, made in memory). PostgreSQL:
`pg_dump --format=custom` to a pipe, under a snapshot exported by a REPEATABLE READ transaction in which the
rows are counted, so the manifest's counts are exactly the dump's; `pg_restore --single-transaction
--exit-on-error`. A backup is sealed as it is read: no plain dump is written to disk.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

import psycopg
from psycopg import sql

Counts = dict[str, int]


class DatabaseError(RuntimeError):
    """The database cannot be dumped or restored; the message says why (never a password)."""


def vendor_of(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise DatabaseError(f"unsupported database engine {engine}")


def _conninfo(settings_dict: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    parts = {"dbname": settings_dict.get("NAME") or "", "user": settings_dict.get("USER") or "",
             "host": settings_dict.get("HOST") or "", "port": str(settings_dict.get("PORT") or "")}
    conninfo = psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return conninfo, env


def _sqlite_counts(db: sqlite3.Connection) -> Counts:
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {name: int(db.execute(f"SELECT COUNT(*) FROM {quoted[name]}").fetchone()[0])  # noqa: S608 (quoted)
            for name in names}


def _pg_counts(cursor: psycopg.Cursor[Any]) -> Counts:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [r[0] for r in cursor.fetchall()]
    counts: Counts = {}
    for name in names:
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name)))
        row = cursor.fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts


Consume = Callable[[BinaryIO], str]  # reads the plain dump to its end (sealing it); returns its SHA-256


class _Counted(io.RawIOBase):
    """A reader that counts the bytes read through it (the plain dump's size for the manifest)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.count = source, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        return len(data)


def sqlite_dump_into(source: sqlite3.Connection, consume: Consume) -> tuple[Counts, str, int]:
    """The live database copied in memory (online backup) and handed to `consume` as a stream: no plain
    copy on disk that a crash could leave behind. The counts, the SHA-256 and the size of the plain copy."""
    with closing(sqlite3.connect(":memory:")) as copy:
        source.backup(copy)
        counts = _sqlite_counts(copy)
        image = copy.serialize()
    reader = _Counted(io.BytesIO(image))
    digest = consume(io.BufferedReader(reader))
    return counts, digest, reader.count


@contextmanager
def _pg(settings_dict: dict[str, Any]) -> Iterator[psycopg.Connection[Any]]:
    conninfo, env = _conninfo(settings_dict)
    password = env.get("PGPASSWORD")
    try:
        connection = psycopg.connect(conninfo, password=password) if password else psycopg.connect(conninfo)
    except psycopg.OperationalError as exc:
        raise DatabaseError(f"cannot connect to PostgreSQL: {str(exc).splitlines()[0]}") from None
    with connection:
        yield connection


def pg_dump_into(settings_dict: dict[str, Any], consume: Consume) -> tuple[Counts, str, int]:
    """`pg_dump --format=custom` to a pipe read by `consume` (sealing it as it comes: no plain dump on disk
    that a crash could leave behind), under a snapshot in which the rows are counted. The counts, the
    SHA-256 and the size of the plain dump."""
    conninfo, env = _conninfo(settings_dict)
    with _pg(settings_dict) as connection, connection.cursor() as cursor, tempfile.TemporaryFile() as errors:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None
        snapshot = str(row[0])
        counts = _pg_counts(cursor)
        proc = subprocess.Popen(  # noqa: S603 (fixed program, our own arguments)
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",  # noqa: S607 (client on PATH)
             f"--snapshot={snapshot}", f"--dbname={conninfo}"],
            env=env, stdout=subprocess.PIPE, stderr=errors,
        )
        assert proc.stdout is not None
        try:
            reader = _Counted(proc.stdout)
            digest = consume(io.BufferedReader(reader))
        finally:
            proc.stdout.close()
            returncode = proc.wait()
        cursor.execute("COMMIT")
        errors.seek(0)
        complaint = errors.read().decode("utf-8", "replace").strip()
    if returncode != 0:
        raise DatabaseError(f"pg_dump failed: {complaint[-500:]}")
    return counts, digest, reader.count


def sqlite_check(path: Path) -> tuple[str, Counts]:
    """PRAGMA integrity_check of a plain SQLite file and its counts."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        result = str(db.execute("PRAGMA integrity_check").fetchone()[0])
        return result, _sqlite_counts(db)


def pg_archive_check(path: Path) -> str | None:
    """None when pg_restore can read the archive's table of contents, else its complaint."""
    proc = subprocess.run(["pg_restore", "--list", str(path)],  # noqa: S603, S607 (PostgreSQL's client)
                          capture_output=True, text=True, check=False)
    return None if proc.returncode == 0 else proc.stderr.strip()[-500:] or "pg_restore --list failed"


def sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return not _sqlite_counts(db)


def pg_is_empty(settings_dict: dict[str, Any]) -> bool:
    with _pg(settings_dict) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
        row = cursor.fetchone()
        return row is not None and int(row[0]) == 0


def pg_restore(settings_dict: dict[str, Any], archive: Path) -> Counts:
    conninfo, env = _conninfo(settings_dict)
    proc = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S607 (client on PATH)
         "--single-transaction", f"--dbname={conninfo}", str(archive)],
        env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise DatabaseError(f"pg_restore failed (nothing was restored): {proc.stderr.strip()[-500:]}")
    with _pg(settings_dict) as connection, connection.cursor() as cursor:
        return _pg_counts(cursor)
