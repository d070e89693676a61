"""The counter mix of the load test (issue 16 §5), run by `python -m benchmarks.load` — see its docstring.

Each simulated member of staff signs in with both factors (password, then the TOTP code computed from the
secret the set-up wrote to KOUKI_LOAD_STAFF), then repeats the counter's work with think time between
actions. An action is what a clerk does for a visitor at one point of the visit:
- search by kana (4), search by 宛名番号 (2), open the person (4);
- reveal the personal number with a purpose (1): the purpose form, then the number;
- take a payment (1, 窓口収納): the person's 収納状況 for FY2026, pay the earliest unpaid 普通徴収
  instalment in full on the day the form offers, back on the ledger, then the 領収証書 PDF;
- issue a 資格確認書 at the counter (1, 再交付): the issue form with its preview, issue, the person's list
  of documents, then the PDF.
Every clerk pays only for the people the set-up gave to that clerk (KOUKI_LOAD_USERS parts), so no two
clerks pay the same instalment; when a clerk's people have nothing left unpaid, the ledger's answer is the
end of that action (a normal answer, not an error). Only 127.0.0.1 is ever addressed; locust stops by
itself at --run-time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from typing import Any

import pyotp
from locust import HttpUser, task

from benchmarks.load.pages import CERTIFICATE_PDF, CSRF, DIRECT_UNPAID, ISSUE_ON, ISSUED, PAID_ON, first

FY = "2026"
_DATA: dict[str, Any] = json.loads(open(os.environ["KOUKI_LOAD_STAFF"], encoding="utf-8").read())
_USERS = max(1, int(os.environ.get("KOUKI_LOAD_USERS", "1")))
_THINK = (float(os.environ.get("KOUKI_LOAD_THINK_MIN", "10")),
          float(os.environ.get("KOUKI_LOAD_THINK_MAX", "50")))
_NEXT = itertools.count()
_LOCK = threading.Lock()


def _csrf(html: str) -> str:
    return first(CSRF, html)


def share(people: list[int], index: int, users: int) -> list[int]:
    """This clerk's part of `people` (every users-th, from index); one person when there are too few."""
    if not people:
        return []
    mine = people[index % users::users]
    return mine or [people[index % len(people)]]


class CounterClerk(HttpUser):
    host = "http://127.0.0.1:8765"  # replaced by --host; never another machine
    def wait_time(self) -> float:
        """The think time; the next action then starts on a new connection, as a browser's does after an
        idle time longer than the server's keep-alive (2 s): a kept connection would race the server
        closing it (a reset on send, which browsers retry and requests does not). Without think time
        the connections stay open (--saturation)."""
        if _THINK[1] > 0:
            self.client.close()
        return random.uniform(*_THINK)

    def on_start(self) -> None:
        with _LOCK:
            index = next(_NEXT)
        me = _DATA["staff"][index % len(_DATA["staff"])]
        self.payers = share(_DATA.get("payers", []), index, _USERS)
        self.insured = share(_DATA.get("insured", []), index, _USERS)
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
        if form.status_code != 200:
            return  # counted as the error it is; posting without the form's token would only add a 403
        with self.client.post(url, {"purpose": "identity", "purpose_note": "", "source": "person_detail",
                                    "csrfmiddlewaretoken": _csrf(form.text)},
                              name="reveal (with purpose)", catch_response=True) as done:
            if done.status_code != 200 or "個人番号" not in done.text:
                done.failure(f"status {done.status_code}")

    @task(1)
    def payment(self) -> None:
        """窓口収納 of the earliest unpaid 普通徴収 instalment of one of this clerk's people."""
        for person in list(self.payers):
            ledger = self.client.get(f"/collection/persons/{person}/", params={"fy": FY},
                                     name="payment (収納状況)")
            if ledger.status_code != 200:
                return
            unpaid = DIRECT_UNPAID.search(ledger.text)
            if unpaid is not None:
                break
            self.payers.remove(person)  # everything paid: this person has nothing more to pay
        else:
            return  # nothing left to pay for this clerk's people: the ledger said so
        instalment, amount = unpaid.group(1), unpaid.group(2).replace(",", "")
        with self.client.post(f"/collection/persons/{person}/receipts/", {
            "fy": FY, "amount": amount, "paid_on": first(PAID_ON, ledger.text), "instalment": instalment,
            "csrfmiddlewaretoken": _csrf(ledger.text),
        }, name="payment (収納する)", catch_response=True) as done:
            receipt = first(ISSUED, done.url or "")
            if not receipt or "収納しました" not in done.text:
                done.failure(f"not recorded (status {done.status_code})")
                return
        self.client.get(f"/collection/receipts/{receipt}/pdf/", name="payment (領収証書 PDF)")

    @task(1)
    def certificate(self) -> None:
        """資格確認書 issued at the counter (再交付) for one of this clerk's insured people, and its PDF."""
        if not self.insured:
            return
        person = random.choice(self.insured)
        url = f"/persons/{person}/certificates/issue/"
        form = self.client.get(url, name="certificate (issue form)")
        if form.status_code != 200:
            return
        with self.client.post(url, {"kind": "1", "reason": "5", "on": first(ISSUE_ON, form.text),
                                    "limit_category": "", "csrfmiddlewaretoken": _csrf(form.text)},
                              name="certificate (issue)", catch_response=True) as done:
            issue = max(map(int, CERTIFICATE_PDF.findall(done.text)), default=0)
            if "発行しました" not in done.text or not issue:
                done.failure(f"not issued (status {done.status_code})")
                return
        self.client.get(f"/certificates/{issue}/pdf/", name="certificate (PDF)")
