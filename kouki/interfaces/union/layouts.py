"""Field layouts of the eight files exchanged with the union (docs/interfaces/union-*.md).

One table per file kind drives `dump`, `parse` and the documentation test. Header and trailer are the common
ones of kouki.interfaces.fixedwidth; the header's ファイル種別 tells the kinds apart.
"""

from __future__ import annotations

from typing import Any

from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AddressExceptionRecord,
    AssessmentKind,
    CertificateIssueRecord,
    CertificateKind,
    CertificateReason,
    IncomeInfoRecord,
    InsuredInfoRecord,
    LossReason,
    NonResidentInfoRecord,
    NotificationInfoRecord,
    NotificationKind,
    PremiumInfoRecord,
    PremiumReduction,
    ReassessmentReason,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.rules.prefectures import is_prefecture_code

MUNICIPALITY = Field(
    "municipality_code",
    "市区町村コード",
    "municipality code",
    5,
    "municipality",
    True,
    "5 digits, prefecture 01–47",
)
ADDRESSEE = Field(
    "addressee_no", "宛名番号", "addressee number", 15, "id", True, "ASCII digits, left-aligned"
)
NAMES = (
    Field("family_name", "氏", "family name", 40, "text", True, "CP932 text"),
    Field("given_name", "名", "given name", 40, "text", False, "CP932 text"),
    Field("family_name_kana", "氏カナ", "family name kana", 40, "kana", True, "katakana"),
    Field("given_name_kana", "名カナ", "given name kana", 40, "kana", False, "katakana; required with 名"),
    Field("sex", "性別", "sex", 1, "sex", True, "1 男, 2 女"),
    Field("birth_date", "生年月日", "date of birth", 8, "date", True, "YYYYMMDD"),
    Field("postal_code", "郵便番号", "postal code", 7, "postal", True, "7 digits"),
    Field("address", "住所", "address", 160, "text", True, "CP932 text"),
)
PERSONAL_NUMBER = Field(
    "personal_number",
    "個人番号",
    "personal number",
    12,
    "personal_number",
    False,
    "12 digits with a valid check digit, or 12 spaces",
)
INSURED_NO = Field(
    "insured_no",
    "被保険者番号",
    "insured number",
    8,
    "insured_no",
    True,
    "8 digits; 8th = ×2/×1 check digit: a warning (default) or an error per KOUKI_INSURED_NO_CHECK_DIGIT",
)
INSURER_NO = Field(
    "insurer_no",
    "保険者番号",
    "insurer number",
    8,
    "insurer_no",
    True,
    "39 + prefecture (2) + serial (3) + check digit",
)


def _names_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    if v.get("given_name") and not v.get("given_name_kana"):
        return [("given_name_kana", "名があるのに名カナが空欄です")]
    return []


def _resident_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems = _names_check(v)
    resident = v["status"] == ResidentStatus.RESIDENT
    if resident and v["status_date"] is not None:
        problems.append(("status_date", "住民の場合は異動日（死亡・転出日）を空欄にしてください"))
    if not resident and v["status_date"] is None:
        problems.append(("status_date", "死亡・転出の場合は異動日が必須です"))
    if v["birth_date"] > v["resident_since"]:
        problems.append(("resident_since", "住民となった日が生年月日より前です"))
    if v["status_date"] is not None and v["status_date"] < v["resident_since"]:
        problems.append(("status_date", "死亡・転出日が住民となった日より前です"))
    moved_to = v.get("moved_to_prefecture") or ""
    if moved_to and not is_prefecture_code(moved_to):
        problems.append(("moved_to_prefecture", "転出先都道府県コードは 01–47 の2桁です"))
    elif moved_to and v["status"] != ResidentStatus.MOVED_OUT:
        problems.append(("moved_to_prefecture", "転出先都道府県コードは住民状態 2（転出）のときだけです"))
    return problems


RESIDENT_INFO: Layout[ResidentInfoRecord] = Layout(
    file_code="11",
    title="住民基本台帳情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        Field("household_no", "世帯番号", "household number", 15, "id", True, "ASCII digits, left-aligned"),
        Field("is_householder", "世帯主区分", "householder flag", 1, "bool", True, "1 世帯主, 0 世帯員"),
        Field("relationship", "続柄", "relationship", 20, "text", True, "e.g. 世帯主, 妻, 子"),
        *NAMES,
        Field("status", "住民状態", "status", 1, "enum", True, enum_codes(ResidentStatus), ResidentStatus),
        Field(
            "status_date",
            "異動日（死亡・転出）",
            "day of death / moving out",
            8,
            "opt_date",
            False,
            "YYYYMMDD; spaces while 1 住民",
        ),
        Field(
            "resident_since",
            "住民となった日",
            "resident since",
            8,
            "date",
            True,
            "YYYYMMDD (birth or move-in)",
        ),
        Field("changed_on", "異動日", "effective date of the change", 8, "date", True, "YYYYMMDD"),
        PERSONAL_NUMBER,
        Field(
            "moved_to_prefecture",
            "転出先都道府県コード",
            "prefecture moved to",
            2,
            "code",
            False,
            "01–47 (JIS X 0401) with 2 転出; spaces when unknown or abroad",
        ),
    ),
    factory=ResidentInfoRecord,
    key_fields=("addressee_no",),
    cross_check=_resident_check,
)


def _non_resident_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems = _names_check(v)
    if v["deleted_on"] is not None and v["deleted_on"] < v["registered_on"]:
        problems.append(("deleted_on", "削除日が登録日より前です"))
    return problems


NON_RESIDENT_INFO: Layout[NonResidentInfoRecord] = Layout(
    file_code="12",
    title="住登外登録情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        *NAMES,
        Field("registered_on", "登録日", "registered on", 8, "date", True, "YYYYMMDD"),
        Field("deleted_on", "削除日", "deleted on", 8, "opt_date", False, "YYYYMMDD or spaces"),
        PERSONAL_NUMBER,
    ),
    factory=NonResidentInfoRecord,
    key_fields=("addressee_no",),
    cross_check=_non_resident_check,
)

_FACILITY_KINDS = {
    NotificationKind.ADDRESS_EXCEPTION_START,
    NotificationKind.ADDRESS_EXCEPTION_IN_START,
}


def _notification_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    if v["kind"] in _FACILITY_KINDS and not v["facility_name"]:
        return [("facility_name", "住所地特例の施設入所では施設名が必須です")]
    return []


NOTIFICATION_INFO: Layout[NotificationInfoRecord] = Layout(
    file_code="13",
    title="届出情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        Field(
            "notification_no",
            "届出番号",
            "notification number",
            20,
            "code",
            True,
            "ASCII letters, digits, '-'; unique",
        ),
        Field(
            "kind",
            "届出種別",
            "notification kind",
            2,
            "enum",
            True,
            enum_codes(NotificationKind),
            NotificationKind,
        ),
        ADDRESSEE,
        Field("effective_date", "効力発生日", "effective date", 8, "date", True, "YYYYMMDD"),
        Field("received_on", "受付日", "received on", 8, "date", True, "YYYYMMDD"),
        Field("facility_name", "施設名", "facility name", 80, "text", False, "required for 31 and 33"),
        Field("facility_address", "施設所在地", "facility address", 160, "text", False, "CP932 text"),
        Field("note", "備考", "note", 100, "text", False, "CP932 text, never a personal number"),
    ),
    factory=NotificationInfoRecord,
    key_fields=("notification_no",),
    cross_check=_notification_check,
)

INCOME_INFO: Layout[IncomeInfoRecord] = Layout(
    file_code="14",
    title="所得・課税情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        Field("income_year", "所得年", "income year", 4, "int", True, "calendar year of the income"),
        Field("public_pension_revenue", "公的年金等収入額", "public pension revenue", 12, "int", True, "yen"),
        Field("salary_revenue", "給与収入額", "salary revenue", 12, "int", True, "yen"),
        Field(
            "other_income",
            "その他の合計所得金額",
            "other income",
            12,
            "signed",
            True,
            "yen; '-' first when negative",
        ),
        Field("taxable_income", "課税所得金額", "taxable income", 12, "int", True, "yen (課税標準額)"),
        Field("declared", "申告区分", "declared", 1, "bool", True, "1 申告あり, 0 未申告"),
    ),
    factory=IncomeInfoRecord,
    key_fields=("addressee_no", "income_year"),
)


def _insured_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if (v["lost_on"] is None) != (v["loss_reason"] is None):
        problems.append(("loss_reason", "喪失日と喪失事由は両方記録するか両方空欄にしてください"))
    if v["lost_on"] is not None and v["lost_on"] < v["acquired_on"]:
        problems.append(("lost_on", "喪失日が取得日より前です"))
    return problems


INSURED_INFO: Layout[InsuredInfoRecord] = Layout(
    file_code="21",
    title="被保険者情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        INSURER_NO,
        Field("acquired_on", "資格取得日", "acquired on", 8, "date", True, "YYYYMMDD"),
        Field(
            "acquisition_reason",
            "取得事由",
            "acquisition reason",
            2,
            "enum",
            True,
            enum_codes(AcquisitionReason),
            AcquisitionReason,
        ),
        Field(
            "lost_on",
            "資格喪失日",
            "lost on",
            8,
            "opt_date",
            False,
            "YYYYMMDD or spaces; = 資格取得日 means the period is cancelled (取消)",
        ),
        Field(
            "loss_reason", "喪失事由", "loss reason", 2, "opt_enum", False, enum_codes(LossReason), LossReason
        ),
        Field("copay_rate", "一部負担割合", "co-payment rate", 2, "rate", True, "10, 20 or 30 (%)"),
        Field("copay_from", "負担割合適用開始日", "rate applies from", 8, "date", True, "YYYYMMDD"),
        Field(
            "address_exception",
            "住所地特例区分",
            "address exception",
            1,
            "bool",
            True,
            "1 住所地特例者, 0 else",
        ),
        Field("decided_on", "決定日", "decided on", 8, "date", True, "YYYYMMDD"),
    ),
    factory=InsuredInfoRecord,
    key_fields=("addressee_no", "acquired_on"),
    cross_check=_insured_check,
)


def _certificate_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems = _names_check(v)
    if v["valid_until"] < v["valid_from"]:
        problems.append(("valid_until", "有効期限が有効開始日より前です"))
    return problems


CERTIFICATE_ISSUE: Layout[CertificateIssueRecord] = Layout(
    file_code="22",
    title="資格確認書発行用情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        Field(
            "kind", "交付種別", "document kind", 1, "enum", True, enum_codes(CertificateKind), CertificateKind
        ),
        Field(
            "reason", "交付事由", "reason", 1, "enum", True, enum_codes(CertificateReason), CertificateReason
        ),
        INSURED_NO,
        INSURER_NO,
        *NAMES,
        Field("acquired_on", "資格取得日", "acquired on", 8, "date", True, "YYYYMMDD"),
        Field("copay_rate", "一部負担割合", "co-payment rate", 2, "rate", True, "10, 20 or 30 (%)"),
        Field("valid_from", "有効開始日", "valid from", 8, "date", True, "YYYYMMDD"),
        Field("valid_until", "有効期限", "valid until", 8, "date", True, "YYYYMMDD (inclusive)"),
        Field(
            "limit_category",
            "適用区分",
            "limit category",
            10,
            "text",
            False,
            "printed on request (任意記載事項), else spaces",
        ),
        Field("issued_on", "交付日", "issued on", 8, "date", True, "YYYYMMDD"),
    ),
    factory=CertificateIssueRecord,
    key_fields=("addressee_no",),
    cross_check=_certificate_check,
)


def _exception_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    if v["exception_until"] is not None and v["exception_until"] < v["exception_from"]:
        return [("exception_until", "終了日が開始日より前です")]
    return []


ADDRESS_EXCEPTION: Layout[AddressExceptionRecord] = Layout(
    file_code="23",
    title="住所地特例者情報",
    record_length=384,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("facility_name", "施設名", "facility name", 80, "text", True, "CP932 text"),
        Field("facility_address", "施設所在地", "facility address", 160, "text", False, "CP932 text"),
        Field("exception_from", "住所地特例開始日", "exception from", 8, "date", True, "YYYYMMDD"),
        Field(
            "exception_until",
            "住所地特例終了日",
            "exception until",
            8,
            "opt_date",
            False,
            "YYYYMMDD (exclusive) or spaces",
        ),
    ),
    factory=AddressExceptionRecord,
    key_fields=("addressee_no", "exception_from"),
    cross_check=_exception_check,
)


def _premium_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not 0 <= v["months"] <= 12:
        problems.append(("months", "賦課月数は0から12です"))
    if v["kind"] == AssessmentKind.INITIAL and v["reason"] is not None:
        problems.append(("reason", "当初賦課には更正事由を付けません"))
    if v["kind"] == AssessmentKind.REASSESSMENT and v["reason"] is None:
        problems.append(("reason", "更正には更正事由が必須です"))
    if v["months"] == 0 and v["annual_premium"] != 0:
        problems.append(("annual_premium", "賦課月数0なのに保険料額があります"))
    return problems


YEN9 = "yen, 9 digits"
PREMIUM_INFO: Layout[PremiumInfoRecord] = Layout(
    file_code="24",
    title="保険料情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("fiscal_year", "賦課年度", "fiscal year", 4, "int", True, "fiscal year (April–March)"),
        Field(
            "kind", "賦課区分", "assessment kind", 1, "enum", True, enum_codes(AssessmentKind), AssessmentKind
        ),
        Field("assessed_on", "賦課決定日", "assessed on", 8, "date", True, "YYYYMMDD"),
        Field("per_capita_levy", "均等割額", "per-capita levy", 9, "int", True, YEN9 + ", after reduction"),
        Field("income_levy", "所得割額", "income levy", 9, "int", True, YEN9 + ", full year"),
        Field(
            "reduction",
            "軽減区分",
            "reduction",
            1,
            "enum",
            True,
            enum_codes(PremiumReduction),
            PremiumReduction,
        ),
        Field("months", "賦課月数", "months", 2, "int", True, "0–12"),
        Field("annual_premium", "保険料額（年額）", "annual premium", 9, "int", True, YEN9),
        Field("child_support_levy", "子ども・子育て支援金額", "child-support levy", 9, "int", True, YEN9),
        Field("income_base", "賦課のもととなる所得金額", "income base", 12, "int", True, "yen"),
        Field(
            "reason",
            "更正事由",
            "reassessment reason",
            2,
            "opt_enum",
            False,
            enum_codes(ReassessmentReason) + "; spaces for 当初",
            ReassessmentReason,
        ),
    ),
    factory=PremiumInfoRecord,
    key_fields=("addressee_no", "fiscal_year"),
    cross_check=_premium_check,
)

ALL_LAYOUTS: dict[str, Layout[Any]] = {
    "resident-info": RESIDENT_INFO,
    "non-resident-info": NON_RESIDENT_INFO,
    "notification-info": NOTIFICATION_INFO,
    "income-info": INCOME_INFO,
    "insured-info": INSURED_INFO,
    "certificate-issue": CERTIFICATE_ISSUE,
    "address-exception": ADDRESS_EXCEPTION,
    "premium-info": PREMIUM_INFO,
}
