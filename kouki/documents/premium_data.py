"""What the premium notices print, as plain values: 保険料額決定通知書 and its 変更通知 (after a 更正).

No Django and no personal number field: the documents identify a person by 被保険者番号 and 宛名番号.
Built from the premium engine's result (`breakdown_from_engine`) and an instalment plan
(`instalment_lines`, duck-typed on kouki.rules.instalments.Instalment so this module does not need it).
Each notice checks on construction that its instalment table adds up to the amount due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from kouki.rules.formatting import yen
from kouki.rules.premium import HouseholdMember, MemberPremium, PremiumParameters, person_income
from kouki.rules.premium.engine import income_base, income_levy
from kouki.rules.premium.income import resident_tax_basic_deduction

DIRECT = "direct"  # 普通徴収
PENSION = "pension"  # 特別徴収
METHOD_LABELS = {DIRECT: "普通徴収", PENSION: "特別徴収"}
STAGE_LABELS = {"provisional": "仮徴収", "final": "本徴収"}
REDUCTION_LABELS = {
    "70%": "7割軽減",
    "50%": "5割軽減",
    "20%": "2割軽減",
    "former_dependant": "被扶養者軽減(5割)",
    "none": "軽減なし",
}


class InvalidNoticeData(ValueError):
    """The notice's figures do not add up (the message says which)."""


@dataclass(frozen=True)
class Addressee:
    """The window-envelope block: where the notice goes and to whom."""

    addressee_no: str  # 宛名番号 (the city's own number; not a personal number)
    family_name: str
    given_name: str
    postal_code: str  # 7 digits
    address: str

    @property
    def name(self) -> str:
        return f"{self.family_name}\u3000{self.given_name}"


@dataclass(frozen=True)
class PremiumBreakdown:
    """How the annual premium was reached (full-year amounts unless stated)."""

    per_capita_levy_full: int  # 均等割額 before reduction
    reduction: str  # key of REDUCTION_LABELS
    per_capita_levy: int  # 均等割額 after reduction (full year)
    total_income: int  # 総所得金額等
    basic_deduction: int  # 基礎控除
    income_base: int  # 賦課のもととなる所得金額
    income_levy_rate: Decimal | None  # None: no income levy (被扶養者軽減)
    income_levy: int  # 所得割額 (full year)
    annual_cap: int  # 賦課限度額
    months: int  # 賦課月数
    annual_premium: int  # 年間保険料額 (医療分)
    child_support_levy: int | None = None  # 子ども・子育て支援金 (FY2026 on); None before
    per_capita_note: str = ""  # e.g. 「令和7年10月から 45,930円」 when the reduction changes in the year

    @property
    def reduction_label(self) -> str:
        return REDUCTION_LABELS.get(self.reduction, self.reduction)

    @property
    def amount_due(self) -> int:
        """What is collected in the year: the premium plus, from FY2026, the child-support levy."""
        return self.annual_premium + (self.child_support_levy or 0)


@dataclass(frozen=True)
class InstalmentLine:
    method: str  # DIRECT / PENSION
    period: str  # 期別: 第1期 … (普通徴収) or 仮徴収 / 本徴収 (特別徴収)
    year: int
    month: int
    due_date: date  # 納期限 (普通徴収) or 年金支払日 (特別徴収)
    amount: int
    settled: bool = False  # 変更通知: due on or before the reassessment (納期到来分), unchanged

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]


@dataclass(frozen=True)
class PremiumNoticeData:
    """保険料額決定通知書 of one insured person for one fiscal year."""

    addressee: Addressee
    insured_no: str  # 被保険者番号 (8 digits)
    fiscal_year: int
    issued_on: date
    issuer: str  # e.g. さいたま市長
    insurer_name: str  # 広域連合 (who assessed)
    breakdown: PremiumBreakdown
    instalments: tuple[InstalmentLine, ...]
    overpayment: int = 0  # 仮徴収 above the annual amount (refunded); the table then exceeds it by this
    office: str = ""  # お問い合わせ先
    phone: str = ""

    def __post_init__(self) -> None:
        total = sum(i.amount for i in self.instalments)
        if self.overpayment < 0:
            raise InvalidNoticeData("overpayment: must not be negative")
        if total - self.overpayment != self.breakdown.amount_due:
            raise InvalidNoticeData(
                f"instalments: total {total} − overpayment {self.overpayment} is not the amount due "
                f"{self.breakdown.amount_due}"
            )


@dataclass(frozen=True)
class PremiumChangeNoticeData:
    """変更通知 after a reassessment: old and new amounts, reason, the re-planned instalments.

    `instalments` is the whole year after the change: settled ones (settled=True, unchanged) and the
    re-planned remaining ones. settled + remaining = the new amount due + overpayment.
    """

    addressee: Addressee
    insured_no: str
    fiscal_year: int
    issued_on: date
    issuer: str
    insurer_name: str
    reason: str  # 変更の理由, e.g. 所得の更正(税情報の変更)
    changed_on: date  # 更正日 (as_of of the re-plan)
    old: PremiumBreakdown
    new: PremiumBreakdown
    instalments: tuple[InstalmentLine, ...]
    overpayment: int = 0  # 過誤納金 (settled above the new amount), refunded or set off
    pension_stopped: bool = False  # remaining pension deductions were cancelled
    office: str = ""
    phone: str = ""

    @property
    def settled(self) -> int:
        return sum(i.amount for i in self.instalments if i.settled)

    @property
    def remaining(self) -> int:
        return sum(i.amount for i in self.instalments if not i.settled)

    def __post_init__(self) -> None:
        if self.overpayment < 0:
            raise InvalidNoticeData("overpayment: must not be negative")
        total = self.settled + self.remaining
        if total - self.overpayment != self.new.amount_due:
            raise InvalidNoticeData(
                f"instalments: settled {self.settled} + remaining {self.remaining} − overpayment "
                f"{self.overpayment} is not the new amount due {self.new.amount_due}"
            )


def breakdown_from_engine(
    member: HouseholdMember, result: MemberPremium, params: PremiumParameters
) -> PremiumBreakdown:
    """The printed breakdown of one engine result (income base and rate recomputed the engine's way)."""
    inc = person_income(
        birth_date=member.birth_date,
        income_year=params.fiscal_year - 1,
        public_pension_revenue=member.public_pension_revenue,
        salary_revenue=member.salary_revenue,
        other_income=member.other_income,
    )
    base = income_base(inc)
    rate: Decimal | None = None
    if not member.former_dependant:
        rate = income_levy(base, params.medical, params, medical=True)[1]
    note = ""
    if len(result.regimes) > 1:
        note = "、".join(
            f"{r.from_month}から {yen(r.per_capita_levy)}({REDUCTION_LABELS.get(r.reduction, r.reduction)})"
            for r in result.regimes[1:]
        )
    return PremiumBreakdown(
        per_capita_levy_full=params.medical.per_capita_levy,
        reduction=result.reduction,
        per_capita_levy=result.per_capita_levy,
        total_income=inc.total,
        basic_deduction=resident_tax_basic_deduction(inc.total),
        income_base=base,
        income_levy_rate=rate,
        income_levy=result.income_levy,
        annual_cap=result.cap,
        months=result.months,
        annual_premium=result.annual_premium,
        child_support_levy=result.child_support_levy if params.child_support is not None else None,
        per_capita_note=note,
    )


class _MonthLike(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...


class _InstalmentLike(Protocol):
    """kouki.rules.instalments.Instalment, or anything with these attributes."""

    @property
    def method(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def month(self) -> _MonthLike: ...
    @property
    def due_date(self) -> date: ...
    @property
    def amount(self) -> int: ...


def instalment_lines(
    items: Iterable[_InstalmentLike], *, settled_on_or_before: date | None = None
) -> tuple[InstalmentLine, ...]:
    """Table rows in due-date order: 普通徴収 numbered 第1期, 第2期 …; 特別徴収 labelled 仮徴収 / 本徴収.

    With settled_on_or_before, instalments due on or before that day are marked settled.
    """
    rows = sorted(items, key=lambda i: (i.due_date, str(i.method)))
    lines: list[InstalmentLine] = []
    direct_no = 0
    for item in rows:
        method = str(item.method)
        if method not in METHOD_LABELS:
            raise InvalidNoticeData(f"instalment method {method!r}: must be direct or pension")
        if method == DIRECT:
            direct_no += 1
            period = f"第{direct_no}期"
        else:
            period = STAGE_LABELS.get(str(item.stage), "")
        settled = settled_on_or_before is not None and item.due_date <= settled_on_or_before
        lines.append(
            InstalmentLine(
                method, period, item.month.year, item.month.month, item.due_date, item.amount, settled
            )
        )
    return tuple(lines)

