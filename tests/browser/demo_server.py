"""A demo installation (`kouki demo --no-serve`) built once and served by `kouki serve`, for browser tests
that walk through a day at the city office on it (issue 11 §5)."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    secret: str

    def code(self) -> str:
        return pyotp.TOTP(self.secret).now()


@dataclass(frozen=True)
class Demo:
    out: Path
    settings: dict[str, str]  # demo.env
    accounts: dict[str, DemoAccount]
    in_arrears: int  # person ids of the three example people the demo prints
    overpaid: int
    awaiting_review: int

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Rows of the demo's database (read while the server runs; each query its own connection)."""
        with closing(sqlite3.connect(self.out / "kouki.sqlite3")) as db:
            return db.execute(sql, params).fetchall()

    def one(self, sql: str, *params: object) -> tuple[Any, ...]:
        (row,) = self.rows(sql, *params)
        return row


def _without_kouki_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}


def _accounts(text: str) -> dict[str, DemoAccount]:
    found = re.findall(r"user: (\S+)\n  password: (\S+)\n  TOTP secret: ([A-Z2-7]+)", text)
    return {user: DemoAccount(user, password, secret) for user, password, secret in found}


def build_demo(out: Path, *, residents: int, days: int) -> Demo:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kouki.cli",
            "demo",
            "--no-serve",
            "--out",
            str(out),
            "--residents",
            str(residents),
            "--days",
            str(days),
        ],
        capture_output=True,
        text=True,
        env=_without_kouki_settings(),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    people = dict(
        re.findall(
            r"\((arrears|an open overpayment|a notification awaiting 再鑑)\): "
            r"\S+ \S+ 宛名番号 \d{10}  /persons/(\d+)/",
            proc.stdout,
        )
    )
    settings = dict(
        line.split("=", 1) for line in (out / "demo.env").read_text(encoding="utf-8").splitlines() if line
    )
    return Demo(
        out,
        settings,
        _accounts((out / "demo-accounts.txt").read_text(encoding="utf-8")),
        int(people["arrears"]),
        int(people["an open overpayment"]),
        int(people["a notification awaiting 再鑑"]),
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http://127.0.0.1 only)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serving(demo: Demo, log: Path) -> Iterator[str]:
    """`kouki serve` on a free port with the demo's settings; yields the base URL, stops it after."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kouki.cli", "serve", "--port", str(port)],
            env=_without_kouki_settings() | demo.settings,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(600):  # until the login page answers (the server migrates nothing here)
                assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")[-2000:]
                if _answers(base + "/login/"):
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("kouki serve did not answer /login/")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)
