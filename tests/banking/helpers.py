"""Shared helpers of the banking tests: a person paying directly with a debit account (synthetic only)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from collection_factories import ACTOR, make_direct_plan

from kouki.addressees.models import Person
from kouki.assessment.models import InstalmentPlan
from kouki.banking.accounts import debit_account_register, refund_account_register
from kouki.banking.models import BankAccount

FY = 2025
JULY_DEBIT = date(2025, 7, 31)


def debtor(
    premium: int = 90_000, *, holder: str = "ﾔﾏﾀﾞ ﾀﾛｳ", valid_from: date = date(2025, 4, 1)
) -> tuple[Person, InstalmentPlan, BankAccount]:
    person, plan = make_direct_plan(premium, FY)
    account = debit_account_register(
        actor=ACTOR,
        person_id=person.pk,
        bank_code="0001",
        branch_code="001",
        deposit_type=1,
        account_number="1234567",
        holder_kana=holder,
        valid_from=valid_from,
        applied_on=date(2025, 3, 20),
    )
    return person, plan, account


def refund_account(person: Person) -> BankAccount:
    return refund_account_register(
        actor=ACTOR,
        person_id=person.pk,
        bank_code="0005",
        branch_code="001",
        deposit_type=1,
        account_number="7654321",
        holder_kana="ﾔﾏﾀﾞ ﾀﾛｳ",
        valid_from=date(2025, 4, 1),
        applied_on=date(2025, 4, 1),
    )


def records(data: bytes) -> list[bytes]:
    """The 120-byte records of a file without separators."""
    assert len(data) % 120 == 0
    return [data[i : i + 120] for i in range(0, len(data), 120)]


def pdffonts(path: Path) -> list[tuple[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [(line.split()[0], line.split()[-5]) for line in out.splitlines()[2:]]


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
