"""Sample objects of the 申請 screens for the URL × role walk (tests/web/test_access_matrix.py)."""

from __future__ import annotations

from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.applications.models import Application
from kouki.applications.services import application_receive

from .conftest import actor_of, medical_input


def application_samples(person: Person) -> dict[str, dict[str, int]]:
    """A 療養費 application waiting for 再鑑 (detail, confirm, withdraw and 受付票 all answer)."""
    a: Application = application_receive(
        actor=actor_of(make_staff(Role.SUPERVISOR)), data=medical_input(person)
    )
    p, n = person.pk, a.pk
    return {
        "web:application_detail": {"application_id": n},
        "web:application_confirm": {"application_id": n},
        "web:application_return": {"application_id": n},
        "web:application_withdraw": {"application_id": n},
        "web:application_receipt": {"application_id": n},
        "web:application_notice": {"application_id": n},
        "web:application_notice_delivered": {"application_id": n},
        "web:application_notice_undelivered": {"application_id": n},
        "web:application_kind": {"person_id": p},
        "web:application_new_funeral": {"person_id": p},
        "web:application_new_benefit": {"person_id": p},
        "web:application_new_deferral": {"person_id": p},
        "web:application_new_reduction": {"person_id": p},
        "web:application_new_declaration": {"person_id": p},
    }
