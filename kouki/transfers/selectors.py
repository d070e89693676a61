"""Reads of the transfers: the list of definitions (`kouki transfers list`) and a 移転票's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from kouki.eligibility.selectors import outbound_files
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


@dataclass(frozen=True)
class RecordRow:
    code: str
    version: int
    executed_at: str  # local time, seconds
    executed_by: str
    method: str
    person_count: int
    items: str
    file_name: str


def record_rows(code: str | None = None) -> list[RecordRow]:
    """Every transfer record (optionally of one definition), oldest first: counts and names, no persons."""
    qs = TransferRecord.objects.select_related("version__definition").order_by("executed_at", "pk")
    if code:
        qs = qs.filter(version__definition__code=code)
    return [
        RecordRow(r.version.definition.code, r.version.version,
                  timezone.localtime(r.executed_at).strftime("%Y-%m-%d %H:%M:%S"), r.executed_by,
                  Method(r.method).label, r.person_count, "、".join(r.items), r.file_name)
        for r in qs
    ]  # fmt: skip


def union_files_without_record() -> list[str]:
    """Names of the union files sent (OutboundFile, KOUKI_*.dat) that have no T01 transfer record."""
    recorded = set(
        TransferRecord.objects.filter(version__definition__code="T01").values_list("file_name", flat=True)
    )
    names = outbound_files().values_list("file_name", flat=True)
    return sorted(n for n in names if n.startswith("KOUKI_") and n not in recorded)


@dataclass(frozen=True)
class TransferCount:
    code: str  # T02
    recipient: str
    method: str  # its Japanese label
    executions: int
    persons: int


def transfer_counts(since: datetime, until: datetime) -> list[TransferCount]:
    """Transfers carried out in [since, until) per definition and method (the monthly review report),
    aggregated in the database; most executions first."""
    rows = (TransferRecord.objects.filter(executed_at__gte=since, executed_at__lt=until)
            .values("version__definition__code", "version__recipient", "method")
            .annotate(n=Count("pk"), persons=Sum("person_count"))
            .order_by("-n", "version__definition__code", "method"))
    labels = {m.value: m.label for m in Method}
    return [TransferCount(r["version__definition__code"], r["version__recipient"],
                          labels.get(r["method"], r["method"]), r["n"], int(r["persons"] or 0)) for r in rows]


@dataclass(frozen=True)
class PersonTransfer:
    """One transfer (移転) that carried the person: what, to whom, why, when, by whom (issue 15 §1)."""

    code: str
    version: int
    recipient: str
    purpose: str
    executed_at: datetime
    executed_by: str
    method: str  # Japanese label
    items: str
    file_name: str
    person_count: int


def _carrying(person_id: int) -> QuerySet[TransferRecord]:
    """The records whose list of persons holds the person, the search done by the database."""
    qs = TransferRecord.objects.all()
    if connection.vendor == "postgresql":
        return qs.filter(person_ids__contains=[person_id])
    table = TransferRecord._meta.db_table
    return qs.extra(  # noqa: S610 (a fixed clause; the id is a parameter)
        where=[f"EXISTS (SELECT 1 FROM json_each({table}.person_ids) WHERE json_each.value = %s)"],  # noqa: S608
        params=[person_id])


def transfers_of_person(person_id: int) -> list[PersonTransfer]:
    """Every transfer record that carried the person, newest first (the auditor's desk, the disclosure)."""
    qs = _carrying(person_id).select_related("version__definition").order_by("-executed_at", "-pk")
    return [
        PersonTransfer(r.version.definition.code, r.version.version, r.version.recipient, r.version.purpose,
                       r.executed_at, r.executed_by, Method(r.method).label, "、".join(r.items), r.file_name,
                       r.person_count)
        for r in qs
    ]  # fmt: skip
