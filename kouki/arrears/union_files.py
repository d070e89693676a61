"""The city → union collection files of a day: 収納情報 (receipts, refunds, set-offs, write-offs touched
that day) and 滞納者情報 (everyone in arrears on that day), both daily (assessment transfer #1:
「収納 daily. 滞納 daily」, requirements.md §5; collection function (3)⑦).

Each file is written into `outbox` with the union's file name and recorded as an OutboundFile (kind,
run date, record count, SHA-256) with its audit row (kouki.eligibility.outbound.union_file_send),
as the eligibility batch does, through one kouki.core.outbox block (the rows commit once both files
exist whole); a kind already written for the day is not written again. People are named by 宛名番号
and 被保険者番号; someone without a valid 被保険者番号 is left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kouki.arrears.lookups import addressee_numbers, insured_numbers
from kouki.arrears.selectors import arrears_list
from kouki.collection.selectors import (
    ReceiptLine,
    receipts_recorded_between,
    refunds_decided_between,
    set_offs_decided_between,
)
from kouki.core.config import municipality_code
from kouki.core.outbox import outgoing_files
from kouki.eligibility.outbound import SentFile, union_file_send
from kouki.eligibility.selectors import outbound_files
from kouki.interfaces.union.arrears_info import ArrearsInfoRecord, PledgeState, dump_arrears_info
from kouki.interfaces.union.receipt_info import (
    ReceiptChannel,
    ReceiptInfoRecord,
    ReceiptRecordKind,
    ReceiptState,
    dump_receipt_info,
)
from kouki.privacy.context import Actor

RECEIPT_INFO = "receipt-info"
ARREARS_INFO = "arrears-info"

_CHANNELS = {
    "counter": ReceiptChannel.COUNTER, "store": ReceiptChannel.STORE, "bank": ReceiptChannel.BANK,
    "debit": ReceiptChannel.DEBIT, "pension": ReceiptChannel.PENSION, "set_off": ReceiptChannel.SET_OFF,
    "write_off": ReceiptChannel.WRITE_OFF,
}  # fmt: skip
_RECEIPT_STATES = {
    "confirmed": ReceiptState.CONFIRMED, "provisional": ReceiptState.PROVISIONAL,
    "cancelled": ReceiptState.CANCELLED,
}  # fmt: skip
_REFUND_STATES = {
    "decided": ReceiptState.CONFIRMED,
    "paid": ReceiptState.PAID,
    "cancelled": ReceiptState.CANCELLED,
}
_PLEDGES = {"active": PledgeState.ACTIVE, "kept": PledgeState.KEPT, "broken": PledgeState.BROKEN}


@dataclass
class CollectionFilesResult:
    on: date
    sent: list[SentFile] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    without_insured_no: int = 0  # people left out: no valid 被保険者番号 yet


class _People:
    """宛名番号 and 被保険者番号 per (person, fiscal year), read in bulk (kouki.arrears.lookups)."""

    def __init__(self) -> None:
        self.addressee: dict[int, str] = {}
        self.insured: dict[tuple[int, int], str] = {}
        self.missing: set[int] = set()

    def load(self, keys: Iterable[tuple[int, int]]) -> None:
        wanted = {k for k in keys if k not in self.insured}
        self.addressee.update(addressee_numbers(p for p, _ in wanted if p not in self.addressee))
        found = insured_numbers(wanted)
        self.insured.update({k: found.get(k, "") for k in wanted})

    def of(self, person_id: int, fiscal_year: int) -> tuple[str, str] | None:
        key = (person_id, fiscal_year)
        if key not in self.insured:
            self.load([key])
        if not self.insured[key] or person_id not in self.addressee:
            self.missing.add(person_id)
            return None
        return self.addressee[person_id], self.insured[key]


def _receipt_record(code: str, people: _People, line: ReceiptLine) -> ReceiptInfoRecord | None:
    who = people.of(line.person_id, line.fiscal_year)
    if who is None:
        return None
    kind = ReceiptRecordKind.WRITE_OFF if line.channel == "write_off" else ReceiptRecordKind.RECEIPT
    return ReceiptInfoRecord(
        municipality_code=code, addressee_no=who[0], insured_no=who[1], kind=kind,
        reference_no=line.receipt_id, fiscal_year=line.fiscal_year, from_fiscal_year=line.fiscal_year,
        channel=_CHANNELS[line.channel], period=line.period or 0, amount=line.amount, event_date=line.paid_on,
        state=_RECEIPT_STATES[line.status],
    )  # fmt: skip


def receipt_info_records(on: date, people: _People | None = None) -> list[ReceiptInfoRecord]:
    """収納情報 of day `on`: receipts recorded or cancelled (set-off credits come as 充当 records),
    refunds and set-offs decided."""
    people = people or _People()
    code = municipality_code()
    records: list[ReceiptInfoRecord] = []
    lines = receipts_recorded_between(on, on)
    refunds = refunds_decided_between(on, on)
    set_offs = set_offs_decided_between(on, on)
    keys = [(r.person_id, r.fiscal_year) for r in lines] + [(r.person_id, r.fiscal_year) for r in refunds]
    people.load(keys + [(s.person_id, s.to_fiscal_year) for s in set_offs])
    for line in lines:
        if line.channel == "set_off":
            continue
        r = _receipt_record(code, people, line)
        if r is not None:
            records.append(r)
    for refund in refunds:
        who = people.of(refund.person_id, refund.fiscal_year)
        if who is not None:
            records.append(ReceiptInfoRecord(
                code, who[0], who[1], ReceiptRecordKind.REFUND, refund.refund_id, refund.fiscal_year,
                refund.fiscal_year, ReceiptChannel.NONE, 0, refund.amount, refund.decided_on,
                _REFUND_STATES[refund.status],
            ))  # fmt: skip
    for s in set_offs:
        who = people.of(s.person_id, s.to_fiscal_year)
        if who is not None:
            records.append(ReceiptInfoRecord(
                code, who[0], who[1], ReceiptRecordKind.SET_OFF, s.set_off_id, s.to_fiscal_year,
                s.from_fiscal_year, ReceiptChannel.SET_OFF, s.to_period or 0, s.amount, s.decided_on,
                ReceiptState.CONFIRMED,
            ))  # fmt: skip
    return records


def arrears_info_records(on: date, people: _People | None = None) -> list[ArrearsInfoRecord]:
    """滞納者情報 on base date `on`: per person and fiscal year with an instalment due before `on` unpaid."""
    people = people or _People()
    code = municipality_code()
    records: list[ArrearsInfoRecord] = []
    rows = arrears_list(on)
    people.load([(row.person_id, fy) for row in rows for fy in row.by_fiscal_year()])
    for row in rows:
        for fy, items in sorted(row.by_fiscal_year().items()):
            who = people.of(row.person_id, fy)
            if who is None:
                continue
            records.append(ArrearsInfoRecord(
                municipality_code=code, addressee_no=who[0], insured_no=who[1], base_date=on, fiscal_year=fy,
                unpaid_periods=len(items), oldest_due=items[0].due_date,
                unpaid_amount=sum(u.unpaid for u in items),
                last_reminder_on=row.last_reminder_on,
                pledge=_PLEDGES.get(row.pledge_status) if row.pledge_status else None,
            ))  # fmt: skip
    records.sort(key=lambda r: (r.addressee_no, r.fiscal_year))
    return records


def collection_files_write(*, actor: Actor, on: date, outbox: Path) -> CollectionFilesResult:
    """Write 収納情報 and 滞納者情報 for day `on` (each once per day), recorded and audited."""
    result = CollectionFilesResult(on=on)
    done = set(outbound_files(on).values_list("kind", flat=True))
    people = _People()
    code = municipality_code()
    with outgoing_files() as out:  # the rows commit once both files exist whole under their names
        if RECEIPT_INFO in done:
            result.already_sent.append(RECEIPT_INFO)
        else:
            receipts = receipt_info_records(on, people)
            data = dump_receipt_info(receipts, created_on=on, municipality_code=code)
            result.sent.append(union_file_send(
                out, actor=actor, kind=RECEIPT_INFO, on=on, outbox=outbox, data=data, count=len(receipts)
            ))
        if ARREARS_INFO in done:
            result.already_sent.append(ARREARS_INFO)
        else:
            arrears = arrears_info_records(on, people)
            data = dump_arrears_info(arrears, created_on=on, municipality_code=code)
            result.sent.append(union_file_send(
                out, actor=actor, kind=ARREARS_INFO, on=on, outbox=outbox, data=data, count=len(arrears)
            ))
    result.without_insured_no = len(people.missing)
    return result
