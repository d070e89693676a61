"""Writes of the transfers (issue 13 §4, SEC-28): register the catalogue, record approvals, execute.

Every write runs in one transaction with its audit row. A definition is usable only when its current
version is approved on both sides (移転元 and 移転先), by two different people, each with a 決裁 reference.
`transfer_execute` is the one door of an execution: it refuses (TransferRefused, audited as
transfer.refused) an unknown definition, an unapproved or one-sidedly approved current version, an item
outside the version's whitelist, a method the definition does not use, no persons, or an actor whose role
lacks EXECUTE_TRANSFER; otherwise it writes one TransferRecord (who, when, definition and version,
persons, count, items, method, file name and SHA-256 or 紙) in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm, role_has
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record, digest_for_audit
from kouki.privacy.context import Actor
from kouki.rules.transfer_gate import both_sides_approved, items_outside, same_person
from kouki.transfers.catalogue import CatalogueEntry, Method, configured_catalogue
from kouki.transfers.models import (
    Side,
    TransferApproval,
    TransferDefinition,
    TransferDefinitionVersion,
    TransferRecord,
)

DEFINITION, RECORD = AuditTarget.TRANSFER_DEFINITION, AuditTarget.TRANSFER_RECORD


class TransferRefused(PermissionError):
    """An approval or an execution that does not match a registered, approved definition: nothing written
    but the refusal's audit row. `reason` is Japanese, for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _content(entry: CatalogueEntry) -> dict[str, object]:
    return {
        "recipient": entry.recipient, "persons": entry.persons, "purpose": entry.purpose,
        "items": list(entry.items), "legal_basis": entry.legal_basis,
        "methods": [m.value for m in entry.methods], "frequency": entry.frequency, "sources": entry.sources,
    }  # fmt: skip


def content_sha256(entry: CatalogueEntry) -> str:
    return hashlib.sha256(
        json.dumps(_content(entry), ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def current_version(definition: TransferDefinition) -> TransferDefinitionVersion | None:
    return definition.versions.order_by("-version").first()


@dataclass(frozen=True)
class LoadResult:
    created: int
    revised: int
    unchanged: int


def transfers_load(*, actor: Actor, catalogue: Sequence[CatalogueEntry] | None = None) -> LoadResult:
    """Register the catalogue (default: the configured one, kouki.transfers.catalogue.configured_catalogue):
    a definition not yet registered gets version 1; one whose content changed
    gets a new version (which needs both approvals again); an unchanged one is left alone."""
    created = revised = unchanged = 0
    with transaction.atomic():
        for entry in configured_catalogue() if catalogue is None else catalogue:
            definition, new = TransferDefinition.objects.select_for_update().get_or_create(
                code=entry.code, defaults={"number": entry.number}
            )
            latest = None if new else current_version(definition)
            sha = content_sha256(entry)
            if latest is not None and latest.content_sha256 == sha:
                unchanged += 1
                continue
            number = 1 if latest is None else latest.version + 1
            TransferDefinitionVersion.objects.create(
                definition=definition, version=number, content_sha256=sha, registered_by=actor.username,
                registered_at=timezone.now(), **_content(entry),
            )  # fmt: skip
            audit_record(actor=actor, action=AuditAction.TRANSFER_DEFINITION_REGISTER,
                         target_type=AuditTarget.TRANSFER_DEFINITION, target_id=entry.code,
                         detail={"version": number, "content_sha256": sha})  # fmt: skip
            if latest is None:
                created += 1
            else:
                revised += 1
    return LoadResult(created=created, revised=revised, unchanged=unchanged)


def _refuse(actor: Actor, code: str, reason: str, **detail: object) -> TransferRefused:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.TRANSFER_REFUSED, target_type=DEFINITION,
                     target_id=code, detail={"reason": reason, **detail})  # fmt: skip
    return TransferRefused(reason)


def _staff(actor: Actor) -> StaffUser | None:
    return StaffUser.objects.filter(username=actor.username, disabled_at__isnull=True).first()


def _definition(actor: Actor, code: str) -> TransferDefinition:
    definition = TransferDefinition.objects.filter(code=code).first()
    if definition is None:
        raise _refuse(actor, code, "登録された移転定義ではありません")
    return definition


class _Refusal(Exception):  # raised inside the write transaction, audited after its rollback
    def __init__(self, reason: str, **detail: object) -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def transfer_approve(*, actor: Actor, code: str, version: int, side: Side, kessai_ref: str,
                     approver_name: str = "", approver_office: str = "") -> TransferApproval:  # fmt: skip
    """Record one side's approval of a definition's current version.

    移転元: the approver is the acting supervisor. 移転先: the receiving department's supervisor, named
    (氏名, 所属) with their 決裁 reference, recorded by a supervisor of ours. The two sides must be
    different people: neither the same staff account recording both nor the same approver name.
    """
    staff = _staff(actor)
    if staff is None or not role_has(staff.role, Perm.APPROVE_TRANSFER):
        raise _refuse(actor, code, "移転定義を承認する権限がありません")
    definition = _definition(actor, code)
    kessai_ref = kessai_ref.strip()
    if not kessai_ref:
        raise _refuse(actor, code, "決裁番号がありません")
    if side == Side.SENDING:
        name, office = staff.staff_name, staff.office
    else:
        name, office = approver_name.strip(), approver_office.strip()
        if not name:
            raise _refuse(actor, code, "移転先の承認者の氏名がありません", version=version)
    try:
        with transaction.atomic():
            return _approve(actor, definition, version, side, kessai_ref, name, office)
    except _Refusal as refusal:
        raise _refuse(actor, code, refusal.reason, **refusal.detail) from None


def _approve(actor: Actor, definition: TransferDefinition, version: int, side: Side, kessai_ref: str,
             name: str, office: str) -> TransferApproval:  # fmt: skip
    latest = (
        TransferDefinitionVersion.objects.select_for_update()
        .filter(definition=definition)
        .order_by("-version")
        .first()
    )
    if latest is None or latest.version != version:
        raise _Refusal("承認しようとした版は現在の版ではありません", version=version)
    if not latest.legal_basis:
        raise _Refusal("根拠が未確認の移転定義は承認できません", version=version)
    approvals = {a.side: a for a in latest.approvals.all()}
    if side in approvals:
        raise _Refusal("この版のこの側は承認済みです", version=version, side=side.value)
    other = approvals.get(Side.RECEIVING if side == Side.SENDING else Side.SENDING)
    if other is not None and same_person(other.recorded_by, other.approver_name, actor.username, name):
        raise _Refusal("移転元と移転先は別の者が承認してください", version=version)
    if side == Side.RECEIVING:
        office = office or latest.recipient
    approval = TransferApproval.objects.create(
        version=latest, side=side, approver_name=name, approver_office=office, kessai_ref=kessai_ref,
        recorded_by=actor.username, recorded_at=timezone.now(),
    )  # fmt: skip
    detail = {"version": version, "side": side.value, "kessai_ref": kessai_ref, "approver_office": office}
    audit_record(actor=actor, action=AuditAction.TRANSFER_APPROVE, target_type=DEFINITION,
                 target_id=definition.code, detail=detail)  # fmt: skip
    return approval


def is_approved(version: TransferDefinitionVersion) -> bool:
    return both_sides_approved(a.side for a in version.approvals.all())


def transfer_check(*, actor: Actor, code: str, person_ids: Iterable[int] | None, items: Sequence[str],
                   method: Method) -> TransferDefinitionVersion:  # fmt: skip
    """The gate of an execution, before anything is built: the current, approved version it may use, or
    TransferRefused (audited in its own transaction, so call it outside the one that records the file).
    `person_ids` None: the persons are not known yet (a file execution asks again once it has built them)."""
    staff = _staff(actor)
    if staff is None or not role_has(staff.role, Perm.EXECUTE_TRANSFER):
        raise _refuse(actor, code, "移転を実行する権限がありません")
    definition = _definition(actor, code)
    version = current_version(definition)
    if version is None or not is_approved(version):
        raise _refuse(actor, code, "移転元・移転先の双方の承認がない移転定義です",
                      version=getattr(version, "version", 0))  # fmt: skip
    outside = list(items_outside(items, version.items))
    if not items or outside:
        raise _refuse(actor, code, "移転定義にない項目は移転できません", version=version.version,
                      items=outside)  # fmt: skip
    if method.value not in version.methods:
        raise _refuse(actor, code, "移転定義にない方法です", version=version.version, method=method.value)
    if person_ids is not None and not set(person_ids):
        raise _refuse(actor, code, "対象者がいません", version=version.version)
    return version


def transfer_execute(*, actor: Actor, code: str, person_ids: Iterable[int], items: Sequence[str],
                     method: Method, file_name: str = "",
                     file_sha256: str = "") -> TransferRecord:  # fmt: skip
    """One execution of a registered, approved transfer: one TransferRecord and its audit row, written in the
    caller's transaction (the one that records the file, kouki.core.outbox.outgoing_files) or its own."""
    persons = sorted(set(person_ids))
    version = transfer_check(actor=actor, code=code, person_ids=persons, items=items, method=method)
    if method in (Method.FILE_SERVER, Method.LEASED_LINE) and not (file_name and file_sha256):
        raise _refuse(actor, code, "ファイルの名前とハッシュがありません", version=version.version)
    with transaction.atomic():
        record = TransferRecord.objects.create(
            version=version,
            executed_by=actor.username,
            executed_at=timezone.now(),
            method=method.value,
            person_ids=persons,
            person_count=len(persons),
            items=list(items),
            file_name=file_name,
            file_sha256=file_sha256,
        )
        audit_record(actor=actor, action=AuditAction.TRANSFER_EXECUTE, target_type=RECORD,
                     target_id=str(record.pk), detail={
                         "definition": code, "version": version.version, "method": method.value,
                         "person_count": len(persons), "items": list(items), "file_name": file_name,
                         "file_sha256": digest_for_audit(file_sha256) if file_sha256 else ""})  # fmt: skip
    return record
