"""Staff for the transfer tests: a system administrator who registers, two supervisors, a clerk."""

from __future__ import annotations

import pytest
from factories import make_staff

from kouki.accounts.permissions import Role
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
