"""全銀協 総合振込 (種別コード 21): the refund (還付) transfer file the city sends to its bank, and the bank's
振込結果 (the same layout with a result code per record: 0 振込済, 1–9 振込不能), by which a returned
transfer comes back (issue 11 §3). Field by field in docs/interfaces/zengin-transfer.md (sources cited
there; the result's positions are kouki's own, ADR 0006)."""

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
    account_read,
    account_values,
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
        zfield("result_code", "振込結果コード", 1, "N", blank_ok=True,
               note="request: blank; 振込結果: 0 振込済, 1–9 振込不能 (kouki's position, ADR 0006)"),
        zfield("dummy", "ダミー", 6, "B", note="spaces"),
    ),
)
TRAILER_RECORD = record(
    TRAILER,
    "トレーラレコード",
    (
        data_kind("8"),
        zfield("total_count", "合計件数", 6, "N"),
        zfield("total_amount", "合計金額", 12, "N"),
        zfield("done_count", "振込済件数", 6, "N", blank_ok=True, note="request: blank"),
        zfield("done_amount", "振込済金額", 12, "N", blank_ok=True, note="request: blank"),
        zfield("failed_count", "振込不能件数", 6, "N", blank_ok=True, note="request: blank"),
        zfield("failed_amount", "振込不能金額", 12, "N", blank_ok=True, note="request: blank"),
        zfield("dummy", "ダミー", 65, "B", note="spaces"),
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
    result_code: int | None = None  # None in a request; 0 振込済, 1–9 振込不能 in a 振込結果
    line: int = 0  # where it was read (0 when written)


def dump_transfer_file(settings: BankSettings, transfer_date: date, lines: Sequence[TransferLine]) -> bytes:
    header = dump_record(
        HEADER_RECORD,
        {
            "kind_code": KIND_CODE,
            "code_kind": 0,
            "requester_code": int(settings.consignor_code),
            "requester_name": settings.consignor_name,
            "transfer_mmdd": transfer_date.month * 100 + transfer_date.day,
            **account_values(settings),
        },
    )
    records = [header]
    for ln in lines:
        records.append(
            dump_record(
                DATA_RECORD,
                {
                    **account_values(ln),
                    "clearing_house": 0,
                    "payee": ln.payee,
                    "amount": ln.amount,
                    "new_code": 0,
                    "customer_code1": ln.customer_code1,
                    "customer_code2": ln.customer_code2,
                    "transfer_kind": TELEGRAPHIC,
                    "result_code": ln.result_code,
                },
            )
        )
    totals: dict[str, int | None] = {
        "total_count": len(lines), "total_amount": sum(ln.amount for ln in lines),
    }  # fmt: skip
    if any(ln.result_code is not None for ln in lines):  # a 振込結果 (the simulated bank writes it)
        done = [ln for ln in lines if ln.result_code == 0]
        failed = [ln for ln in lines if ln.result_code not in (None, 0)]
        totals.update(done_count=len(done), done_amount=sum(ln.amount for ln in done),
                      failed_count=len(failed), failed_amount=sum(ln.amount for ln in failed))  # fmt: skip
    records.append(dump_record(TRAILER_RECORD, totals))
    records.append(dump_record(END_RECORD, {}))
    return dump_file(records, line_end=settings.line_end)


@dataclass(frozen=True)
class TransferFile:
    transfer_mmdd: str | None  # the header's 振込指定日 (MMDD)
    requester_code: str | None
    lines: list[TransferLine]
    errors: list[LineError]
    line_count: int


def read_transfer_file(data: bytes, file_name: str, *, results: bool) -> TransferFile:
    """Read a transfer file (`results=False`: the request, result codes blank) or the bank's 振込結果
    (`results=True`: every data record carries a code 0–9 and the trailer's 振込済/振込不能 totals match).
    Trailer totals checked either way; every problem is collected."""
    parsed = parse_file(RECORDS, data, file_name)
    errors = parsed.errors
    lines = [
        TransferLine(
            *account_read(v), v["payee"], v["amount"], v["customer_code1"], v["customer_code2"],
            v["result_code"], line=p.line,
        )
        for p in parsed.of_type(DATA)
        for v in (p.values,)
    ]  # fmt: skip
    mmdd = requester = None
    for p in parsed.of_type(HEADER):
        mmdd, requester = f"{p.values['transfer_mmdd']:04d}", f"{p.values['requester_code']:010d}"
        if p.values["kind_code"] != KIND_CODE:
            errors.append(
                LineError(file_name, p.line, "kind_code", "種別コードが総合振込（21）ではありません")
            )
    for ln in lines:
        if results and ln.result_code is None:
            errors.append(LineError(file_name, ln.line, "result_code", "振込結果コードが空欄です"))
        if not results and ln.result_code is not None:
            errors.append(
                LineError(file_name, ln.line, "result_code", "依頼ファイルの振込結果コードは空欄です")
            )
    for p in parsed.of_type(TRAILER):
        errors.extend(_check_trailer(file_name, p.line, p.values, lines, results))
    errors.sort(key=lambda e: e.line)
    return TransferFile(mmdd, requester, lines, errors, parsed.line_count)


def _check_trailer(
    file_name: str, line: int, t: dict[str, int | None], lines: Sequence[TransferLine], results: bool
) -> list[LineError]:
    expected: dict[str, int | None] = {
        "total_count": len(lines), "total_amount": sum(ln.amount for ln in lines),
    }  # fmt: skip
    if results:
        done = [ln for ln in lines if ln.result_code == 0]
        failed = [ln for ln in lines if ln.result_code not in (None, 0)]
        expected.update(done_count=len(done), done_amount=sum(ln.amount for ln in done),
                        failed_count=len(failed), failed_amount=sum(ln.amount for ln in failed))  # fmt: skip
    labels = {f.name: f.label for f in TRAILER_RECORD.fields}
    return [
        LineError(file_name, line, name, f"{labels[name]} {t.get(name)} がデータの値 {want} と異なります")
        for name, want in expected.items()
        if t.get(name) != want
    ]


def parse_transfer_file(data: bytes, file_name: str) -> tuple[list[TransferLine], list[LineError]]:
    """Read a transfer request back (tests, and the bank simulator); trailer totals checked."""
    f = read_transfer_file(data, file_name, results=False)
    return f.lines, f.errors
