"""Notification fixtures: a synthetic 70-year-old resident, counter staff and two supervisors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from factories import Staff, make_household, make_person, make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.notifications.models import Applicant, NotificationType
from kouki.notifications.services import NotificationInput
from kouki.privacy.context import Actor
from kouki.rules.identity_check import IdentityDocument


def actor_of(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, terminal_id="T-01", user_id=staff.user.pk)


@dataclass(frozen=True)
class Counter:
    person: Person  # born 1956-03-10: 70 in 2026, so a disability certification fits
    clerk: Staff
    number_clerk: Staff
    supervisor: Staff
    other_supervisor: Staff
    auditor: Staff = field(repr=False)


@pytest.fixture
def counter(db: None) -> Counter:
    person = make_person(
        family_name="高橋",
        given_name="一郎",
        family_name_kana="タカハシ",
        given_name_kana="イチロウ",
        birth_date=date(1956, 3, 10),
        household=make_household(),
        is_householder=True,
        relationship="世帯主",
        valid_from=date(2001, 4, 1),
    )
    return Counter(
        person=person,
        clerk=make_staff(Role.COUNTER_CLERK),
        number_clerk=make_staff(Role.NUMBER_CLERK),
        supervisor=make_staff(Role.SUPERVISOR),
        other_supervisor=make_staff(Role.SUPERVISOR),
        auditor=make_staff(Role.AUDITOR),
    )


def disability_input(person: Person, **changes: object) -> NotificationInput:
    values: dict[str, object] = {
        "person_id": person.pk,
        "notification_type": NotificationType.DISABILITY_CERTIFICATION,
        "effective_date": date(2026, 4, 1),
        "received_on": date(2026, 4, 3),
        "stated_kana": "タカハシ イチロウ",
        "stated_birth_date": date(1956, 3, 10),
        "applicant": Applicant.SELF,
        "identity_documents": frozenset({IdentityDocument.MY_NUMBER_CARD}),
    }
    values.update(changes)
    return NotificationInput(**values)  # type: ignore[arg-type]
