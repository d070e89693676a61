"""全銀協 総合振込 (種別コード 21): the refund (還付) transfer file the city sends to its bank.
Field by field in docs/interfaces/zengin-transfer.md (sources cited there)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kouki.interfaces.importing import LineError
from kouki.interfaces.zengin.debit import BankSettings
from kouki.interfaces.zengin.layout import (
    DATA,
    END_RECORD,
    HEADER,
    TRAILER,
    data_kind,
    dump_file,
    dump_record,
    parse_file,
    record,
    zfield,
)

KIND_CODE = 21

HEADER_RECORD = record(
    HEADER,
    "ヘッダレコード",
    (
        data_kind("1"),
        zfield("kind_code", "種別コード", 2, "N", note="21 (総合振込)"),
        zfield("code_kind", "コード区分", 1, "N", note="0 (JIS)"),
        zfield("requester_code", "振込依頼人コード", 10, "N", note="assigned by the bank"),
        zfield("requester_name", "振込依頼人名", 40, "C", note="the city, half-width kana"),
        zfield("transfer_mmdd", "振込指定日", 4, "N", note="MMDD, a bank business day"),
        zfield("bank_code", "仕向銀行番号", 4, "N", note="the city's bank"),
        zfield("bank_name", "仕向銀行名", 15, "C"),
        zfield("branch_code", "仕向支店番号", 3, "N"),
        zfield("branch_name", "仕向支店名", 15, "C"),
        zfield("deposit_type", "預金種目(依頼人)", 1, "N", note="1 普通, 2 当座, 9 その他"),
        zfield("account_number", "口座番号(依頼人)", 7, "N"),
        zfield("dummy", "ダミー", 17, "B", note="spaces"),
    ),
)
DATA_RECORD = record(
    DATA,
    "データレコード",
    (
        data_kind("2"),
        zfield("bank_code", "被仕向銀行番号", 4, "N"),
        zfield("bank_name", "被仕向銀行名", 15, "C"),
        zfield("branch_code", "被仕向支店番号", 3, "N"),
        zfield("branch_name", "被仕向支店名", 15, "C"),
        zfield("clearing_house", "手形交換所番号", 4, "N", note="unused: 0000"),
        zfield("deposit_type", "預金種目", 1, "N", note="1 普通, 2 当座, 4 貯蓄, 9 その他"),
        zfield("account_number", "口座番号", 7, "N"),
        zfield("payee", "受取人名", 30, "C", note="half-width kana"),
        zfield("amount", "振込金額", 10, "N", note="yen"),
        zfield("new_code", "新規コード", 1, "N", note="0 (1 first transfer, 2 changed: unused here)"),
        zfield("customer_code1", "顧客コード1", 10, "N", note="refund id"),
        zfield("customer_code2", "顧客コード2", 10, "N", note="refund account id (ADR 0009)"),
        zfield("transfer_kind", "振込指定区分", 1, "N", note="7 電信"),
        zfield("identification", "識別表示", 1, "B", note="space (customer codes are numeric)"),
        zfield("dummy", "ダミー", 7, "B", note="spaces"),
    ),
)
TRAILER_RECORD = record(
    TRAILER,
    "トレーラレコード",
    (
        data_kind("8"),
        zfield("total_count", "合計件数", 6, "N"),
        zfield("total_amount", "合計金額", 12, "N"),
        zfield("dummy", "ダミー", 101, "B", note="spaces"),
    ),
)
RECORDS = {r.code: r for r in (HEADER_RECORD, DATA_RECORD, TRAILER_RECORD, END_RECORD)}
TELEGRAPHIC = 7


@dataclass(frozen=True)
class TransferLine:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    deposit_type: int
    account_number: str
    payee: str
    amount: int
    customer_code1: int
    customer_code2: int


def dump_transfer_file(settings: BankSettings, transfer_date: date, lines: Sequence[TransferLine]) -> bytes:
    header = dump_record(
        HEADER_RECORD,
        {
            "kind_code": KIND_CODE,
            "code_kind": 0,
            "requester_code": int(settings.consignor_code),
            "requester_name": settings.consignor_name,
            "transfer_mmdd": transfer_date.month * 100 + transfer_date.day,
            "bank_code": int(settings.bank_code),
            "bank_name": settings.bank_name,
            "branch_code": int(settings.branch_code),
            "branch_name": settings.branch_name,
            "deposit_type": settings.deposit_type,
            "account_number": int(settings.account_number),
        },
    )
    records = [header]
    for ln in lines:
        records.append(
            dump_record(
                DATA_RECORD,
                {
                    "bank_code": int(ln.bank_code),
                    "bank_name": ln.bank_name,
                    "branch_code": int(ln.branch_code),
                    "branch_name": ln.branch_name,
                    "clearing_house": 0,
                    "deposit_type": ln.deposit_type,
                    "account_number": int(ln.account_number),
                    "payee": ln.payee,
                    "amount": ln.amount,
                    "new_code": 0,
                    "customer_code1": ln.customer_code1,
                    "customer_code2": ln.customer_code2,
                    "transfer_kind": TELEGRAPHIC,
                },
            )
        )
    records.append(
        dump_record(
            TRAILER_RECORD, {"total_count": len(lines), "total_amount": sum(ln.amount for ln in lines)}
        )
    )
    records.append(dump_record(END_RECORD, {}))
    return dump_file(records, line_end=settings.line_end)


def parse_transfer_file(data: bytes, file_name: str) -> tuple[list[TransferLine], list[LineError]]:
    """Read a transfer file back (tests, and the bank simulator); trailer totals checked."""
    parsed = parse_file(RECORDS, data, file_name)
    lines = [
        TransferLine(
            f"{v['bank_code']:04d}",
            v["bank_name"],
            f"{v['branch_code']:03d}",
            v["branch_name"],
            v["deposit_type"],
            f"{v['account_number']:07d}",
            v["payee"],
            v["amount"],
            v["customer_code1"],
            v["customer_code2"],
        )
        for v in (p.values for p in parsed.of_type(DATA))
    ]
    errors = parsed.errors
    for p in parsed.of_type(HEADER):
        if p.values["kind_code"] != KIND_CODE:
            errors.append(
                LineError(file_name, p.line, "kind_code", "種別コードが総合振込（21）ではありません")
            )
    for p in parsed.of_type(TRAILER):
        if p.values["total_count"] != len(lines):
            errors.append(
                LineError(file_name, p.line, "total_count", "合計件数がデータレコード数と一致しません")
            )
        if p.values["total_amount"] != sum(ln.amount for ln in lines):
            errors.append(
                LineError(file_name, p.line, "total_amount", "合計金額がデータレコードの合計と一致しません")
            )
    return lines, errors
