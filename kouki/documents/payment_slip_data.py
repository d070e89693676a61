"""What a 納付書 (payment slip) prints, as plain values: no Django and no personal-number field.

One `PaymentSlipData` is one mailing to one person: a single slip, or a booklet (several instalments of the
person, one page each). Each `SlipLine` checks on construction that its printed amount and due date are the
ones in its convenience-store code, and that the code is left off exactly when the amount is above
300,000円 (domain-facts §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.documents.premium_data import Addressee
from kouki.rules.gs1 import barcode_allowed, parse


@dataclass(frozen=True)
class SlipLine:
    slip_no: int  # 納付書番号 (the serial in the code's free field)
    reissue: int  # 再発行区分 0–9
    period: int  # 期別
    due_date: date  # 納期限
    amount: int  # yen
    barcode: str  # the 44-digit GS1-128 code, "" above 300,000円

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"slip {self.slip_no}: amount must be positive")
        if not barcode_allowed(self.amount):
            if self.barcode:
                raise ValueError(f"slip {self.slip_no}: no barcode above 300,000円")
            return
        if not self.barcode:
            raise ValueError(f"slip {self.slip_no}: the code is missing")
        code = parse(self.barcode)
        if (code.amount, code.due_date, code.reissue) != (self.amount, self.due_date, self.reissue):
            raise ValueError(
                f"slip {self.slip_no}: the code's amount, due date or re-issue differs from the slip"
            )

    @property
    def number(self) -> str:
        """納付書番号-再発行区分, printed in groups of three digits: neither a bare run of 12 digits nor the
        card's 4-4-4 grouping, either of which a reader (or a privacy scanner) could take for a personal
        number."""
        return f"{slip_number_text(self.slip_no)}-{self.reissue}"


def slip_number_text(slip_no: int) -> str:
    digits = f"{slip_no:012d}"
    return " ".join(digits[i : i + 3] for i in range(0, 12, 3))


@dataclass(frozen=True)
class PaymentSlipData:
    addressee: Addressee
    insured_no: str  # 被保険者番号 (8 digits)
    fiscal_year: int  # 年度 of the premium
    issued_on: date  # 発行日
    issuer: str  # the collecting city, e.g. さいたま市長
    insurer_name: str  # the union that assessed
    slips: tuple[SlipLine, ...]
    office: str = ""  # お問い合わせ先 (ward office from the address when "")
    phone: str = ""

    def __post_init__(self) -> None:
        if not self.slips:
            raise ValueError("a payment-slip mailing needs at least one slip")

    @property
    def pages(self) -> int:
        return len(self.slips)
