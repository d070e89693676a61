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
from enum import StrEnum


class ResidentStatus(StrEnum):
    RESIDENT = "1"  # 住民
    MOVED_OUT = "2"  # 転出
    DECEASED = "3"  # 死亡


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


class NotificationKind(StrEnum):
    """届出情報 kinds the city sends (what the union cannot learn from the register)."""

    DISABILITY_CERTIFICATION = "11"  # 障害認定申請 (65–74)
    DISABILITY_WITHDRAWAL = "12"  # 障害認定の撤回
    PUBLIC_ASSISTANCE_START = "21"  # 生活保護開始 (loss)
    PUBLIC_ASSISTANCE_END = "22"  # 生活保護廃止 (acquisition)
    ADDRESS_EXCEPTION_START = "31"  # 住所地特例 施設入所 (moving into a facility outside the union)
    ADDRESS_EXCEPTION_END = "32"  # 住所地特例 終了
    # a person insured by another union who moved into a facility in this union's area: insured THERE (33/34)
    ADDRESS_EXCEPTION_IN_START = "33"  # 他広域連合の住所地特例者 施設入所（区域内の施設）
    ADDRESS_EXCEPTION_IN_END = "34"  # 他広域連合の住所地特例者 終了
    CERTIFICATE_APPLICATION = "41"  # 資格確認書の交付申請 (84 and under, 要配慮者; holds in later renewals)
    OTHER_CHANGE = "91"  # その他の変更 (e.g. 適用区分の併記申請)


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


class AcquisitionReason(StrEnum):
    AGE = "01"  # 年齢到達
    DISABILITY = "02"  # 障害認定
    MOVE_IN = "03"  # 転入
    PUBLIC_ASSISTANCE_END = "04"  # 生活保護廃止
    OTHER = "09"


class LossReason(StrEnum):
    DEATH = "01"  # 死亡 (the day after)
    MOVE_OUT = "02"  # 転出 (the day after)
    PUBLIC_ASSISTANCE = "03"  # 生活保護開始 (the day it starts)
    DISABILITY_WITHDRAWN = "04"  # 障害認定撤回
    OTHER = "09"


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


class CertificateKind(StrEnum):
    CERTIFICATE = "1"  # 資格確認書
    NOTICE = "2"  # 資格情報のお知らせ


class CertificateReason(StrEnum):
    NEW = "1"  # 新規資格取得
    RENEWAL = "2"  # 一斉更新 (August)
    CHANGE = "3"  # 記載事項変更 (address, rate …)
    APPLICATION = "4"  # 申請による交付 (84 and under, 要配慮者)
    REISSUE = "5"  # 再交付 (lost, damaged)


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


class AssessmentKind(StrEnum):
    INITIAL = "1"  # 当初賦課
    REASSESSMENT = "2"  # 更正


class PremiumReduction(StrEnum):
    NONE = "0"  # 軽減なし
    SEVENTY = "1"  # 7割軽減
    FIFTY = "2"  # 5割軽減
    TWENTY = "3"  # 2割軽減
    FORMER_DEPENDANT = "4"  # 被扶養者軽減


class ReassessmentReason(StrEnum):
    INCOME = "01"  # 所得の更正
    HOUSEHOLD = "02"  # 世帯の異動
    ELIGIBILITY = "03"  # 資格の異動
    OTHER = "09"  # その他


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
