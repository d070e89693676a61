"""Registered transfer definitions (移転, OUT-01) and the one way bulk files get personal numbers.

A bulk file with personal numbers leaves only for a transfer defined here in code (destination, legal
basis, data set, subjects, channel, schedule). `numbers_for_transfer` refuses any other transfer id and
writes one audit row per call (transfer id, file, how many asked and how many numbers given), never a
number, in the transaction that records the file (it refuses to run outside one). The numbers are
decrypted in memory for the caller to write into the file and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.keys import load_keyring
from kouki.privacy.models import PersonalNumber
from kouki.privacy.redaction import redact
from kouki.privacy.vault import decrypt_number


@dataclass(frozen=True)
class TransferDefinition:
    transfer_id: str
    destination: str
    legal_basis: str
    data_set: str
    subjects: str
    channel: str
    schedule: str


UNION_ELIGIBILITY = "T01-union-eligibility"

TRANSFERS: dict[str, TransferDefinition] = {
    t.transfer_id: t
    for t in (
        TransferDefinition(
            transfer_id=UNION_ELIGIBILITY,
            destination="埼玉県後期高齢者医療広域連合",
            legal_basis="高齢者の医療の確保に関する法律 第48条、第54条第1項・第10項",
            data_set="住民基本台帳情報・住登外登録情報 (資格)",
            subjects="被保険者・年齢到達予定者とその世帯構成員、住登外者",
            channel="専用線",
            schedule="初回一括、以降日次",
        ),
    )
}


class UnknownTransfer(PermissionError):
    """A transfer id that is not a registered transfer definition (OUT-01): nothing is read."""


def transfer_definition(transfer_id: str) -> TransferDefinition:
    definition = TRANSFERS.get(transfer_id)
    if definition is None:
        raise UnknownTransfer(f"transfer {transfer_id!r} is not a registered transfer definition")
    return definition


def numbers_for_transfer(
    *, actor: Actor, transfer_id: str, person_ids: Iterable[int], file_name: str = ""
) -> dict[int, str]:
    """Current personal numbers of the given people for a registered transfer: {person_id: number}.

    People without a current number are absent from the result. One audit row per call, in the
    caller's transaction: the one that records the file (kouki.core.outbox.outgoing_files), so the
    row commits only with a file that exists whole under its final name, and never without one.
    """
    definition = transfer_definition(transfer_id)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers_for_transfer must run inside the transaction that records the file "
                           "(kouki.core.outbox.outgoing_files)")
    wanted = sorted(set(person_ids))
    ring = load_keyring()
    numbers: dict[int, str] = {}
    for chunk in chunked(wanted, 2000):
        rows = PersonalNumber.objects.filter(person_id__in=chunk, is_current=True).values_list(
            "person_id", "ciphertext", "key_id")
        for person_id, blob, key_id in rows:
            numbers[person_id] = decrypt_number(blob, key_id, person_id, ring)
    audit_record(
        actor=actor, action=AuditAction.PERSONAL_NUMBER_TRANSFER, target_type=AuditTarget.TRANSFER,
        target_id=definition.transfer_id,
        detail={"file_name": redact(file_name)[:255], "destination": definition.destination,
                "requested": len(wanted), "numbers": len(numbers)},
    )
    return numbers
