"""Transfer T01 (the union): every union file sent is recorded as one TransferRecord (issue 13 §4).

The union files are written by the domain apps (the daily registry files, the collection files, the
benefit files, the 期割情報) through kouki.eligibility.outbound.union_file_send, which sends
`union_file_sent` inside the transaction that records the file; `record_union_file` (connected in
kouki.transfers.apps) writes, in that same transaction, one TransferRecord per file: who, when, T01's current
version, method 専用線, the persons (宛名 ids of the file's 宛名番号, read by slicing the fixed-width field,
no parse), their count, the item of the file's kind, file name and SHA-256, with its audit row.

The union batches are not gated here (the union exchange is 庁内利用, PIA L1261–1266, and runs unattended):
the record is written against T01's current version whether or not it is approved, and the audit row says
which (`approved`). While T01 is not registered (`kouki transfers load` not run) no record can be written;
`kouki transfers records` shows the union files without one (docs/operations/transfers.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from kouki.addressees.selectors import person_ids_by_addressee_no
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.interfaces.union.files import addressee_numbers_in
from kouki.privacy.audit import audit_record, digest_for_audit
from kouki.privacy.context import Actor
from kouki.transfers.catalogue import Method
from kouki.transfers.models import TransferDefinition, TransferRecord
from kouki.transfers.services import current_version, is_approved

UNION = "T01"

# union file kind → the T01 item it carries (kouki.transfers.catalogue, transfer 1)
UNION_ITEMS: dict[str, str] = {
    "resident-info": "住民基本台帳情報(世帯単位)",
    "non-resident-info": "住登外登録情報(世帯単位)",
    "notification-info": "届出",
    "application-info": "届出",  # benefit applications taken at the counter (申請): assumption, ADR 0006
    "income-info": "所得・課税情報",
    "instalment-info": "期割情報",
    "receipt-info": "収納情報",
    "arrears-info": "滞納情報",
    "medical-expense-info": "療養費情報",
}


def record_union_file(*, actor: Actor, kind: str, path: Path, sha256: str, data: bytes,
                      **_: Any) -> TransferRecord | None:  # fmt: skip
    """One TransferRecord of T01 for a union file just staged; None while T01 is not registered."""
    definition = TransferDefinition.objects.filter(code=UNION).first()
    version = current_version(definition) if definition is not None else None
    if version is None:
        return None
    item = UNION_ITEMS.get(kind, kind)
    found = person_ids_by_addressee_no(set(addressee_numbers_in(kind, data)))
    persons = sorted(set(found.values()))
    record = TransferRecord.objects.create(
        version=version, executed_by=actor.username, executed_at=timezone.now(),
        method=Method.LEASED_LINE.value, person_ids=persons, person_count=len(persons), items=[item],
        file_name=path.name, file_sha256=sha256,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.TRANSFER_EXECUTE, target_type=AuditTarget.TRANSFER_RECORD,
                 target_id=str(record.pk), detail={
                     "definition": UNION, "version": version.version, "method": Method.LEASED_LINE.value,
                     "person_count": len(persons), "items": [item], "file_name": path.name,
                     "file_sha256": digest_for_audit(sha256), "approved": is_approved(version)})  # fmt: skip
    return record
