"""Shared set-up of the benchmark scripts: a fresh database and keyring, Django configured."""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse


def fresh_database(db_url: str) -> None:
    """Delete the SQLite file, or drop and recreate the PostgreSQL database."""
    parsed = urlparse(db_url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path if db_url.startswith("sqlite:////") else parsed.path.lstrip("/"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = db_url.replace(parsed.path, "/postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(db_url: str, keyring: Path | None = None) -> Path:
    """Point Django at db_url and a keyring (a new one in a temp dir unless given); returns its path."""
    os.environ["KOUKI_DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kouki.settings"
    if keyring is None:
        from kouki.privacy.keys import create_keyring

        keyring = Path(tempfile.mkdtemp(prefix="kouki-bench-")) / "keyring.json"
        create_keyring(keyring)
    os.environ["KOUKI_KEYRING"] = str(keyring)
    import django

    django.setup()
    return keyring


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.splitlines()
    total = mem[1].split()[1] if len(mem) > 1 else "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"nproc {os.cpu_count()}, {cpu}, RAM {total}, load average {load}"


def signed_in_client(username: str, role: str, purpose: str) -> Any:
    """A Django test client signed in (both factors marked done) as a new member of staff of `role`: the
    benchmarks time screens, not the sign-in. Staff nobody signs in as; the password is never used."""
    import time

    from django.test import Client

    from kouki.privacy.context import Actor
    from kouki.staff.services import staff_create
    from kouki.web.access import SECOND_FACTOR_DONE
    from kouki.web.middleware import LAST_SEEN

    user = staff_create(actor=Actor.system(purpose), username=username, staff_name=f"試験 {username}",
                        role=role, password="bench-" + "Passw0rd-long", must_change=False).user
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SECOND_FACTOR_DONE] = True
    session[LAST_SEEN] = time.time()
    session.save()
    return client


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best of `repeat` runs (seconds) and the last result."""
    import time

    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out
