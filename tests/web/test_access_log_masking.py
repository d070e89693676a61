"""Issue 14 §2: the access log of `kouki serve` masks personal numbers in URLs in every written form, and
the 宛名番号 search cannot carry a personal number (at most 10 digits; never rendered back)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from kouki.accounts.permissions import Role
from kouki.privacy.keys import create_keyring
from kouki.privacy.redaction import MASK, contains_personal_number
from kouki.rules.numbers import my_number_check_digit

BASE = "31415926535"
NUMBER = BASE + str(my_number_check_digit(BASE))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=5)  # noqa: S310 (a local test server)
    except urllib.error.HTTPError:
        pass  # a redirect to the login page or a 404: only the access log matters here


@pytest.mark.slow
def test_the_access_log_of_kouki_serve_masks_numbers_in_urls(tmp_path: Path) -> None:
    keyring = tmp_path / "keys" / "keyring.json"
    create_keyring(keyring)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env |= {"KOUKI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "KOUKI_KEYRING": str(keyring)}
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kouki.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        a, b, c = NUMBER[:4], NUMBER[4:8], NUMBER[8:]
        for written in (NUMBER, f"{a}+{b}+{c}", f"{a}%20{b}%20{c}", f"{a}-{b}-{c}"):
            get(f"{base}/persons/?addressee_no={written}")
        get(f"{base}/persons/{NUMBER}/")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    log = out + err
    requests = [line for line in log.splitlines() if '"GET /persons/' in line]
    assert len(requests) == 5, log[-2000:]  # every request was logged …
    assert all(MASK in line for line in requests)  # … with the number masked, there and in the redirects
    assert not contains_personal_number(log)


def test_the_search_form_stops_at_ten_digits_and_never_shows_a_longer_value(
    client_as: Callable[[Role], Client],
) -> None:
    client = client_as(Role.COUNTER_CLERK)
    page = client.get("/persons/").content.decode()
    assert 'maxlength="10"' in page and 'pattern="[0-9]{1,10}"' in page
    answer = client.get("/persons/", {"addressee_no": NUMBER}).content.decode()
    assert "宛名番号は10桁以内の数字です" in answer
    assert NUMBER not in answer and not contains_personal_number(answer)
