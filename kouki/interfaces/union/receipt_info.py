"""収納情報 (city → union, daily): receipts, refunds (還付), set-offs (充当) and write-offs (不納欠損).

One record per receipt / refund / set-off touched on the day, as a snapshot keyed on (record kind,
city reference number): the union replaces what it holds for the key, so a receipt confirmed or
cancelled later is simply sent again with its new status. CP932 fixed width, 128 bytes; layout in
docs/interfaces/union-receipt-info.md. Transfer #1 of the assessment (収納: receipts, refunds and 充当,
daily; requirements.md §5) and collection function (3)⑦.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import ADDRESSEE, INSURED_NO, MUNICIPALITY


class ReceiptRecordKind(StrEnum):
    RECEIPT = "1"  # 収納
    REFUND = "2"  # 還付
    SET_OFF = "3"  # 充当
    WRITE_OFF = "4"  # 不納欠損


class ReceiptChannel(StrEnum):
    NONE = "0"  # 還付
    COUNTER = "1"  # 窓口納付
    STORE = "2"  # コンビニ納付
    BANK = "3"  # 金融機関納付
    DEBIT = "4"  # 口座振替
    PENSION = "5"  # 特別徴収
    SET_OFF = "6"  # 充当
    WRITE_OFF = "7"  # 不納欠損


class ReceiptState(StrEnum):
    CONFIRMED = "1"  # 確定 (収納・充当・不納欠損) / 還付決定
    PROVISIONAL = "2"  # 速報 (コンビニ速報、未確定)
    CANCELLED = "3"  # 取消
    PAID = "4"  # 還付済


@dataclass(frozen=True)
class ReceiptInfoRecord:
    municipality_code: str
    addressee_no: str
    insured_no: str
    kind: ReceiptRecordKind
    reference_no: int  # the city's id of the receipt / refund / set-off (never a personal number)
    fiscal_year: int  # the fiscal year credited (充当: the year it went to)
    from_fiscal_year: int  # 充当: the year the overpayment came from; else = fiscal_year
    channel: ReceiptChannel
    period: int  # 期別 named by the payment (0: none)
    amount: int  # yen, positive
    event_date: date  # 納付日 / 還付決定日 / 充当決定日
    state: ReceiptState


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if v["amount"] <= 0:
        problems.append(("amount", "金額は1円以上です"))
    refund = v["kind"] == ReceiptRecordKind.REFUND
    if refund != (v["channel"] == ReceiptChannel.NONE):
        problems.append(("channel", "還付は収納区分 0、それ以外は 1–7 です"))
    if not refund and v["state"] == ReceiptState.PAID:
        problems.append(("state", "還付済 (4) は還付にだけ使います"))
    if v["kind"] != ReceiptRecordKind.SET_OFF and v["from_fiscal_year"] != v["fiscal_year"]:
        problems.append(("from_fiscal_year", "充当以外では賦課年度と同じ年度です"))
    return problems


RECEIPT_INFO: Layout[ReceiptInfoRecord] = Layout(
    file_code="15",
    title="収納情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("kind", "収納情報区分", "record kind", 1, "enum", True, enum_codes(ReceiptRecordKind),
              ReceiptRecordKind),
        Field("reference_no", "収納番号", "city reference number", 10, "int", True,
              "the city's receipt / refund / set-off id, unique per kind"),
        Field("fiscal_year", "賦課年度", "fiscal year", 4, "int", True, "fiscal year credited"),
        Field("from_fiscal_year", "充当元年度", "from fiscal year", 4, "int", True,
              "充当: the year of the overpayment; else = 賦課年度"),
        Field("channel", "収納区分", "channel", 1, "enum", True, enum_codes(ReceiptChannel), ReceiptChannel),
        Field("period", "期別", "instalment period", 2, "int", True, "00 when the payment named none"),
        Field("amount", "金額", "amount", 9, "int", True, "yen, 9 digits, > 0"),
        Field("event_date", "納付日・決定日", "paid / decided on", 8, "date", True, "YYYYMMDD"),
        Field("state", "状態", "state", 1, "enum", True, enum_codes(ReceiptState), ReceiptState),
    ),
    factory=ReceiptInfoRecord,
    key_fields=("kind", "reference_no"),
    cross_check=_check,
)
LAYOUT = RECEIPT_INFO


def dump_receipt_info(
    records: Sequence[ReceiptInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_receipt_info(data: bytes, file_name: str) -> ParseResult[ReceiptInfoRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
