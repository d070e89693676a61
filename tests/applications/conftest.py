"""Application fixtures: a deceased insured person (葬祭費), a living one with a premium plan (減免/猶予),
counter staff and two supervisors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from factories import Staff, make_household, make_person, make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person, PersonStatus
from kouki.applications.services import ApplicationInput
from kouki.privacy.context import Actor
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.identity_check import AgentKind, AuthorityDocument, IdentityDocument

FUNERAL_DAY = date(2026, 3, 20)
RECEIVED = date(2026, 4, 10)


def actor_of(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, terminal_id="T-01", user_id=staff.user.pk)


@dataclass(frozen=True)
class Counter:
    deceased: Person  # died 2026-03; 葬祭費
    living: Person  # 減免, 療養費 …
    clerk: Staff
    number_clerk: Staff
    supervisor: Staff
    other_supervisor: Staff
    auditor: Staff


@pytest.fixture
def counter(db: None) -> Counter:
    deceased = make_person(
        family_name="佐藤", given_name="一郎", family_name_kana="サトウ", given_name_kana="イチロウ",
        birth_date=date(1940, 6, 1), household=make_household(), is_householder=True,
        relationship="世帯主", status=PersonStatus.DECEASED,
    )  # fmt: skip
    living = make_person(
        family_name="鈴木", given_name="花子", family_name_kana="スズキ", given_name_kana="ハナコ",
        birth_date=date(1945, 2, 3), household=make_household(), is_householder=True, relationship="世帯主",
    )  # fmt: skip
    return Counter(
        deceased=deceased,
        living=living,
        clerk=make_staff(Role.COUNTER_CLERK),
        number_clerk=make_staff(Role.NUMBER_CLERK),
        supervisor=make_staff(Role.SUPERVISOR),
        other_supervisor=make_staff(Role.SUPERVISOR),
        auditor=make_staff(Role.AUDITOR),
    )


FUNERAL_DOCUMENTS = frozenset({"form", "card", "funeral_letter", "account"})


def funeral_input(person: Person, **changes: object) -> ApplicationInput:
    """The 喪主 (the widow) applies in person with her driving licence and every document."""
    values: dict[str, object] = {
        "person_id": person.pk,
        "kind": ApplicationKind.FUNERAL,
        "received_on": RECEIVED,
        "applicant": Applicant.MOURNER,
        "details": {
            "funeral_date": FUNERAL_DAY,
            "mourner_name": "佐藤 和子",
            "mourner_relationship": "妻",
            "former_insurance": "no",
        },
        "documents": FUNERAL_DOCUMENTS,
        "identity_documents": frozenset({IdentityDocument.DRIVERS_LICENCE}),
    }
    values.update(changes)
    return ApplicationInput(**values)  # type: ignore[arg-type]


def agent_changes() -> dict[str, object]:
    """A delegate (the son, with a power of attorney) comes instead."""
    return {
        "applicant": Applicant.AGENT,
        "identity_documents": frozenset(),
        "agent_kind": AgentKind.DELEGATE,
        "agent_name": "佐藤 次郎",
        "agent_relationship": "子",
        "agent_documents": frozenset({IdentityDocument.DRIVERS_LICENCE}),
        "authority_documents": frozenset({AuthorityDocument.POWER_OF_ATTORNEY}),
    }


def medical_input(person: Person, **changes: object) -> ApplicationInput:
    """療養費 for a corset (治療用装具), applied for by the insured person with a My Number card."""
    values: dict[str, object] = {
        "person_id": person.pk,
        "kind": ApplicationKind.MEDICAL_DEVICE,
        "received_on": RECEIVED,
        "applicant": Applicant.SELF,
        "details": {"paid_on": date(2026, 2, 1), "amount_paid": 32_000, "provider": "浦和整形外科"},
        "documents": frozenset({"form", "card", "account", "doctor_certificate", "receipt"}),
        "identity_documents": frozenset({IdentityDocument.MY_NUMBER_CARD}),
    }
    values.update(changes)
    return ApplicationInput(**values)  # type: ignore[arg-type]

# a disaster's damage as the counter keys it (事由5): (6,000,000 − 1,000,000) ÷ 10,000,000 = 損害割合 50 %
DAMAGE_50 = {"damage_amount": 6_000_000, "insurance_amount": 1_000_000, "property_value": 10_000_000}
