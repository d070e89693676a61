"""The one way the 中間サーバ side's 符号取得 gets a personal number (issue 13 §2; R36 §21の2).

The 番号連携サーバ, once a person's 個人番号 is confirmed, has the 符号 obtained for the 団体内統合宛名番号:
J-LIS turns the person into a one-use 取得番号 (neither the 個人番号 nor the 住民票コード), which alone goes
to the network. Here the current number is decrypted in memory, handed to J-LIS's issuer (`issue`, the
configured connection) and dropped; the 取得番号 is returned to the caller to spend at once. One audit row
per call in its transaction (person, whether a number existed), never the number or the 取得番号.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumber
from kouki.privacy.vault import decrypt_number


def acquisition_number_for(*, actor: Actor, person_id: int, issue: Callable[[str], str]) -> str | None:
    """A 取得番号 for the person's current personal number, or None when the person has none."""
    with transaction.atomic():
        row = PersonalNumber.objects.filter(person_id=person_id, is_current=True).first()
        acquisition: str | None = None
        if row is not None:
            acquisition = issue(decrypt_number(row.ciphertext, row.key_id, person_id))
        audit_record(
            actor=actor,
            action=AuditAction.INQUIRY_CODE_ACQUIRE,
            target_type=AuditTarget.PERSON,
            target_id=str(person_id),
            detail={"has_number": row is not None},
        )
        return acquisition
