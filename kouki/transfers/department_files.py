"""The file transfers to other departments of the city (issue 13 §4), each through the shared file
execution (kouki.transfers.file_execution.execute_file_transfer: gate, atomic file, one TransferRecord).

- T03 区政推進部, daily, 資格 (住民票への記載, 住基法7条10号の2): the acquisitions and losses
  effective on the day.
- T08 国保年金課, monthly, 資格 (国保の資格喪失・確認・不当利得): the month's acquisitions (each
  entrant leaves 国保: 年齢到達, 障害認定, 転入 …) and the month's losses by 障害認定撤回 (the person
  may return to 国保).
- T15 法人課税課, yearly, 特別徴収データ (住民税の賦課): per person, the premiums deducted from
  pensions in the calendar year (confirmed 特別徴収 receipts paid that year) and their count.

Each file is UTF-8 CSV (BOM, CR LF) named for the definition and the day, month or year it covers, documented
field by field in docs/interfaces/transfer-*.md. People are named by 宛名番号 (and 被保険者番号);
none of these definitions carries the personal number, so no file holds one.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from kouki.addressees.selectors import addressee_numbers
from kouki.collection.selectors import pension_deductions_in_year
from kouki.eligibility.selectors import (
    ACQUIRED,
    LOST,
    EligibilityChange,
    eligibility_changes_between,
    latest_insured_numbers,
)
from kouki.privacy.context import Actor
from kouki.rules.union_codes import LossReason
from kouki.transfers.catalogue import ELIGIBILITY, Method
from kouki.transfers.file_execution import FileContent, FileTransferResult, csv_bytes, execute_file_transfer

CHANGE_LABELS = {ACQUIRED: "取得", LOST: "喪失"}
ELIGIBILITY_HEADER = (
    "異動日", "異動区分", "異動区分名", "事由コード", "宛名番号", "被保険者番号", "保険者番号"
)  # fmt: skip
SPECIAL_COLLECTION_HEADER = ("対象年", "宛名番号", "被保険者番号", "特別徴収額", "特別徴収回数")
SPECIAL_COLLECTION = "特別徴収データ"


def _eligibility_file(changes: list[EligibilityChange]) -> FileContent:
    numbers = addressee_numbers(c.person_id for c in changes)
    rows = [
        (c.on.strftime("%Y%m%d"), c.change, CHANGE_LABELS[c.change], c.reason, numbers[c.person_id],
         c.insured_no, c.insurer_no)
        for c in changes
    ]  # fmt: skip
    return FileContent(sorted({c.person_id for c in changes}), csv_bytes(ELIGIBILITY_HEADER, rows), len(rows))


def t03_file_name(on: date) -> str:
    return f"T03_shikaku_{on:%Y%m%d}.csv"


def t03_daily_eligibility(*, actor: Actor, on: date, outbox: Path,
                          method: Method = Method.LEASED_LINE) -> FileTransferResult:  # fmt: skip
    """T03: the 資格 changes effective on `on` to 区政推進部."""
    return execute_file_transfer(
        actor=actor, code="T03", method=method, items=[ELIGIBILITY], path=outbox / t03_file_name(on),
        build=lambda: _eligibility_file(eligibility_changes_between(on, on)),
    )  # fmt: skip


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def t08_changes(month: date) -> list[EligibilityChange]:
    first, last = month_bounds(month)
    return [c for c in eligibility_changes_between(first, last)
            if c.change == ACQUIRED or c.reason == LossReason.DISABILITY_WITHDRAWN]  # fmt: skip


def t08_file_name(month: date) -> str:
    return f"T08_kokuho_{month:%Y%m}.csv"


def t08_monthly_kokuho(*, actor: Actor, month: date, outbox: Path) -> FileTransferResult:
    """T08: the month's entrants (and 障害認定撤回 losses) to 国保年金課 over 庁内連携."""
    return execute_file_transfer(
        actor=actor, code="T08", method=Method.INTRA, items=[ELIGIBILITY], path=outbox / t08_file_name(month),
        build=lambda: _eligibility_file(t08_changes(month)),
    )  # fmt: skip


def _special_collection_file(year: int) -> FileContent:
    deductions = pension_deductions_in_year(year)
    people = sorted(deductions)
    numbers = addressee_numbers(people)
    insured = latest_insured_numbers(people)
    rows = [(year, numbers[p], insured.get(p, ""), deductions[p][0], deductions[p][1]) for p in people]
    return FileContent(people, csv_bytes(SPECIAL_COLLECTION_HEADER, rows), len(rows))


def t15_file_name(year: int) -> str:
    return f"T15_tokucho_{year}.csv"


def t15_yearly_special_collection(*, actor: Actor, year: int, outbox: Path) -> FileTransferResult:
    """T15: the calendar year's 特別徴収 data to 法人課税課 over the file server."""
    return execute_file_transfer(
        actor=actor, code="T15", method=Method.FILE_SERVER, items=[SPECIAL_COLLECTION],
        path=outbox / t15_file_name(year), build=lambda: _special_collection_file(year),
    )  # fmt: skip
