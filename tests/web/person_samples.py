"""A person with something in every section of 宛名詳細 (issue 11 §1), for the screen and browser tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from collection_factories import ACTOR
from django.utils import timezone
from factories import make_staff
from notifications.conftest import actor_of, disability_input

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.arrears.models import Reminder
from kouki.arrears.services import contact_record, pledge_make
from kouki.assessment.models import Instalment
from kouki.certificates.models import CertificateIssue
from kouki.eligibility.models import InsuredPeriod
from kouki.notifications.services import notification_enter

from .collection_samples import fix_today, overpaid, pay, person_with_plan
from .conftest import Family

TODAY = date(2026, 12, 1)  # the FY2025 instalments from July to November are past due


def insure(person: Person, *, insured_no: str, copay_rate: int = 20, acquired_on: date = date(2021, 5, 1),
           lost_on: date | None = None, loss_reason: str = "") -> InsuredPeriod:
    return InsuredPeriod.objects.create(
        person=person, insured_no=insured_no, insurer_no="39110011", acquired_on=acquired_on,
        acquisition_reason="01", lost_on=lost_on, loss_reason=loss_reason, copay_rate=copay_rate,
        copay_from=date(2026, 8, 1), decided_on=date(2026, 7, 10), recorded_at=timezone.now(),
    )  # fmt: skip


@dataclass(frozen=True)
class Day:
    rows: list[Instalment]  # 太郎's FY2025 instalments; the first one paid at the counter


@pytest.fixture
def day(family: Family, monkeypatch: pytest.MonkeyPatch) -> Day:
    """太郎: insured (2割), a 資格確認書, FY2025 premium paid in part, an FY2024 overpayment, a reminder, a
    contact and a pledge, one notification. 次郎: lost his eligibility (死亡)."""
    fix_today(monkeypatch, TODAY)
    taro = family.taro
    insure(taro, insured_no="12345678")
    insure(family.jiro, insured_no="22222228", copay_rate=10, lost_on=date(2026, 6, 2), loss_reason="01")
    CertificateIssue.objects.create(
        person=taro, kind="1", reason="2", insured_no="12345678", valid_from=date(2026, 8, 1),
        valid_until=date(2027, 7, 31), issued_on=date(2026, 7, 15), file_name="", sha256="0" * 64,
        printed={}, issued_by="clerk", created_at=timezone.now(),
    )  # fmt: skip
    _person, rows = person_with_plan(taro, 90_000, 2025)
    pay(taro, rows[0].amount, instalment=rows[0])
    overpaid(taro, premium=30_000, paid=40_000, fiscal_year=2024)
    Reminder.objects.create(
        instalment=rows[1], person=taro, fiscal_year=2025, period=rows[1].period, due_date=rows[1].due_date,
        issued_on=date(2025, 9, 20), deadline=date(2025, 10, 1), amount=rows[1].amount,
        created_at=timezone.now(), created_by=ACTOR.username,
    )  # fmt: skip
    contact_record(actor=ACTOR, person_id=taro.pk, contacted_on=date(2026, 11, 20), channel="phone",
                   note="納付を案内した")
    pledge_make(actor=ACTOR, person_id=taro.pk, made_on=date(2026, 11, 25),
                schedule=[(date(2026, 12, 25), 10_000)])
    clerk = make_staff(Role.COUNTER_CLERK)
    notification_enter(actor=actor_of(clerk), data=disability_input(
        taro, stated_kana="ヤマダ タロウ", stated_birth_date=date(1946, 5, 1)))
    return Day(rows=rows)


