"""Browser tests share the screen-test fixtures (synthetic household, staff, numbers)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright
from web.conftest import client_as, family, numbers, staff_of  # noqa: F401 (fixtures)
from web.person_samples import day  # noqa: F401 (fixture)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are ordinary
# synchronous calls, so Django's async-safety guard is told so.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's chromium; never a browser downloaded by Playwright
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; at the end, no screen it showed may have broken the Content-Security-Policy (Chromium
    reports each refused script, style or frame on the console)."""
    context = browser.new_context(locale="ja-JP")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    refused: list[str] = []
    pg.on("console", lambda message: refused.append(message.text)
          if "Content Security Policy" in message.text else None)
    yield pg
    context.close()
    assert refused == [], "a screen broke the Content-Security-Policy"


class _NoSettingsChange:
    """pytest-django's helper enables and disables the live server's settings around each test; the
    production server's settings are its own (it gets the test's changes through the overrides file)."""

    def enable(self) -> None:
        pass

    def disable(self) -> None:
        pass


class ProductionServer:
    """The browser tests' `live_server`: `kouki serve` (gunicorn, production settings, two workers) on the
    test database, started at the first `str(live_server)` — after the test's fixtures have changed the
    settings and the screens' today, which reach the server through an overrides file
    (tests/browser/production_server.py); settings changed later (pytest-django's `settings`) follow."""

    _live_server_modified_settings = _NoSettingsChange()

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.overrides = folder / "overrides.json"
        self.log = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._version = 0
        self._changed: dict[str, Any] = {}

    def __str__(self) -> str:
        self.write_overrides()
        if self.process is None:
            self._start()
        return self.url

    def setting_changed(self, *, setting: str, value: Any, enter: bool, **_: Any) -> None:
        if _jsonable(value):
            self._changed[setting] = value
            self.write_overrides()

    def write_overrides(self) -> None:
        from django.utils import timezone

        self._version += 1
        kouki = {name: getattr(settings, name) for name in dir(settings)
                 if name.startswith("KOUKI_") and _jsonable(getattr(settings, name))}
        today = timezone.localdate()
        data = {"version": self._version, "settings": {**kouki, **self._changed},
                "today": today.isoformat() if today != _real_today() else None}
        temporary = self.overrides.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.overrides)  # a worker never reads half a file

    def _start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
        env.update(KOUKI_DATABASE_URL=_database_url(), KOUKI_KEYRING=str(settings.KOUKI_KEYRING),
                   KOUKI_SECRET_KEY=str(settings.SECRET_KEY), KOUKI_BROWSER_OVERRIDES=str(self.overrides),
                   PYTHONPATH=str(ROOT))
        launcher = str(Path(__file__).with_name("production_server.py"))
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, launcher, str(self.port)], cwd=ROOT, env=env,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(self.url + "/healthz/", timeout=2) as answer:  # noqa: S310
                    assert answer.headers["Server"].startswith("gunicorn"), answer.headers["Server"]
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("kouki serve did not answer /healthz/: " + self.log.read_text()[-3000:])

    def stop(self) -> None:
        """gunicorn's quick shutdown: SIGINT to the master alone, which sends its workers SIGQUIT. (Sent to
        the whole process group, a worker got both — SIGINT, then SIGQUIT from the master while it exited —
        and could hang until the 20 s timeout: a minute of the browser tests on SQLite.) Whatever is
        left of the group after that is killed."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # a worker the master did not reap
        except ProcessLookupError:
            pass


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _real_today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    """The test database (created by pytest-django; on SQLite a file: tests/conftest.py)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def live_server(transactional_db: None, tmp_path: Path) -> Iterator[ProductionServer]:
    """pytest-django's live server replaced by the production server (issue 16 §1)."""
    from django.test.signals import setting_changed

    server = ProductionServer(tmp_path)
    setting_changed.connect(server.setting_changed)
    try:
        yield server
    finally:
        setting_changed.disconnect(server.setting_changed)
        server.stop()
