"""The counter mix of the load test (issue 16 §5), run by `python -m benchmarks.load` — see its docstring.

Each simulated member of staff signs in with both factors (password, then the TOTP code computed from the
secret the set-up wrote to KOUKI_LOAD_STAFF), then repeats the counter's work with think time: search by
kana, search by 宛名番号, open the person, reveal the personal number with a purpose (参照理由). Only
127.0.0.1 is ever addressed; locust stops by itself at --run-time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from typing import Any

import pyotp
from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_DATA: dict[str, Any] = json.loads(open(os.environ["KOUKI_LOAD_STAFF"], encoding="utf-8").read())
_NEXT = itertools.count()
_LOCK = threading.Lock()


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class CounterClerk(HttpUser):
    host = "http://127.0.0.1:8765"  # replaced by --host; never another machine
    wait_time = between(float(os.environ.get("KOUKI_LOAD_THINK_MIN", "3")),
                        float(os.environ.get("KOUKI_LOAD_THINK_MAX", "9")))

    def on_start(self) -> None:
        with _LOCK:
            me = _DATA["staff"][next(_NEXT) % len(_DATA["staff"])]
        page = self.client.get("/login/", name="login (form)")
        self.client.post("/login/", {"username": me["username"], "password": _DATA["password"],
                                     "csrfmiddlewaretoken": _csrf(page.text)}, name="login (password)")
        page = self.client.get("/login/totp/", name="login (code form)")
        code = pyotp.TOTP(me["secret"]).now()
        with self.client.post("/login/totp/", {"code": code, "csrfmiddlewaretoken": _csrf(page.text)},
                              name="login (code)", catch_response=True) as done:
            if "/login" in done.url:
                done.failure("not signed in")

    def _person(self) -> int:
        return int(random.choice(_DATA["person_ids"]))

    @task(4)
    def search_kana(self) -> None:
        self.client.get("/persons/", params={"kana": random.choice(_DATA["kana"])}, name="search (kana)")

    @task(2)
    def search_number(self) -> None:
        self.client.get("/persons/", params={"addressee_no": random.choice(_DATA["addressee_nos"])},
                        name="search (宛名番号)")

    @task(4)
    def person_page(self) -> None:
        self.client.get(f"/persons/{self._person()}/", name="person page")

    @task(1)
    def reveal(self) -> None:
        url = f"/persons/{self._person()}/personal-number/"
        form = self.client.get(url, name="reveal (purpose form)")
        with self.client.post(url, {"purpose": "identity", "purpose_note": "", "source": "person_detail",
                                    "csrfmiddlewaretoken": _csrf(form.text)},
                              name="reveal (with purpose)", catch_response=True) as done:
            if done.status_code != 200 or "個人番号" not in done.text:
                done.failure(f"status {done.status_code}")
