"""Reads of the transfers: the list of definitions (`kouki transfers list`) and a 移転票's data."""

from __future__ import annotations

from dataclasses import dataclass

from kouki.transfers.catalogue import Method
from kouki.transfers.models import Side, TransferDefinition, TransferDefinitionVersion, TransferRecord

NOT_FOUND_LABEL = "未確認"


@dataclass(frozen=True)
class DefinitionRow:
    code: str
    number: int  # the assessment's number (1–15)
    version: int
    recipient: str
    purpose: str
    legal_basis: str  # 未確認 when not found
    methods: str
    frequency: str
    items: str
    approval: str  # 承認済 / 未承認 (移転元のみ承認済 …)


def approval_label(version: TransferDefinitionVersion) -> str:
    sides = {a.side for a in version.approvals.all()}
    if sides == {Side.SENDING.value, Side.RECEIVING.value}:
        return "承認済"
    if Side.SENDING.value in sides:
        return "未承認(移転元のみ承認済)"
    if Side.RECEIVING.value in sides:
        return "未承認(移転先のみ承認済)"
    return "未承認"


def definition_rows() -> list[DefinitionRow]:
    rows = []
    for definition in TransferDefinition.objects.prefetch_related("versions__approvals"):
        versions = sorted(definition.versions.all(), key=lambda v: v.version)
        if not versions:
            continue
        v = versions[-1]
        rows.append(DefinitionRow(
            code=definition.code, number=definition.number, version=v.version,
            recipient=v.recipient, purpose=v.purpose,
            legal_basis=v.legal_basis or NOT_FOUND_LABEL,
            methods="・".join(Method(m).label for m in v.methods), frequency=v.frequency,
            items="、".join(v.items), approval=approval_label(v),
        ))  # fmt: skip
    return rows


def records_of(code: str) -> list[TransferRecord]:
    return list(TransferRecord.objects.filter(version__definition__code=code).select_related("version"))
