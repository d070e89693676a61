"""The records of a convenience-store payment report (速報 / 確報), as read from or written to a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum


class ReportKind(StrEnum):
    """データ種別: the header's and every data record's."""

    PRELIMINARY = "1"  # 速報: sent when the store took the money
    FINAL = "2"  # 確報: sent once the agent has matched data and money; names the transfer

    @property
    def label(self) -> str:
        return "速報" if self is ReportKind.PRELIMINARY else "確報"


@dataclass(frozen=True)
class ReportHeader:
    kind: ReportKind
    created_on: date  # 作成日
    agent_code: str  # 収納代行会社コード, 5 digits
    biller_code: str  # 委託者（収納企業）コード = the GS1 code's 企業コード, 6 digits


@dataclass(frozen=True)
class StorePaymentRecord:
    """One payment (or its cancellation) at a store's register."""

    kind: ReportKind
    paid_on: date  # 収納日
    paid_at: time  # 収納時刻 (HHMM)
    chain_code: str  # コンビニ本部コード, 4 digits
    store_code: str  # 店舗コード, up to 8 letters/digits
    barcode: str  # バーコード情報 (GS1-128, 44 digits)
    amount: int  # 金額 (yen)
    cancelled: bool = False  # 取消区分: True = the store cancelled this payment
    processed_on: date | None = None  # 経理処理日 (確報 only)
    transfer_on: date | None = None  # 振込予定日 (確報 only)

    @property
    def key(self) -> tuple[date, time, str, str, str]:
        """What identifies one payment across the 速報 and the 確報 (and its cancellation)."""
        return (self.paid_on, self.paid_at, self.chain_code, self.store_code, self.barcode)


@dataclass(frozen=True)
class ReportTrailer:
    record_count: int  # 件数 of payments (取消区分 0)
    total_amount: int  # 合計金額 of payments
    cancel_count: int  # 取消件数
    cancel_amount: int  # 取消金額
