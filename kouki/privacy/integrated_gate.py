"""The gate of 団体内統合宛名番号: the only way the mapping integrated number ↔ person is read.

For the 中間サーバ side (issue 13 §1; requirements §1.3 System 4 ①, System 5): the integrated number is the
only key by which that side learns who is meant. Like the personal number (kouki.privacy.gate):
- only a role holding Perm.LINK_INTEGRATED_NUMBER may map (else IntegratedNumberAccessDenied, nothing
  logged — as the number gate);
- a 参照理由 is required (purpose_parse), with the source screen and terminal;
- every mapping, found or not, writes one audit row (person, direction, purpose, screen, found) in its
  transaction; the integrated number itself is never written to the audit log;
- the text form needs KOUKI_INTEGRATED_ADDRESSEE_DIGITS ([NF]); while unset both directions refuse.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import ConfigError, city_config
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.gate import Purpose, purpose_parse, reference_where
from kouki.privacy.models import IntegratedAddressee
from kouki.rules.integrated_number import integrated_number_serial, integrated_number_text


class IntegratedNumberAccessDenied(PermissionDenied):
    """The user may not map integrated addressee numbers. Nothing was logged."""


class LinkageNotConfigured(ConfigError):
    """KOUKI_INTEGRATED_ADDRESSEE_DIGITS is unset: the width of the number is the installation's to give."""


def _digits() -> int:
    digits = city_config().integrated_addressee_digits
    if digits is None:
        raise LinkageNotConfigured(
            "KOUKI_INTEGRATED_ADDRESSEE_DIGITS is not set (the width of the 団体内統合宛名番号, from the "
            "番号連携サーバ's specification); nothing was mapped"
        )
    return digits


def _prepare(
    user: StaffUser, purpose: str, purpose_note: str, screen: str, terminal_id: str
) -> tuple[Purpose, str, str, int]:
    if not user.has_kouki_perm(Perm.LINK_INTEGRATED_NUMBER):
        raise IntegratedNumberAccessDenied("団体内統合宛名番号を取り扱う権限がありません")
    parsed = purpose_parse(purpose, purpose_note)
    screen, terminal_id = reference_where(screen, terminal_id)
    return parsed, screen, terminal_id, _digits()


def _audit(
    user: StaffUser, *, terminal_id: str, person_id: int | None, direction: str, purpose: Purpose, screen: str
) -> None:
    audit_record(
        actor=Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk),
        action=AuditAction.INTEGRATED_NUMBER_MAP,
        target_type=AuditTarget.PERSON,
        target_id="" if person_id is None else str(person_id),
        detail={
            "direction": direction,
            "purpose": purpose.code,
            "purpose_text": purpose.text,
            "screen": screen,
            "found": person_id is not None,
        },
    )


def integrated_number_for_person(
    *, user: StaffUser, person_id: int, purpose: str, screen: str, terminal_id: str, purpose_note: str = ""
) -> str | None:
    """The person's integrated addressee number (text of the configured width), or None if none assigned."""
    parsed, screen, terminal_id, digits = _prepare(user, purpose, purpose_note, screen, terminal_id)
    with transaction.atomic():
        serial = (
            IntegratedAddressee.objects.filter(person_id=person_id).values_list("serial", flat=True).first()
        )
        _audit(
            user,
            terminal_id=terminal_id,
            person_id=person_id if serial is not None else None,
            direction="to_integrated",
            purpose=parsed,
            screen=screen,
        )
        return None if serial is None else integrated_number_text(serial, digits)


def person_for_integrated_number(
    *,
    user: StaffUser,
    integrated_number: str,
    purpose: str,
    screen: str,
    terminal_id: str,
    purpose_note: str = "",
) -> int | None:
    """The addressee (person id) an integrated addressee number means, or None. Every lookup is audited.

    Raises kouki.rules.integrated_number.InvalidIntegratedNumber for a text not of the configured width."""
    parsed, screen, terminal_id, digits = _prepare(user, purpose, purpose_note, screen, terminal_id)
    serial = integrated_number_serial(integrated_number, digits)
    with transaction.atomic():
        person_id = (
            IntegratedAddressee.objects.filter(serial=serial).values_list("person_id", flat=True).first()
        )
        _audit(
            user,
            terminal_id=terminal_id,
            person_id=person_id,
            direction="to_person",
            purpose=parsed,
            screen=screen,
        )
        return person_id
