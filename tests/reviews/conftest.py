"""A scripted month of activity (November 2025, Japanese time) for the monthly review report (issue 15 §1).

The services run for real; only the clock is moved (django.utils.timezone.now), so every row carries the
moment the script says. What happens, for the report's counts:
- 伊藤 (number clerk) reveals 山田太郎's number 3 times for 資格取得届の受付, Wednesday 5 Nov 10:00;
- 田中 (supervisor) reveals it twice for 給付申請の受付, 5 Nov 11:00, and once on Saturday 8 Nov 10:00
  (out of hours);
- 加藤 (counter clerk) fails the password until locked, 6 Nov 09:00;
- 伊藤 carries out transfer T08 for 2 persons, 10 Nov 14:00;
- an alert (reveal_burst) on 伊藤, 12 Nov 15:00; one 受付票, 13 Nov 10:00;
- and outside the month: a reveal by 伊藤 on 31 Oct 23:00 and one on 1 Dec 00:30 (Japanese time), which the
  month must not count.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from factories import Staff, make_person, make_staff, personal_number
from rights.samples import make_inquiry

from kouki.accounts.permissions import Role
from kouki.privacy.alerts import alert_raise
from kouki.privacy.context import Actor
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.services import personal_number_register
from kouki.staff.services import login_actor, login_password_verify
from kouki.transfers.catalogue import Method
from kouki.transfers.models import Side
from kouki.transfers.services import transfer_approve, transfer_execute, transfers_load

JST = ZoneInfo("Asia/Tokyo")


def jst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JST)


@dataclass
class Clock:
    now: datetime | None = field(default_factory=lambda: jst("2025-11-01T09:00"))  # None: the real clock

    def set(self, text: str) -> None:
        self.now = jst(text)

    def release(self) -> None:
        """Back to the real clock (a browser test signs in now)."""
        self.now = None


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    real, utc = timezone.now, ZoneInfo("UTC")
    monkeypatch.setattr(timezone, "now", lambda: real() if c.now is None else c.now.astimezone(utc))
    yield c


@dataclass(frozen=True)
class Month:
    clerk: Staff
    chief: Staff
    counter: Staff
    auditor: Staff
    number: str = field(repr=False)  # never shown by pytest


def _reveal(staff: Staff, person_id: int, purpose: str, times: int = 1) -> None:
    for _ in range(times):
        reveal_personal_number(user=staff.user, person_id=person_id, purpose=purpose, screen="宛名詳細",
                               terminal_id="T-0101")


@pytest.fixture
def november(db: None, clock: Clock) -> Month:
    clerk = make_staff(Role.NUMBER_CLERK, username="nc.ito", staff_name="伊藤 担当")
    chief = make_staff(Role.SUPERVISOR, username="sv.tanaka", staff_name="田中 課長")
    deputy = make_staff(Role.SUPERVISOR, username="sv.suzuki", staff_name="鈴木 係長")
    counter = make_staff(Role.COUNTER_CLERK, username="cc.kato", staff_name="加藤 恵子")
    auditor = make_staff(Role.AUDITOR, username="au.kimura", staff_name="木村 監査")
    admin = make_staff(Role.SYSTEM_ADMIN, username="adm.sato", staff_name="佐藤 誠")
    taro = make_person(family_name="山田", given_name="太郎")
    number = personal_number(random.Random(20251105))
    personal_number_register(actor=Actor(username="adm.sato", terminal_id="T-0001"), person_id=taro.pk,
                             number=number, source="tests")
    transfers_load(actor=Actor(username="adm.sato", terminal_id="T-0001", user_id=admin.user.pk))
    for staff, side in ((chief, Side.SENDING), (deputy, Side.RECEIVING)):
        transfer_approve(actor=Actor(username=staff.user.username, terminal_id="T-0101"), code="T08",
                         version=1, side=side, kessai_ref="保年第101号", approver_name="高橋 課長",
                         approver_office="市民税課")

    clock.set("2025-10-31T23:00")
    _reveal(clerk, taro.pk, "資格取得届の受付")
    clock.set("2025-11-05T10:00")
    _reveal(clerk, taro.pk, "資格取得届の受付", 3)
    clock.set("2025-11-05T11:00")
    _reveal(chief, taro.pk, "給付申請の受付", 2)
    clock.set("2025-11-08T10:00")  # a Saturday
    _reveal(chief, taro.pk, "給付申請の受付")
    clock.set("2025-11-06T09:00")
    for _ in range(20):
        step = login_password_verify(actor=login_actor("cc.kato", "T-0201"), password="wrong-password")
        if step.locked_now:
            break
    clock.set("2025-11-10T14:00")
    transfer_execute(actor=Actor(username="nc.ito", terminal_id="T-0101", user_id=clerk.user.pk), code="T08",
                     person_ids=[taro.pk, taro.pk + 1000], items=["資格"], method=Method.INTRA)
    clock.set("2025-11-12T15:00")
    at = jst("2025-11-12T15:00")
    alert_raise(kind="reveal_burst", user=clerk.user, window_start=at - timedelta(seconds=6), window_end=at,
                count=200, details={"seconds": 6})
    clock.set("2025-11-13T10:00")
    make_inquiry(counter.user, hours_ago=0)
    clock.set("2025-12-01T00:30")
    _reveal(clerk, taro.pk, "資格取得届の受付")
    clock.set("2025-12-05T10:00")
    return Month(clerk, chief, counter, auditor, number)



def actor(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, terminal_id="T-0301", user_id=staff.user.pk)
