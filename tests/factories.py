"""Small factories for tests: synthetic addressees with version history, households, staff, numbers.

Import as `from factories import ...` (tests/ is on sys.path for test packages under it).
Everything here is synthetic: invented names, Saitama-like addresses, numbers that are valid in form
only. Writes go straight to the models (the addressee services may not exist in every branch).
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.addressees.models import (
    ChangeEvent,
    ChangeKind,
    Household,
    Person,
    PersonStatus,
    PersonVersion,
    Registration,
    Sex,
)
from kouki.privacy.context import Actor
from kouki.rules.kana import kana_search_key
from kouki.rules.numbers import my_number_check_digit
from kouki.staff.services import StaffEnrolment, staff_create

STAFF_PASSWORD = "correct-horse-battery-7507"
MUNICIPALITY_CODE = "11100"

_serial = itertools.count(1)


def _next(prefix: str, width: int) -> str:
    return f"{prefix}{next(_serial):0{width}d}"


def make_household(household_no: str = "") -> Household:
    return Household.objects.create(household_no=household_no or _next("8", 9))


def _change(person: Person, kind: str, effective: date, recorded_at: datetime) -> ChangeEvent:
    return ChangeEvent.objects.create(
        source_change_id=_next("C", 10), kind=kind, person=person, effective_date=effective,
        notified_date=effective, recorded_at=recorded_at,
    )


def make_person(*, family_name: str = "山田", given_name: str = "太郎", family_name_kana: str = "ヤマダ",
                given_name_kana: str = "タロウ", birth_date: date = date(1946, 5, 1), sex: str = Sex.MALE,
                address: str = "さいたま市浦和区高砂三丁目1番1号", postal_code: str = "3300063",
                household: Household | None = None, is_householder: bool = False, relationship: str = "",
                valid_from: date = date(2000, 4, 1), addressee_no: str = "",
                status: str = PersonStatus.RESIDENT, registration: str = Registration.RESIDENT,
                change_kind: str = ChangeKind.MOVE_IN) -> Person:
    """A person with one current version, caused by one change event."""
    person = Person.objects.create(addressee_no=addressee_no or _next("1", 9), registration=registration)
    recorded = timezone.now() - timedelta(days=365)
    PersonVersion.objects.create(
        person=person, family_name=family_name, given_name=given_name, family_name_kana=family_name_kana,
        given_name_kana=given_name_kana, kana_key=kana_search_key(family_name_kana + given_name_kana),
        sex=sex, birth_date=birth_date, status=status, household=household, is_householder=is_householder,
        relationship=relationship, postal_code=postal_code, municipality_code=MUNICIPALITY_CODE,
        address=address, valid_from=valid_from, recorded_at=recorded,
        change=_change(person, change_kind, valid_from, recorded), is_current=True,
    )
    return person


def add_version(person: Person, *, valid_from: date, change_kind: str = ChangeKind.ADDRESS_CHANGE,
                **changes: Any) -> PersonVersion:
    """A later change: the current version ends the day the new one starts; the new one is current."""
    previous = PersonVersion.objects.get(person=person, is_current=True)
    previous.valid_to = valid_from
    previous.is_current = False
    previous.save(update_fields=["valid_to", "is_current"])
    fields = {f.name: getattr(previous, f.name) for f in PersonVersion._meta.concrete_fields
              if f.name not in {"id", "valid_from", "valid_to", "recorded_at", "superseded_at", "change",
                                "is_current"}}
    fields.update(changes)
    if "family_name_kana" in changes or "given_name_kana" in changes:
        fields["kana_key"] = kana_search_key(fields["family_name_kana"] + fields["given_name_kana"])
    recorded = timezone.now()
    return PersonVersion.objects.create(
        **fields, valid_from=valid_from, recorded_at=recorded,
        change=_change(person, change_kind, valid_from, recorded), is_current=True,
    )


def supersede(version: PersonVersion, **corrected: Any) -> PersonVersion:
    """A correction (職権修正): the version is marked superseded and a corrected copy takes its place."""
    now = timezone.now()
    version.superseded_at = now
    was_current = version.is_current
    version.is_current = False
    version.save(update_fields=["superseded_at", "is_current"])
    fields = {f.name: getattr(version, f.name) for f in PersonVersion._meta.concrete_fields
              if f.name not in {"id", "recorded_at", "superseded_at", "change", "is_current"}}
    fields.update(corrected)
    return PersonVersion.objects.create(
        **fields, recorded_at=now, is_current=was_current,
        change=_change(version.person, ChangeKind.CORRECTION, version.valid_from, now),
    )


def personal_number(rng: random.Random | None = None) -> str:
    """A 12-digit number with a valid check digit (synthetic: belongs to nobody)."""
    rng = rng or random.Random()
    base = f"{rng.randrange(10**10, 10**11):011d}"
    return base + str(my_number_check_digit(base))


@dataclass(frozen=True)
class Staff:
    user: StaffUser
    secret: str
    password: str = STAFF_PASSWORD

    def code(self, step_offset: int = 0) -> str:
        return totp_code(self.secret, step_offset=step_offset)


def make_staff(role: Role | str, *, username: str = "", staff_name: str = "",
               office: str = "浦和区保険年金課", password: str = STAFF_PASSWORD) -> Staff:
    """A staff account enrolled through the real service (audit row, TOTP secret)."""
    role_value = Role(role)
    username = username or _next(role_value.value.split("_")[0][:6] + "x", 4)
    enrolment: StaffEnrolment = staff_create(
        actor=Actor.system("tests"), username=username, staff_name=staff_name or f"試験 {username}",
        role=role_value.value, password=password, office=office, must_change=False,
    )
    return Staff(user=enrolment.user, secret=enrolment.totp_secret, password=password)


def totp_code(secret: str, *, step_offset: int = 0) -> str:
    return str(pyotp.TOTP(secret).at(time.time() + 30 * step_offset))
