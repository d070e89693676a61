"""Fixtures of the privacy tests: synthetic addressees, staff of each role, synthetic personal numbers.

Numbers are random 11-digit bases with their check digit: valid in form, belonging to nobody.
Tests never put a number into an assertion's displayed values (compare booleans instead).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.privacy.context import Actor
from kouki.privacy.keys import create_keyring
from kouki.rules.numbers import my_number_check_digit


@pytest.fixture
def make_number() -> Callable[[], str]:
    rng = random.Random(7507)
    seen: set[str] = set()

    def make() -> str:
        while True:
            base = f"{rng.randrange(10**10, 10**11):011d}"
            number = base + str(my_number_check_digit(base))
            if number not in seen:
                seen.add(number)
                return number

    return make


@pytest.fixture
def make_person() -> Callable[[], Person]:
    counter = iter(range(1, 10**6))

    def make() -> Person:
        return Person.objects.create(addressee_no=f"9{next(counter):09d}", registration="resident")

    return make


def _staff(username: str, role: Role) -> StaffUser:
    user: StaffUser = StaffUser.objects.create_user(
        username=username, password=None, role=role.value, staff_name=f"職員 {username}"
    )
    return user


@pytest.fixture
def number_clerk(db: None) -> StaffUser:
    return _staff("clerk01", Role.NUMBER_CLERK)


@pytest.fixture
def counter_clerk(db: None) -> StaffUser:
    return _staff("counter01", Role.COUNTER_CLERK)


@pytest.fixture
def supervisor(db: None) -> StaffUser:
    return _staff("super01", Role.SUPERVISOR)


@pytest.fixture
def auditor(db: None) -> StaffUser:
    return _staff("audit01", Role.AUDITOR)


@pytest.fixture
def system_admin(db: None) -> StaffUser:
    return _staff("admin01", Role.SYSTEM_ADMIN)


@pytest.fixture
def import_actor() -> Actor:
    return Actor.system("import.resident_register")


@pytest.fixture
def own_keyring(tmp_path: Path, settings: object) -> Iterator[Path]:
    """A keyring for this test alone (rotation changes the file)."""
    path = tmp_path / "keyring.json"
    create_keyring(path)
    settings.KOUKI_KEYRING = str(path)  # type: ignore[attr-defined]
    yield path


@pytest.fixture
def checkpoint_file(tmp_path: Path, settings: Any) -> Path:
    """KOUKI_AUDIT_CHECKPOINT_FILE in a fresh 0700 folder (the file itself is created by the first
    checkpoint)."""
    folder = tmp_path / "checkpoints"
    folder.mkdir(mode=0o700)
    path = folder / "audit-checkpoints.jsonl"
    settings.KOUKI_AUDIT_CHECKPOINT_FILE = str(path)
    return path
