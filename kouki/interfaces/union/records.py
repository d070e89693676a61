"""One record of each file exchanged with the union, as plain values.

City → union (daily): 住民基本台帳情報 (ResidentInfoRecord, per household: one record per member),
住登外登録情報 (NonResidentInfoRecord), 届出情報 (NotificationInfoRecord), and (yearly, corrections
monthly) 所得・課税情報 (IncomeInfoRecord).
Union → city (daily): 被保険者情報 (InsuredInfoRecord), 資格確認書発行用情報 (CertificateIssueRecord),
住所地特例者情報 (AddressExceptionRecord).

Every record is keyed on 宛名番号 (addressee_no) with the municipality code (IN-10: deliveries are keyed
on 宛名番号). Records are full snapshots: the receiver replaces what it holds for the key.
Personal numbers travel only in the two city→union registry files (the union links them to 宛名番号,
assessment flow 1-⑤), read through kouki.privacy for a registered transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.rules.union_codes import (
    AcquisitionReason,
    AssessmentKind,
    CertificateKind,
    CertificateReason,
    LossReason,
    NotificationKind,
    PremiumReduction,
    ReassessmentReason,
    ResidentStatus,
)

# The codes are re-exported: the files carry them, and callers read them with the records.
__all__ = [
    "AcquisitionReason",
    "AddressExceptionRecord",
    "AssessmentKind",
    "CertificateIssueRecord",
    "CertificateKind",
    "CertificateReason",
    "IncomeInfoRecord",
    "InsuredInfoRecord",
    "LossReason",
    "NonResidentInfoRecord",
    "NotificationInfoRecord",
    "NotificationKind",
    "PremiumInfoRecord",
    "PremiumReduction",
    "ReassessmentReason",
    "ResidentInfoRecord",
    "ResidentStatus",
]


@dataclass(frozen=True)
class ResidentInfoRecord:
    """住民基本台帳情報: one member of a household that has (or had, or will soon have) an insured person."""

    municipality_code: str  # 5 digits, e.g. 11100 さいたま市
    addressee_no: str
    household_no: str
    is_householder: bool
    relationship: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str  # "1" / "2"
    birth_date: date
    postal_code: str
    address: str
    status: ResidentStatus
    status_date: date | None  # day of death or of moving out; None while resident
    resident_since: date  # day the person became a resident of the city (birth or move-in)
    changed_on: date  # effective date of the change that caused this record
    personal_number: str  # 12 digits or ""
    # 転出先都道府県コード (JIS X 0401, "01"–"47") of a move-out, "" when unknown, abroad or not moved out:
    # the union loses the status on the move-out day itself when it is another union's prefecture
    # (高確法 §53① proviso), the day after otherwise.
    moved_to_prefecture: str = ""


@dataclass(frozen=True)
class NonResidentInfoRecord:
    """住登外登録情報: an addressee not in the city's register (e.g. placed in a facility elsewhere)."""

    municipality_code: str
    addressee_no: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str
    birth_date: date
    postal_code: str
    address: str
    registered_on: date
    deleted_on: date | None
    personal_number: str


@dataclass(frozen=True)
class NotificationInfoRecord:
    municipality_code: str
    notification_no: str  # unique per notification
    kind: NotificationKind
    addressee_no: str
    effective_date: date
    received_on: date
    facility_name: str  # 住所地特例: facility; else ""
    facility_address: str
    note: str  # short free text, never a personal number


@dataclass(frozen=True)
class IncomeInfoRecord:
    """所得・課税情報 for one person and income year (for premiums and the co-payment rate)."""

    municipality_code: str
    addressee_no: str
    income_year: int
    public_pension_revenue: int  # yen
    salary_revenue: int
    other_income: int  # 所得 (after expenses) from other sources
    taxable_income: int  # 課税所得 (課税標準額) for the co-payment test
    declared: bool  # False: no tax return / declaration (未申告)


@dataclass(frozen=True)
class InsuredInfoRecord:
    """被保険者情報: one eligibility period of one person as the union decided it."""

    municipality_code: str
    addressee_no: str
    insured_no: str  # 8 digits with check digit
    insurer_no: str  # 8 digits, 39 + prefecture + serial + check digit
    acquired_on: date
    acquisition_reason: AcquisitionReason
    lost_on: date | None
    loss_reason: LossReason | None
    copay_rate: int  # 10, 20 or 30 (%)
    copay_from: date  # the rate applies from this date (yearly on August 1, or acquisition)
    address_exception: bool  # 住所地特例者
    decided_on: date


@dataclass(frozen=True)
class CertificateIssueRecord:
    """資格確認書発行用情報: what to print and hand over for one person."""

    municipality_code: str
    addressee_no: str
    kind: CertificateKind
    reason: CertificateReason
    insured_no: str
    insurer_no: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str
    birth_date: date
    postal_code: str
    address: str
    acquired_on: date
    copay_rate: int
    valid_from: date
    valid_until: date
    limit_category: str  # 適用区分 printed on request (任意記載事項), else ""
    issued_on: date


@dataclass(frozen=True)
class AddressExceptionRecord:
    """住所地特例者情報: an insured person of this union living in a facility outside it."""

    municipality_code: str
    addressee_no: str
    insured_no: str
    facility_name: str
    facility_address: str
    exception_from: date
    exception_until: date | None


@dataclass(frozen=True)
class PremiumInfoRecord:
    """保険料情報 (union → city, monthly): one insured person's premium for one fiscal year, as assessed.

    A full snapshot: the latest record for (addressee_no, fiscal_year) replaces the earlier ones.
    Amounts in yen; per_capita_levy and income_levy are full-year amounts (before 月割), annual_premium is
    the premium for `months` insured months (domain-facts §3).
    """

    municipality_code: str
    addressee_no: str
    insured_no: str
    fiscal_year: int
    kind: AssessmentKind
    assessed_on: date
    per_capita_levy: int  # 均等割額 (after reduction, full year)
    income_levy: int  # 所得割額 (full year)
    reduction: PremiumReduction
    months: int  # 賦課月数 0–12
    annual_premium: int  # 保険料額 (年額)
    child_support_levy: int  # 子ども・子育て支援金 (from FY2026; else 0)
    income_base: int  # 賦課のもととなる所得金額
    reason: ReassessmentReason | None  # 更正事由; None for 当初
