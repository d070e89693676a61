"""全銀協 預金口座振替 (種別コード 91): the request file the city sends and the result file (振替結果) the
bank returns, same layout. Field by field in docs/interfaces/zengin-debit.md (domain-facts §8).

Per-bank differences are `BankSettings`: whether the header carries the city's 預金種目/口座番号 (else
blank, the "last 25 bytes"), whether a request's 振替結果コード is "0" or a space, and CR LF after records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kouki.interfaces.importing import LineError
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

KIND_CODE = 91
DEPOSIT_TYPES = {1: "普通", 2: "当座", 4: "貯蓄", 9: "その他"}
NEW_CODES = {0: "その他", 1: "初回", 2: "変更"}
RESULT_REASONS = {
    0: "振替済",
    1: "資金不足",
    2: "取引なし",
    3: "預金者の都合による振替停止",
    4: "振替依頼書なし",
    8: "委託者の都合による振替停止",
    9: "その他",
}


def result_reason(code: int) -> str:
    return RESULT_REASONS.get(code, f"その他（コード {code}）")


HEADER_RECORD = record(
    HEADER,
    "ヘッダレコード",
    (
        data_kind("1"),
        zfield("kind_code", "種別コード", 2, "N", note="91 (口座振替)"),
        zfield("code_kind", "コード区分", 1, "N", note="0 (JIS)"),
        zfield("consignor_code", "委託者コード", 10, "N", note="assigned by the bank"),
        zfield("consignor_name", "委託者名", 40, "C", note="the city, half-width kana"),
        zfield("debit_mmdd", "引落日", 4, "N", note="MMDD"),
        zfield("bank_code", "取引銀行番号", 4, "N", note="the city's bank"),
        zfield("bank_name", "取引銀行名", 15, "C"),
        zfield("branch_code", "取引支店番号", 3, "N"),
        zfield("branch_name", "取引支店名", 15, "C"),
        zfield("deposit_type", "預金種目(委託者)", 1, "N", blank_ok=True, note="1/2/9, or blank (per bank)"),
        zfield("account_number", "口座番号(委託者)", 7, "N", blank_ok=True, note="or blank (per bank)"),
        zfield("dummy", "ダミー", 17, "B", note="spaces"),
    ),
)
DATA_RECORD = record(
    DATA,
    "データレコード",
    (
        data_kind("2"),
        zfield("bank_code", "引落銀行番号", 4, "N"),
        zfield("bank_name", "引落銀行名", 15, "C"),
        zfield("branch_code", "引落支店番号", 3, "N"),
        zfield("branch_name", "引落支店名", 15, "C"),
        zfield("dummy1", "ダミー", 4, "B", note="spaces"),
        zfield("deposit_type", "預金種目", 1, "N", note="1 普通, 2 当座, 4 貯蓄, 9 その他"),
        zfield("account_number", "口座番号", 7, "N"),
        zfield("holder", "預金者名", 30, "C", note="half-width kana"),
        zfield("amount", "引落金額", 10, "N", note="yen"),
        zfield("new_code", "新規コード", 1, "N", note="1 first debit, 2 changed account, 0 other"),
        zfield("customer_no", "顧客番号", 20, "N", note="debit reference (ADR 0009)"),
        zfield(
            "result_code",
            "振替結果コード",
            1,
            "N",
            blank_ok=True,
            note="request: 0 or blank (per bank); result: 0 debited, 1–9 not",
        ),
        zfield("dummy2", "ダミー", 8, "B", note="spaces"),
    ),
)
TRAILER_RECORD = record(
    TRAILER,
    "トレーラレコード",
    (
        data_kind("8"),
        zfield("total_count", "合計件数", 6, "N"),
        zfield("total_amount", "合計金額", 12, "N"),
        zfield("done_count", "振替済件数", 6, "N", note="request: 0"),
        zfield("done_amount", "振替済金額", 12, "N", note="request: 0"),
        zfield("failed_count", "振替不能件数", 6, "N", note="request: 0"),
        zfield("failed_amount", "振替不能金額", 12, "N", note="request: 0"),
        zfield("dummy", "ダミー", 65, "B", note="spaces"),
    ),
)
RECORDS = {r.code: r for r in (HEADER_RECORD, DATA_RECORD, TRAILER_RECORD, END_RECORD)}


@dataclass(frozen=True)
class BankSettings:
    """The city's contract with one collecting bank (委託者) and that bank's small format differences."""

    key: str
    consignor_code: str  # 委託者コード, 10 digits
    consignor_name: str  # Zengin characters
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    deposit_type: int
    account_number: str
    header_account: bool = True  # False: the header's 預金種目/口座番号 are blank
    request_result_code: Literal["0", " "] = "0"
    crlf: bool = False

    @property
    def line_end(self) -> bytes:
        return b"\r\n" if self.crlf else b""


@dataclass(frozen=True)
class DebitLine:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    deposit_type: int
    account_number: str
    holder: str
    amount: int
    new_code: int
    customer_no: str  # 20 digits
    result_code: int | None = None  # None in a request


def dump_debit_file(settings: BankSettings, debit_date: date, lines: Sequence[DebitLine]) -> bytes:
    """Header, one data record per line, trailer (totals; done/failed from result codes), end."""
    header = dump_record(
        HEADER_RECORD,
        {
            "kind_code": KIND_CODE,
            "code_kind": 0,
            "consignor_code": int(settings.consignor_code),
            "consignor_name": settings.consignor_name,
            "debit_mmdd": debit_date.month * 100 + debit_date.day,
            "bank_code": int(settings.bank_code),
            "bank_name": settings.bank_name,
            "branch_code": int(settings.branch_code),
            "branch_name": settings.branch_name,
            "deposit_type": settings.deposit_type if settings.header_account else None,
            "account_number": int(settings.account_number) if settings.header_account else None,
        },
    )
    records = [header]
    done = [ln for ln in lines if ln.result_code == 0]
    failed = [ln for ln in lines if ln.result_code not in (None, 0)]
    for ln in lines:
        if ln.result_code is None:
            code = 0 if settings.request_result_code == "0" else None
        else:
            code = ln.result_code
        records.append(
            dump_record(
                DATA_RECORD,
                {
                    "bank_code": int(ln.bank_code),
                    "bank_name": ln.bank_name,
                    "branch_code": int(ln.branch_code),
                    "branch_name": ln.branch_name,
                    "deposit_type": ln.deposit_type,
                    "account_number": int(ln.account_number),
                    "holder": ln.holder,
                    "amount": ln.amount,
                    "new_code": ln.new_code,
                    "customer_no": int(ln.customer_no),
                    "result_code": code,
                },
            )
        )
    records.append(
        dump_record(
            TRAILER_RECORD,
            {
                "total_count": len(lines),
                "total_amount": sum(ln.amount for ln in lines),
                "done_count": len(done),
                "done_amount": sum(ln.amount for ln in done),
                "failed_count": len(failed),
                "failed_amount": sum(ln.amount for ln in failed),
            },
        )
    )
    records.append(dump_record(END_RECORD, {}))
    return dump_file(records, line_end=settings.line_end)


@dataclass(frozen=True)
class DebitHeader:
    consignor_code: str
    consignor_name: str
    debit_mmdd: str  # MMDD
    bank_code: str
    branch_code: str


@dataclass(frozen=True)
class DebitRecord(DebitLine):
    line: int = 0


@dataclass
class DebitFile:
    file_name: str
    header: DebitHeader | None
    records: list[DebitRecord]
    errors: list[LineError]
    line_count: int


def parse_debit_file(data: bytes, file_name: str, *, results: bool) -> DebitFile:
    """Every record checked; `results`: a 振替結果 file (every data record carries a code 0–9 and the
    trailer's done/failed totals must match them), else a request (code 0 or blank, totals 0)."""
    parsed = parse_file(RECORDS, data, file_name)
    errors = parsed.errors
    header: DebitHeader | None = None
    for p in parsed.of_type(HEADER):
        v = p.values
        if v["kind_code"] != KIND_CODE:
            errors.append(
                LineError(
                    file_name,
                    p.line,
                    "kind_code",
                    f"種別コード {v['kind_code']:02d} は口座振替（91）ではありません",
                )
            )
        if v["code_kind"] != 0:
            errors.append(LineError(file_name, p.line, "code_kind", "コード区分は 0（JIS）のみ扱います"))
        mmdd = f"{v['debit_mmdd']:04d}"
        try:
            date(2000, int(mmdd[:2]), int(mmdd[2:]))  # a leap year: 0229 is a valid MMDD
        except ValueError:
            errors.append(
                LineError(file_name, p.line, "debit_mmdd", f"引落日 {mmdd} が月日（MMDD）ではありません")
            )
        header = DebitHeader(
            f"{v['consignor_code']:010d}",
            v["consignor_name"],
            mmdd,
            f"{v['bank_code']:04d}",
            f"{v['branch_code']:03d}",
        )
    records: list[DebitRecord] = []
    seen: dict[str, int] = {}
    for p in parsed.of_type(DATA):
        v = p.values
        bad = _check_data(v, results)
        customer = f"{v['customer_no']:020d}"
        if customer in seen:
            bad.append(("customer_no", f"顧客番号が {seen[customer]} 行目と重複しています"))
        seen.setdefault(customer, p.line)
        errors.extend(LineError(file_name, p.line, name, reason) for name, reason in bad)
        records.append(
            DebitRecord(
                f"{v['bank_code']:04d}",
                v["bank_name"],
                f"{v['branch_code']:03d}",
                v["branch_name"],
                v["deposit_type"],
                f"{v['account_number']:07d}",
                v["holder"],
                v["amount"],
                v["new_code"],
                customer,
                v["result_code"] if results else None,
                line=p.line,
            )
        )
    for p in parsed.of_type(TRAILER):
        if not any(1 < e.line < p.line for e in errors):  # totals of a file whose data lines all read
            errors.extend(_check_trailer(file_name, p.line, p.values, records, results))
    errors.sort(key=lambda e: e.line)
    return DebitFile(file_name, header, records, errors, parsed.line_count)


def _check_data(v: dict[str, object], results: bool) -> list[tuple[str, str]]:
    bad = []
    if v["deposit_type"] not in DEPOSIT_TYPES:
        bad.append(("deposit_type", f"預金種目 {v['deposit_type']} は 1/2/4/9 のいずれでもありません"))
    if v["new_code"] not in NEW_CODES:
        bad.append(("new_code", f"新規コード {v['new_code']} は 0/1/2 のいずれでもありません"))
    code = v["result_code"]
    if results and code is None:
        bad.append(("result_code", "振替結果コードが空欄です"))
    if not results and code not in (None, 0):
        bad.append(("result_code", "依頼ファイルの振替結果コードは 0 または空欄です"))
    if not v["holder"]:
        bad.append(("holder", "預金者名が空欄です"))
    return bad


def _check_trailer(
    file_name: str, line: int, t: dict[str, int], records: Sequence[DebitRecord], results: bool
) -> list[LineError]:
    done = [r for r in records if results and r.result_code == 0]
    failed = [r for r in records if results and r.result_code not in (None, 0)]
    expected = {
        "total_count": len(records),
        "total_amount": sum(r.amount for r in records),
        "done_count": len(done),
        "done_amount": sum(r.amount for r in done),
        "failed_count": len(failed),
        "failed_amount": sum(r.amount for r in failed),
    }
    labels = {f.name: f.label for f in TRAILER_RECORD.fields}
    return [
        LineError(
            file_name, line, name, f"{labels[name]} {t[name]} がデータレコードからの値 {want} と一致しません"
        )
        for name, want in expected.items()
        if name in t and t[name] != want
    ]
