"""Staff for the transfer tests: a system administrator who registers, two supervisors, a clerk."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.collection.models import Receipt
from kouki.eligibility.models import InsuredPeriod
from kouki.privacy.context import Actor
from kouki.transfers.models import Side
from kouki.transfers.services import transfer_approve, transfers_load


def actor_of(username: str) -> Actor:
    return Actor(username=username, terminal_id="T-0101")


@pytest.fixture
def admin(db: None) -> Actor:
    make_staff(Role.SYSTEM_ADMIN, username="adm.sato", staff_name="佐藤 誠")
    return actor_of("adm.sato")


@pytest.fixture
def chief(db: None) -> Actor:
    make_staff(Role.SUPERVISOR, username="sv.tanaka", staff_name="田中 課長", office="保険年金課")
    return actor_of("sv.tanaka")


@pytest.fixture
def deputy(db: None) -> Actor:
    make_staff(Role.SUPERVISOR, username="sv.suzuki", staff_name="鈴木 係長", office="保険年金課")
    return actor_of("sv.suzuki")


@pytest.fixture
def clerk(db: None) -> Actor:
    make_staff(Role.NUMBER_CLERK, username="nc.ito", staff_name="伊藤 担当", office="保険年金課")
    return actor_of("nc.ito")


@pytest.fixture
def counter(db: None) -> Actor:
    make_staff(Role.COUNTER_CLERK, username="cc.kato", staff_name="加藤 恵子")
    return actor_of("cc.kato")


@pytest.fixture
def loaded(admin: Actor) -> None:
    transfers_load(actor=admin)


def approve_both(code: str, chief: Actor, deputy: Actor, version: int = 1) -> None:
    transfer_approve(actor=chief, code=code, version=version, side=Side.SENDING, kessai_ref="保年第101号")
    transfer_approve(actor=deputy, code=code, version=version, side=Side.RECEIVING, kessai_ref="市民税第7号",
                     approver_name="高橋 課長", approver_office="市民税課")  # fmt: skip


T03_BASIS = "住民基本台帳法第7条第10号の2 | 試験用の設定 (出典は決裁で確認)"


@pytest.fixture
def loaded_with_t03(settings: object, admin: Actor) -> None:
    """The catalogue registered with T03's legal basis configured (KOUKI_T03_LEGAL_BASIS)."""
    settings.KOUKI_T03_LEGAL_BASIS = T03_BASIS  # type: ignore[attr-defined]
    transfers_load(actor=admin)


def insure(person_id: int, *, acquired_on: date, reason: str = "01", lost_on: date | None = None,
           loss_reason: str = "", insured_no: str = "12345678") -> InsuredPeriod:  # fmt: skip
    return InsuredPeriod.objects.create(
        person_id=person_id, insured_no=insured_no, insurer_no="39110011", acquired_on=acquired_on,
        acquisition_reason=reason, lost_on=lost_on, loss_reason=loss_reason, copay_rate=10,
        copay_from=acquired_on, decided_on=acquired_on, recorded_at=timezone.now(),
    )  # fmt: skip


def pension_receipt(person_id: int, amount: int, paid_on: date, *, status: str = "confirmed") -> Receipt:
    fy = paid_on.year if paid_on.month >= 4 else paid_on.year - 1
    return Receipt.objects.create(
        person_id=person_id, fiscal_year=fy, channel="pension", amount=amount, paid_on=paid_on, status=status,
        recorded_at=timezone.now(), recorded_by="test",
    )  # fmt: skip
