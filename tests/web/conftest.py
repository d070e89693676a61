"""Screen-test fixtures: a synthetic household with history, staff of every role, signed-in clients."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import Client
from factories import Staff, add_version, make_household, make_person, make_staff, personal_number, supersede

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.addressees.models import ChangeKind, Person, PersonVersion, Sex
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumberPending
from kouki.privacy.services import personal_number_register
from kouki.web.access import SECOND_FACTOR_DONE
from kouki.web.middleware import LAST_SEEN


@dataclass(frozen=True)
class Family:
    taro: Person       # householder; moved within the city on 2024-04-01
    hanako: Person     # spouse; her first version was corrected (superseded)
    jiro: Person       # another household; kana with a voiced mark (ジロウ)
    old_address: str
    new_address: str
    corrected: PersonVersion


@pytest.fixture
def family(db: None) -> Family:
    household = make_household()
    old_address = "さいたま市浦和区高砂三丁目1番1号"
    new_address = "さいたま市大宮区桜木町一丁目7番5号"
    taro = make_person(family_name="山田", given_name="太郎", family_name_kana="ヤマダ",
                       given_name_kana="タロウ", birth_date=date(1946, 5, 1), household=household,
                       is_householder=True, relationship="世帯主", address=old_address,
                       valid_from=date(2000, 4, 1))
    add_version(taro, valid_from=date(2024, 4, 1), address=new_address, postal_code="3300854")
    hanako = make_person(family_name="山田", given_name="花子", family_name_kana="ヤマダ",
                         given_name_kana="ハナコ", birth_date=date(1950, 8, 15), sex=Sex.FEMALE,
                         household=household, relationship="妻", address=old_address,
                         valid_from=date(2010, 6, 1))
    wrong = PersonVersion.objects.get(person=hanako, is_current=True)
    corrected = supersede(wrong, given_name="花子", birth_date=date(1950, 8, 16))
    add_version(hanako, valid_from=date(2024, 4, 1), address=new_address, postal_code="3300854")
    other = make_household()
    jiro = make_person(family_name="鈴木", given_name="次郎", family_name_kana="スズキ",
                       given_name_kana="ジロウ", birth_date=date(1948, 1, 20), household=other,
                       is_householder=True, relationship="世帯主", address="さいたま市南区別所七丁目2番1号",
                       change_kind=ChangeKind.MOVE_IN)
    return Family(taro=taro, hanako=hanako, jiro=jiro, old_address=old_address, new_address=new_address,
                  corrected=corrected)


@pytest.fixture
def staff_of(db: None) -> Callable[[Role], Staff]:
    made: dict[Role, Staff] = {}

    def get(role: Role) -> Staff:
        if role not in made:
            made[role] = make_staff(role)
        return made[role]

    return get


def sign_in(client: Client, user: StaffUser) -> Client:
    """A session in which both factors are done (the full flow is tested in test_login)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SECOND_FACTOR_DONE] = True
    session[LAST_SEEN] = time.time()
    session.save()
    return client


@pytest.fixture
def client_as(staff_of: Callable[[Role], Staff]) -> Callable[[Role], Client]:
    def make(role: Role) -> Client:
        return sign_in(Client(), staff_of(role).user)

    return make


@dataclass(frozen=True)
class Numbers:
    taro: str = field(repr=False)  # never shown by pytest
    pending: PersonalNumberPending = field(repr=False)


@pytest.fixture
def numbers(family: Family) -> Numbers:
    """Taro has a stored number; Hanako's stored number was followed by a different one (IN-04 pending)."""
    rng = random.Random(20260401)
    actor = Actor.system("tests")
    taro = personal_number(rng)
    register = personal_number_register
    assert register(actor=actor, person_id=family.taro.pk, number=taro, source="tests") == "stored"
    register(actor=actor, person_id=family.hanako.pk, number=personal_number(rng), source="tests")
    assert register(actor=actor, person_id=family.hanako.pk, number=personal_number(rng),
                    source="住基異動") == "pending"
    return Numbers(taro=taro, pending=PersonalNumberPending.objects.get(person=family.hanako))
