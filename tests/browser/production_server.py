"""The browser tests' server (issue 16 §1: "the browser tests run against the production server"): run as a
subprocess by the `live_server` fixture (tests/browser/conftest.py), it is `kouki serve` — gunicorn with
kouki's production settings — on the test database, with two workers.

What pytest-django's in-process live server shared with the test for free is carried over here: before each
request a worker applies the overrides file the test process rewrites (KOUKI_BROWSER_OVERRIDES, JSON): the
settings the test changed (pytest-django's `settings` fixture) and the screens' today (`fix_today`).
Nothing else of the test process reaches the server: it sees the database and the keyring, as in production.

    python tests/browser/production_server.py PORT
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

Start = Callable[..., Any]
App = Callable[[dict[str, Any], Start], Iterable[bytes]]


def serve(port: int) -> int:
    from kouki.cli import main, setup_django

    setup_django()
    from django.conf import settings
    from django.test.signals import setting_changed
    from django.utils import timezone

    import kouki.wsgi

    overrides = Path(os.environ["KOUKI_BROWSER_OVERRIDES"])
    real_localdate = timezone.localdate
    state: dict[str, Any] = {"version": None, "today": None}
    lock = threading.Lock()

    def localdate(*args: Any, **kwargs: Any) -> date:
        today: date | None = state["today"]
        return today if today is not None else real_localdate(*args, **kwargs)

    def refresh() -> None:
        with lock:
            data = json.loads(overrides.read_text(encoding="utf-8"))
            if data["version"] == state["version"]:
                return
            for name, value in data["settings"].items():
                if getattr(settings, name, None) != value:
                    setattr(settings, name, value)
                    setting_changed.send(sender=type(settings), setting=name, value=value, enter=True)
            state["today"] = date.fromisoformat(data["today"]) if data["today"] else None
            state["version"] = data["version"]

    application: App = kouki.wsgi.application

    def with_overrides(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        refresh()
        return application(environ, start_response)

    timezone.localdate = localdate  # type: ignore[assignment]
    kouki.wsgi.application = with_overrides  # type: ignore[assignment]  # the workers load it after fork
    return main(["serve", "--host", "127.0.0.1", "--port", str(port), "--no-migrate",
                 "--workers", "2", "--threads", "4"])


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))
