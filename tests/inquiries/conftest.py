"""Fixtures of the 情報照会 tests: the city's result key, a seeded simulated 中間サーバ, synthetic people with
confirmed personal numbers (so an integrated addressee number), staff of each role and an inquiry clerk.

Numbers are random bases with their check digit (privacy.conftest.make_number): valid, nobody's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from privacy.conftest import (
    _staff,
    auditor,
    counter_clerk,
    make_number,
    make_person,
    number_clerk,
    supervisor,
    system_admin,
)

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.eligibility.models import InsuredPeriod
from kouki.inquiries.envelope import create_key
from kouki.privacy.bulk import bulk_store_numbers
from kouki.sandbox.chukan.platform import SimulatedChukanServer, seed_platform
from kouki.sandbox.chukan.providers import PENSION_PAYER, ProviderPerson

__all__ = [
    "auditor", "counter_clerk", "make_number", "make_person", "number_clerk", "supervisor", "system_admin",
]  # fmt: skip

INCOME_YEAR = 2025
PENSION = {
    "payer": PENSION_PAYER, "pension_kind": "老齢基礎年金・老齢厚生年金", "income_year": INCOME_YEAR,
    "public_pension_revenue": 1_860_000, "care_deduction_pension_annual": 1_860_000,
}  # fmt: skip
UNION = {
    "union": "東京都後期高齢者医療広域連合", "fiscal_year": 2026, "annual_premium": 78_300,
    "collection_method": "特別徴収", "february_pension_deduction": 13_000, "unpaid": 0,
}  # fmt: skip


@pytest.fixture
def inquiry_clerk(db: None) -> StaffUser:
    return _staff("inquiry01", Role.INQUIRY_CLERK)


@dataclass
class Sim:
    directory: Path
    mover: Person  # moved in, 日本年金機構 pays a pension, insured at the Tokyo union before
    mover_number: str
    unknown: Person  # has a number; no provider knows them
    no_number: Person  # no personal number (so no integrated addressee number)

    @property
    def server(self) -> SimulatedChukanServer:
        return SimulatedChukanServer(self.directory)


def move_in(person: Person, on: date) -> None:
    InsuredPeriod.objects.create(
        person=person, insured_no="12345678", insurer_no="39110006", acquired_on=on, acquisition_reason="03",
        copay_rate=10, copay_from=on, decided_on=on, recorded_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def sim(
    db: None, tmp_path: Path, settings: Any, make_person: Callable[[], Person], make_number: Callable[[], str]
) -> Sim:
    key = tmp_path / "inquiry.key"
    public = create_key(key)
    directory = tmp_path / "chukan"
    settings.KOUKI_INQUIRY_KEY = str(key)
    settings.KOUKI_CHUKAN_SIM_DIR = str(directory)
    settings.KOUKI_CHUKAN_SERVER = "kouki.sandbox.chukan.platform.SimulatedChukanServer"
    settings.KOUKI_INTEGRATED_ADDRESSEE_DIGITS = "15"
    settings.KOUKI_INQUIRY_RESULT_DAYS = "30"
    mover, unknown, no_number = make_person(), make_person(), make_person()
    mover_number, unknown_number = make_number(), make_number()
    bulk_store_numbers([(mover.pk, mover_number), (unknown.pk, unknown_number)], source="test")
    seed_platform(
        directory,
        inquirer="さいたま市長",
        public_key=public,
        people=[ProviderPerson(mover_number, dict(PENSION), dict(UNION))],
    )
    return Sim(directory, mover, mover_number, unknown, no_number)
