"""Issue 16 §1: `kouki serve` is a production WSGI server (gunicorn) with worker processes, graceful reload,
a health endpoint that checks the database and the keyring, static files by WhiteNoise and masked access
logs; Django's development server only behind `--dev`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client, override_settings

from kouki.privacy.keys import create_keyring
from kouki.server import RedactingLogger, ServerOptions, default_workers


def test_workers_follow_the_machine_within_bounds() -> None:
    assert default_workers(1) == 3 and default_workers(2) == 5 and default_workers(4) == 9
    assert default_workers(64) == 9  # threads inside each worker carry the rest


def test_the_server_trusts_forwarded_headers_only_from_the_configured_proxies() -> None:
    alone = ServerOptions(host="127.0.0.1", port=8000, workers=2, threads=4).as_gunicorn()
    assert alone["forwarded_allow_ips"] == "" and alone["proxy_allow_ips"] == ""
    assert alone["logger_class"] is RedactingLogger and alone["worker_class"] == "gthread"
    behind = ServerOptions(host="127.0.0.1", port=8000, workers=2, threads=4,
                           trusted_proxies="10.0.0.5").as_gunicorn()
    assert behind["forwarded_allow_ips"] == "10.0.0.5"


@pytest.mark.django_db
def test_health_answers_ok_when_database_and_keyring_work() -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "keyring": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_which_part_failed_without_saying_where(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "keyring.json"
    with override_settings(KOUKI_KEYRING=str(missing)):
        response = Client().get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "keyring": "failed"}
    assert str(tmp_path) not in response.content.decode()


@pytest.mark.django_db
def test_health_is_get_only() -> None:
    assert Client().post("/healthz/").status_code == 405


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local test server)
            return int(response.status), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@contextmanager
def _serving(tmp_path: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    keyring = tmp_path / "keys" / "keyring.json"
    if not keyring.exists():
        create_keyring(keyring)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env |= {"KOUKI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "KOUKI_KEYRING": str(keyring)}
    port = _free_port()
    command = [sys.executable, "-m", "kouki.cli", "serve", "--port", str(port), *extra]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert server.poll() is None, server.communicate()[0][-2000:]
            try:
                urllib.request.urlopen(base + "/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("kouki serve did not answer")
        yield base, server, keyring
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=40)


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return {int(p) for p in out.stdout.split()}


@pytest.mark.slow
def test_kouki_serve_runs_gunicorn_workers_reloads_on_hup_and_stops_on_term(tmp_path: Path) -> None:
    with _serving(tmp_path, "--workers", "2", "--threads", "2") as (base, server, keyring):
        status, body = _get(base + "/healthz/")
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, body = _get(base + "/static/web/robots.txt")  # WhiteNoise serves the static folders
        assert status == 200 and b"Disallow: /" in body
        before = _worker_pids(server.pid)
        assert len(before) == 2  # two worker processes under the master
        server.send_signal(signal.SIGHUP)
        for _ in range(100):
            after = _worker_pids(server.pid)
            if len(after) == 2 and not after & before:
                break
            time.sleep(0.1)
        assert len(after) == 2 and not after & before  # new workers replaced the old ones
        assert _get(base + "/healthz/")[0] == 200  # and the server kept answering
        keyring.chmod(0o644)  # a keyring others can read is refused, and health says so
        status, body = _get(base + "/healthz/")
        assert status == 503 and json.loads(body) == {"status": "unavailable", "database": "ok",
                                                        "keyring": "failed"}
        keyring.chmod(0o600)
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=40)
    assert server.returncode == 0
    assert "2 workers × 2 threads" in out and "Starting gunicorn" in out
    assert '"GET /healthz/ HTTP/1.1" 200' in out  # the access log


@pytest.mark.slow
def test_the_development_server_only_behind_dev(tmp_path: Path) -> None:
    with _serving(tmp_path, "--dev") as (base, server, _keyring):
        assert _get(base + "/healthz/")[0] == 200
        server.terminate()
        out, _ = server.communicate(timeout=40)
    assert "development server" in out and "gunicorn" not in out


def test_worker_and_thread_settings_are_checked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env |= {"KOUKI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "KOUKI_WEB_WORKERS": "many"}
    proc = subprocess.run([sys.executable, "-m", "kouki.cli", "serve", "--no-migrate"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert proc.returncode != 0 and "KOUKI_WEB_WORKERS: not a whole number: 'many'" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "kouki.cli", "serve", "--no-migrate", "--threads", "0"],
                          env=env | {"KOUKI_WEB_WORKERS": "2"}, capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip
    assert proc.returncode != 0 and "threads 0: must be 1..64" in proc.stderr
