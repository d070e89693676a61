"""The simulated union's collection side (収納・滞納): only files cross.

- `receive(path)` takes in a city → union 収納情報, 滞納者情報 or 期割情報 file (all or nothing; the same
  file twice
  is taken in once) and keeps, in its own state file (`union-collection.json`, next to the simulator's),
  the latest snapshot per receipt / refund / set-off / write-off and the latest arrears list, with totals.
- `reconcile()` checks the receipts held against the 期割情報 held and lists the mismatches.
- `write_pension_results(expected, on, out_dir)` writes the union → city 特別徴収結果. The simulator
  receives no 期割 (instalment) file from the city yet, so it cannot know the pension instalments
  itself: the caller provides the expected deductions (person, fiscal year, pension month, amount) and,
  for some, the reason they were not deducted (死亡, 年金支給停止, 年金額不足 …). In production the union
  relays what the pension payers report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kouki.interfaces.union.arrears_info import ArrearsInfoRecord, parse_arrears_info
from kouki.interfaces.union.files import COLLECTION_CITY_TO_UNION, union_file_name
from kouki.interfaces.union.instalment_info import parse_instalment_info
from kouki.interfaces.union.pension_result import (
    DeductionResult,
    NotDeductedReason,
    PensionResultRecord,
    dump_pension_result,
)
from kouki.interfaces.union.receipt_info import (
    ReceiptRecordKind,
    ReceiptState,
    parse_receipt_info,
)
from kouki.sandbox.union.instalments import Mismatch, reconcile, take_instalments
from kouki.sandbox.union.simulator import UnionFileRejected, read_new_file
from kouki.sandbox.union.state import record_to_json, write_json

COLLECTION_FILE = "union-collection.json"


@dataclass
class CollectionState:
    received: list[str] = field(default_factory=list)  # sha-256 of files taken in
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # "kind:reference" → latest record
    arrears_base_date: str | None = None
    arrears: dict[str, dict[str, Any]] = field(default_factory=dict)  # "municipality:addressee:fy" → record
    instalments: dict[str, dict[str, Any]] = field(default_factory=dict)  # the 期割情報 held (.instalments)


@dataclass(frozen=True)
class Totals:
    receipts: int  # confirmed receipts (yen)
    provisional: int  # store receipts reported but not confirmed
    refunds: int  # decided or paid
    set_offs: int
    write_offs: int
    arrears_people: int
    arrears_amount: int


@dataclass(frozen=True)
class ExpectedDeduction:
    """One pension deduction the union expects (from the city's plan), and why it failed, if it did."""

    municipality_code: str
    addressee_no: str
    insured_no: str
    fiscal_year: int
    pension_month: str  # YYYYMM
    amount: int
    not_deducted: NotDeductedReason | None = None


class UnionCollection:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        path = self.state_dir / COLLECTION_FILE
        self.state = (
            CollectionState(**json.loads(path.read_text(encoding="utf-8")))
            if path.exists()
            else CollectionState()
        )

    def save(self) -> None:
        write_json(self.state_dir, COLLECTION_FILE, asdict(self.state))

    def receive(self, path: Path) -> int:
        """Take in one 収納情報 / 滞納者情報 file; returns the records taken in (0 if seen before)."""
        new = read_new_file(
            path,
            self.state.received,
            COLLECTION_CITY_TO_UNION,
            "収納情報・滞納者情報・期割情報のファイルではありません",
        )
        if new is None:
            return 0
        data, kind, sha = new
        if kind == "receipt-info":
            receipts = parse_receipt_info(data, path.name)
            if receipts.errors:
                raise UnionFileRejected(path.name, receipts.errors)
            for r in receipts.records:
                self.state.entries[f"{r.kind.value}:{r.reference_no}"] = record_to_json(r)
            count = len(receipts.records)
        elif kind == "instalment-info":
            plans = parse_instalment_info(data, path.name)
            if plans.errors:
                raise UnionFileRejected(path.name, plans.errors)
            take_instalments(self.state.instalments, plans.records)
            count = len(plans.records)
        else:
            arrears = parse_arrears_info(data, path.name)
            if arrears.errors:
                raise UnionFileRejected(path.name, arrears.errors)
            self._take_arrears(arrears.records, data)
            count = len(arrears.records)
        self.state.received.append(sha)
        self.save()
        return count

    def _take_arrears(self, records: list[ArrearsInfoRecord], data: bytes) -> None:
        """A newer full list replaces the one held (an empty list: nobody is in arrears); an older one
        arriving late is ignored. The base date of an empty list is the header's 作成日."""
        header = data[1:9].decode("ascii")
        base = records[0].base_date.isoformat() if records else f"{header[:4]}-{header[4:6]}-{header[6:]}"
        if self.state.arrears_base_date is not None and base < self.state.arrears_base_date:
            return
        self.state.arrears = {
            f"{r.municipality_code}:{r.addressee_no}:{r.fiscal_year}": record_to_json(r) for r in records
        }
        self.state.arrears_base_date = base

    def reconcile(self) -> list[Mismatch]:
        """The receipts held against the 期割情報 held: every mismatch (kouki.sandbox.union.instalments)."""
        return reconcile(self.state.instalments, self.state.entries.values())

    def totals(self) -> Totals:
        sums = {"receipts": 0, "provisional": 0, "refunds": 0, "set_offs": 0, "write_offs": 0}
        for e in self.state.entries.values():
            state, amount = e["state"], int(e["amount"])
            if state == ReceiptState.CANCELLED.value:
                continue
            kind = e["kind"]
            if kind == ReceiptRecordKind.RECEIPT.value:
                sums["provisional" if state == ReceiptState.PROVISIONAL.value else "receipts"] += amount
            elif kind == ReceiptRecordKind.REFUND.value:
                sums["refunds"] += amount
            elif kind == ReceiptRecordKind.SET_OFF.value:
                sums["set_offs"] += amount
            else:
                sums["write_offs"] += amount
        people = {key.rsplit(":", 1)[0] for key in self.state.arrears}
        amount = sum(int(r["unpaid_amount"]) for r in self.state.arrears.values())
        return Totals(**sums, arrears_people=len(people), arrears_amount=amount)

    def write_pension_results(self, expected: list[ExpectedDeduction], on: date, out_dir: Path) -> list[Path]:
        """特別徴収結果 files (one per municipality) for the given expected deductions."""
        by_city: dict[str, list[PensionResultRecord]] = {}
        for e in expected:
            deducted = e.not_deducted is None
            by_city.setdefault(e.municipality_code, []).append(PensionResultRecord(
                municipality_code=e.municipality_code, addressee_no=e.addressee_no, insured_no=e.insured_no,
                fiscal_year=e.fiscal_year, pension_month=e.pension_month,
                result=DeductionResult.DEDUCTED if deducted else DeductionResult.NOT_DEDUCTED,
                deducted=e.amount if deducted else 0, reason=e.not_deducted,
            ))  # fmt: skip
        paths = []
        out_dir.mkdir(parents=True, exist_ok=True)
        for municipality in sorted(by_city):
            path = out_dir / union_file_name("pension-result", municipality, on)
            path.write_bytes(dump_pension_result(by_city[municipality], created_on=on))
            paths.append(path)
        return paths
