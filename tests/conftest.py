"""Shared test setup: a throwaway keyring for the whole session (keys never live in the database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kouki.privacy.keys import create_keyring


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Files named *_postgres.py test what only PostgreSQL has (row locks seen in pg_stat_activity): they
    belong to the suite when it runs on PostgreSQL (KOUKI_DATABASE_URL=postgres…, CI's second stage) and
    are not collected on SQLite — never collected and skipped."""
    if collection_path.name.endswith("_postgres.py"):
        return not os.environ.get("KOUKI_DATABASE_URL", "").startswith("postgres")
    return None


@pytest.fixture(scope="session", autouse=True)
def keyring_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("keys") / "keyring.json"
    create_keyring(path)
    previous = settings.KOUKI_KEYRING
    settings.KOUKI_KEYRING = str(path)
    yield path
    settings.KOUKI_KEYRING = previous


@pytest.fixture(scope="session", autouse=True)
def flush_past_log_triggers() -> Iterator[None]:
    """Django's test flush empties tables with DELETE on SQLite, which the append-only triggers of the
    audit and reference logs refuse (migration 0006): drop them around the flush, re-create them after."""
    from django.db import connection

    from kouki.privacy.guards import expected_sqlite_triggers

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    original = operations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        triggers = expected_sqlite_triggers()
        with self.connection.cursor() as cursor:
            for name in triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for sql in triggers.values():
                    cursor.execute(sql)

    operations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    operations.execute_sql_flush = original  # type: ignore[method-assign]


OPERATOR_USERNAME = "ops.kimura"


@pytest.fixture
def operator(monkeypatch: pytest.MonkeyPatch, db: None) -> str:
    """A named system administrator (IMPORT_FILES, RUN_BATCHES, MANAGE_KEYS) who runs the commands of a test:
    enrolled through the real service and set as KOUKI_BATCH_USER, the default for `--as`."""
    from factories import make_staff

    from kouki.accounts.permissions import Role

    make_staff(Role.SYSTEM_ADMIN, username=OPERATOR_USERNAME, staff_name="木村 運用")
    monkeypatch.setenv("KOUKI_BATCH_USER", OPERATOR_USERNAME)
    return OPERATOR_USERNAME



@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> Iterator[None]:
    """On SQLite the test database is a file, not Django's shared in-memory one: the browser tests' server
    is `kouki serve` in a process of its own (tests/browser/production_server.py), which must open it. The
    file lies in /dev/shm where there is one (memory speed), else in the temporary folder; removed after."""
    import shutil
    import tempfile

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        yield
        return
    shm = Path("/dev/shm")  # noqa: S108 — a private folder made inside it
    folder = Path(tempfile.mkdtemp(prefix="kouki-test-db-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)
