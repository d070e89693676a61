"""The crash harness (issue 16 §3): run a `kouki` batch as a subprocess on a database of its own, kill it
with SIGKILL at a named fault point (KOUKI_FAULT_KILL_AT, kouki.core.faults), run it again, and compare
its files and database with an uninterrupted run from the same seed.

Databases are on the backend the tests run on: SQLite files copied with the online-backup API, or
PostgreSQL databases created from a seed database (CREATE DATABASE … TEMPLATE …) and dropped at the end.
The comparison is canonical: every table's rows as a multiset, without clock times (timestamp columns,
the audit chain's hashes), with the outbox folder and the clock times in file names (the certificate
batch folder, the refund transfer files) normalised; on PostgreSQL also without surrogate keys (a
rolled-back insert still advances a sequence, so ids differ from the uninterrupted run's), on SQLite with
them (ids are reused after a rollback).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

from kouki.core.faults import FAULT_ENV

ROOT = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"batch-\d{8}-\d{6}")
RUN_STAMP = re.compile(r"-(\d{8})-\d{14}(?=\.(?:dat|pdf)\b)")  # the refund transfer's: sofuri-DATE-TIME.dat
CLOCK_COLUMNS = ("hash", "prev_hash")  # the audit chain hashes its rows' times
SKIPPED_TABLES = {"sqlite_sequence", "django_migrations", "django_session"}
# keys of JSON detail that hold a surrogate key without saying so by an _id suffix (the receipts' audit rows
# name their ImportRecord as "import")
ID_KEYS = ("import",)


def unstamped(text: str) -> str:
    """`text` with the clock times in file names normalised: the certificate batch folder's, the refund
    transfer files' (a re-run names its files by its own clock; what is compared is what they hold)."""
    return RUN_STAMP.sub(r"-\1-*", STAMP.sub("batch-*", text))


class Databases:
    """Databases for the subprocesses, on the backend of the test run, by short name."""

    def __init__(self, folder: Path, tag: str = "crash") -> None:
        self.folder = folder
        default = settings.DATABASES["default"]
        self.postgres = default["ENGINE"].endswith("postgresql")
        self.server = default
        # the process id keeps the names of two processes apart (pytest-xdist's workers each have their
        # own): the test database's name is shortened so that it always fits in the 40 characters
        self.prefix = f"{default['NAME'][:18]}_{tag}_{os.getpid()}_"[:40]
        self.created: list[str] = []

    def url(self, name: str) -> str:
        if not self.postgres:
            return f"sqlite:///{self.folder / (name + '.sqlite3')}"
        s = self.server
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{self.prefix}{name}"

    def _connect(self, dbname: str, autocommit: bool = False) -> Any:
        import psycopg

        s = self.server
        return psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"] or None,
                               dbname=dbname, autocommit=autocommit)

    def _admin(self, sql: str) -> None:
        with self._connect("postgres", autocommit=True) as conn:
            conn.execute(sql)  # names built here from the test's own prefix

    def create(self, name: str, template: str | None = None) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}{name}"')
            self._admin(f'CREATE DATABASE "{self.prefix}{name}"'
                        + (f' TEMPLATE "{self.prefix}{template}"' if template else ""))
            self.created.append(name)
        elif template is not None:
            with sqlite3.connect(self.folder / f"{template}.sqlite3") as src, \
                    sqlite3.connect(self.folder / f"{name}.sqlite3") as dst:
                src.backup(dst)

    def rows(self, name: str, sql: str) -> list[tuple[Any, ...]]:
        if self.postgres:
            with self._connect(self.prefix + name) as conn:
                return [tuple(r) for r in conn.execute(sql).fetchall()]
        with sqlite3.connect(self.folder / f"{name}.sqlite3") as conn:
            return conn.execute(sql).fetchall()

    def tables(self, name: str) -> dict[str, list[str]]:
        """Every table with its columns, without those holding a clock time (timestamp columns)."""
        if self.postgres:
            found = self.rows(name, "SELECT table_name, column_name, data_type"
                                    " FROM information_schema.columns WHERE table_schema = 'public'"
                                    " ORDER BY table_name, ordinal_position")
        else:
            names = self.rows(name, "SELECT name FROM sqlite_master WHERE type = 'table'")
            found = [(t, c, kind) for (t,) in names
                     for (_cid, c, kind, *_rest) in self.rows(name, f'PRAGMA table_info("{t}")')]
        out: dict[str, list[str]] = {}
        for table, column, kind in found:
            if table not in SKIPPED_TABLES and not kind.lower().startswith(("timestamp", "datetime")):
                out.setdefault(table, []).append(column)
        return out

    def drop_all(self) -> None:
        for name in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}{name}" WITH (FORCE)')


def _kept(column: str, postgres: bool) -> bool:
    if column in CLOCK_COLUMNS:
        return False
    return not (postgres and (column == "id" or column.endswith("_id")))


def _value(value: Any, out: str, postgres: bool) -> Any:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str):
        value = unstamped(value.replace(out, "<OUT>"))
        if postgres and value[:1] in "{[":
            value = _without_ids(value)
    return str(value) if value is not None else None


def _without_ids(text: str) -> str:
    """JSON detail with the surrogate keys it names removed (PostgreSQL: ids differ after a rollback)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text

    def strip(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()
                    if not (k == "id" or k in ID_KEYS or k.endswith(("_id", "_ids")))}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    return json.dumps(strip(data), sort_keys=True, ensure_ascii=False)


def canonical(dbs: Databases, db: str, out: Path, surrogates: tuple[str, ...] = (),
              varying: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as a sorted multiset, without clock times (and ids on PostgreSQL, with the
    `surrogates`: "table.column" numbered from a sequence), without the `varying` columns ("table.column"
    whose value no two runs share, as a ciphertext sealed with a fresh key)."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    for table, columns in sorted(dbs.tables(db).items()):
        kept = [c for c in columns if _kept(c, dbs.postgres) and f"{table}.{c}" not in varying
                and not (dbs.postgres and f"{table}.{c}" in surrogates)]
        if table == "privacy_auditentry" and dbs.postgres:
            kept = [c for c in kept if c != "target_id"]
        if not kept:
            continue
        sql = "SELECT " + ", ".join(f'"{c}"' for c in kept) + f' FROM "{table}"'  # noqa: S608 (own names)
        rows = [tuple(_value(v, str(out), dbs.postgres) for v in r) for r in dbs.rows(db, sql)]
        dump[table] = sorted(rows, key=repr)
    return dump


def chain_is_linked(dbs: Databases, db: str) -> None:
    rows = dbs.rows(db, "SELECT seq, prev_hash, hash FROM privacy_auditentry ORDER BY seq")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert all(b[1] == a[2] for a, b in itertools.pairwise(rows))


def files(out: Path) -> dict[str, bytes]:
    """Every file under `out` (hidden temporary files too), by path relative to `out`, the clock times in
    names normalised (`unstamped`)."""
    if not out.is_dir():
        return {}
    return {unstamped(str(p.relative_to(out))): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def hidden(name: str) -> bool:
    return any(part.startswith(".") for part in Path(name).parts)


def run(dbs: Databases, db: str, keyring: Path, args: list[str], *, operator: str,
        fault: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`kouki ARGS` on `db` as `operator`; `env`: settings of the batch's own (e.g. KOUKI_DIRECT_MONTHS)."""
    extra, env = env or {}, {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env.update(extra)
    env.update(KOUKI_DATABASE_URL=dbs.url(db), KOUKI_KEYRING=str(keyring),
               KOUKI_SECRET_KEY="faults-test", KOUKI_BATCH_USER=operator)
    if fault is not None:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-m", "kouki.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def script(dbs: Databases, db: str, keyring: Path, path: Path, folder: Path | None = None) -> None:
    """Run a seed script (tests/faults/seed_*.py) against `db`; it finds `folder` as KOUKI_FAULTS_FOLDER
    (where it may leave input files for the batches)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env.update(KOUKI_DATABASE_URL=dbs.url(db), KOUKI_KEYRING=str(keyring), KOUKI_SECRET_KEY="faults-test",
               KOUKI_FAULTS_FOLDER=str(folder or dbs.folder))
    proc = subprocess.run([sys.executable, str(path)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]


def differences(a: dict[str, list[tuple[Any, ...]]], b: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """The tables whose rows differ, each with a few rows only one side has (for the assertion message)."""
    out = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table, []), b.get(table, [])
        if ra != rb:
            only_a = [r for r in ra if r not in rb][:2]
            only_b = [r for r in rb if r not in ra][:2]
            out.append(f"{table}: {len(ra)} vs {len(rb)} rows; only here {only_a}; only there {only_b}")
    return out
