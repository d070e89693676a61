"""申請情報 (city → union, as applications occur): one record per application taken at the counter.

The counter keys each application into the union's 窓口端末 and the union's standard system decides
(domain-facts-next §1 「Flow」; PIA L209–216, L470–476). kouki sends them as a file instead: 療養費 (every
case), 葬祭費, the first 高額療養費 application (it registers the payment account), 保険料の減免 and
徴収猶予. The layout is kouki's own (the union's is not public): docs/interfaces/union-application-info.md.
CP932 fixed width, 512 bytes. No personal number travels here: the union already holds it against the
宛名番号 (PIA flow 1-⑤); the account itself stays at the city, the record names it by reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.fixedwidth.errors import DumpError
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import ADDRESSEE, INSURED_NO, MUNICIPALITY
from kouki.rules.benefits.codes import (
    DOCUMENT_FLAGS,
    NO_CLAIM_KINDS,
    PAID_KINDS,
    RELIEF_EVIDENCE_FLAGS,
    RELIEF_KINDS,
    ApplicationKind,
    ReliefGround,
    SpecifiedDisease,
)

RECEPTION_NO = Field("reception_no", "受付番号", "reception number", 20, "code", True,
                     "ASCII letters, digits, '-'; unique per application")  # fmt: skip
KIND = Field("kind", "申請種別", "application kind", 2, "enum", True, enum_codes(ApplicationKind),
             ApplicationKind)  # fmt: skip
PAYEE_ACCOUNT = Field("payee_account_ref", "振込口座参照番号", "payee account reference", 20, "code", False,
                      "the city's reference of the registered account (never the account number);"
                      " required for 療養費, 葬祭費, 高額療養費; spaces for 減免・猶予")  # fmt: skip
FIRST_FISCAL_YEAR = 2008  # 後期高齢者医療制度 began in April 2008
NO_EVIDENCE = "0" * RELIEF_EVIDENCE_FLAGS


@dataclass(frozen=True)
class ApplicationInfoRecord:
    municipality_code: str
    reception_no: str  # 受付番号 (the city's, unique; the decision comes back under it)
    kind: ApplicationKind
    addressee_no: str  # the insured person (葬祭費: the deceased)
    insured_no: str
    received_on: date  # 受付日
    right_date: (
        date  # 権利発生日: 療養費 支払日, 葬祭費 葬祭日, 高額療養費 診療月の初日, 減免・猶予 事由発生日
    )
    amount_claimed: int  # 申請額 (yen): 療養費 what was paid; 葬祭費 the amount claimed; 高額 0;
    #                      減免 the year's premium; 猶予 the instalments to defer
    payee_account_ref: str  # "" for 減免・猶予
    documents: str  # 添付書類: 10 × '0'/'1' (kouki.rules.benefits.codes.Document positions)
    death_date: date | None  # 葬祭費 only
    former_insurer_pays: bool  # 葬祭費: the former employee insurance pays (a refusal)
    applicant_name: str  # 申請者 (葬祭費: the 喪主; an agent's principal otherwise): the notice goes here
    applicant_postal_code: str
    applicant_address: str
    fiscal_year: int  # 減免・猶予: 対象年度; else 0
    ground: ReliefGround | None  # 減免・猶予 only
    prior_income: int  # 減免・猶予: last year's 合計所得 (insured + 生計維持者); else 0
    expected_income: int  # 減免・猶予: this year's expected 合計所得; else 0
    damage_percent: int  # 災害 (ground 5): damage as % of the value; else 0
    months_requested: int  # 猶予: months asked for (1–12); else 0
    # 災害 (ground 5): the amounts the 損害割合 comes from; else 0
    damage_amount: int = 0  # 損害額
    insurance_amount: int = 0  # 保険金等で補填される額
    property_value: int = 0  # 住宅・家財等の価額
    relief_evidence: str = NO_EVIDENCE  # 減免・猶予: 証拠書類の内訳 (ReliefEvidence positions); else 00000
    copay_paid_on: date | None = None  # 高額療養費: the co-payment paid after the care month; else None
    inpatient_days: int = 0  # 長期入院: inpatient days in 区分Ⅱ in the last 12 months; else 0
    disease: SpecifiedDisease | None = None  # 特定疾病 only
    period_end_year: int = 0  # 高額介護合算: the year of the period's 31 July; else 0
    other_insurer: bool = False  # 高額介護合算: another insurer in the period (自己負担額証明書 attached)


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    kind = v["kind"]
    if set(v["documents"]) - {"0", "1"}:
        problems.append(("documents", "添付書類は 0 と 1 だけで記録してください"))
    if set(v["relief_evidence"]) - {"0", "1"}:
        problems.append(("relief_evidence", "証拠書類の内訳は 0 と 1 だけで記録してください"))
    paid_on = v["copay_paid_on"]
    if paid_on is not None and (kind != ApplicationKind.HIGH_COST or paid_on > v["received_on"]):
        problems.append(("copay_paid_on", "自己負担額の支払日は高額療養費だけに、受付日以前の日を記録します"))
    if v["right_date"] > v["received_on"]:
        problems.append(("right_date", "権利発生日が受付日より後です"))
    funeral = kind == ApplicationKind.FUNERAL
    if funeral and v["death_date"] is None:
        problems.append(("death_date", "葬祭費には死亡日が必須です"))
    if funeral and v["death_date"] is not None and v["death_date"] > v["right_date"]:
        problems.append(("death_date", "死亡日が葬祭日より後です"))
    if not funeral and (v["death_date"] is not None or v["former_insurer_pays"]):
        problems.append(("death_date", "死亡日・旧被用者保険の支給区分は葬祭費だけに記録します"))
    if kind in PAID_KINDS and not v["payee_account_ref"]:
        problems.append(("payee_account_ref", "給付の申請には振込口座参照番号が必須です"))
    problems.extend(_certificate_check(v))
    if kind in RELIEF_KINDS:
        problems.extend(_relief_check(v))
    else:
        others = (v["fiscal_year"], v["prior_income"], v["expected_income"], v["damage_percent"],
                  v["months_requested"], v["damage_amount"], v["insurance_amount"], v["property_value"],
                  v["relief_evidence"] != NO_EVIDENCE)  # fmt: skip
        if v["ground"] is not None or any(others):
            problems.append(("ground", "減免・猶予の項目は減免・猶予の申請だけに記録します（ほかは空欄・0）"))
        if kind not in NO_CLAIM_KINDS and v["amount_claimed"] <= 0:
            problems.append(("amount_claimed", "申請額は1円以上です"))
    return problems


def _certificate_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    """限度額・長期入院・特定疾病・高額介護合算: each field only on its kind."""
    problems: list[tuple[str, str]] = []
    kind = v["kind"]
    if kind == ApplicationKind.LONG_STAY:
        if v["inpatient_days"] <= 0:
            problems.append(("inpatient_days", "長期入院には入院日数が必須です"))
        if v["amount_claimed"] > 0 and not v["payee_account_ref"]:
            problems.append(("payee_account_ref", "食事差額の申請には振込口座参照番号が必須です"))
    elif v["inpatient_days"]:
        problems.append(("inpatient_days", "入院日数は長期入院だけに記録します"))
    if kind in (ApplicationKind.LIMIT_CERTIFICATE, ApplicationKind.SPECIFIED_DISEASE) and (
        v["amount_claimed"] or v["payee_account_ref"]
    ):
        problems.append(("amount_claimed", "認定証・受療証の申請に申請額・振込口座は記録しません"))
    if (kind == ApplicationKind.SPECIFIED_DISEASE) != (v["disease"] is not None):
        problems.append(("disease", "特定疾病は特定疾病療養受療証の申請だけに、必ず記録します"))
    combined = kind == ApplicationKind.HIGH_COST_COMBINED
    if combined and v["period_end_year"] < FIRST_FISCAL_YEAR + 1:
        problems.append(("period_end_year", "高額介護合算には計算期間の末年（2009 以降）が必須です"))
    if not combined and (v["period_end_year"] or v["other_insurer"]):
        problems.append(("period_end_year", "計算期間・他保険者の有無は高額介護合算だけに記録します"))
    return problems


def _relief_check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if v["payee_account_ref"]:
        problems.append(("payee_account_ref", "減免・猶予には振込口座参照番号を記録しません"))
    if v["ground"] is None:
        problems.append(("ground", "減免・猶予には事由が必須です"))
    if v["fiscal_year"] < FIRST_FISCAL_YEAR:
        problems.append(("fiscal_year", "減免・猶予には対象年度（2008 以降）が必須です"))
    if v["damage_percent"] > 100:
        problems.append(("damage_percent", "損害割合は 0–100 (%) です"))
    damage, made_good, value = v["damage_amount"], v["insurance_amount"], v["property_value"]
    if v["ground"] is ReliefGround.DISASTER and value > 0:
        if damage > value or made_good > damage:
            problems.append(("damage_amount", "損害額は価額以下、補填額は損害額以下です"))
        elif v["damage_percent"] != min(100, (damage - made_good) * 100 // value):
            problems.append(("damage_percent", "損害割合が（損害額 − 補填額）÷ 価額と一致しません"))
    elif damage or made_good or value:
        problems.append(
            ("damage_amount", "損害額・補填額・価額は災害（事由5）で価額のあるときだけ記録します")
        )
    deferral = v["kind"] == ApplicationKind.DEFERRAL
    if deferral and not 1 <= v["months_requested"] <= 12:
        problems.append(("months_requested", "猶予希望月数は 1–12 です"))
    if not deferral and v["months_requested"] != 0:
        problems.append(("months_requested", "猶予希望月数は徴収猶予だけに記録します"))
    if v["amount_claimed"] <= 0:
        problems.append(("amount_claimed", "減免・猶予の対象額は1円以上です"))
    return problems


APPLICATION_INFO: Layout[ApplicationInfoRecord] = Layout(
    file_code="17",
    title="申請情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        RECEPTION_NO,
        KIND,
        ADDRESSEE,
        INSURED_NO,
        Field("received_on", "受付日", "received on", 8, "date", True, "YYYYMMDD"),
        Field("right_date", "権利発生日", "right day", 8, "date", True,
              "YYYYMMDD: 療養費 支払日, 葬祭費 葬祭日, 高額療養費 診療月の初日, 減免・猶予 事由発生日"),
        Field("amount_claimed", "申請額", "amount claimed", 9, "int", True,
              "yen, 9 digits: 療養費 paid, 葬祭費 claimed, 高額療養費 0, 減免 the year's premium, 猶予 the"
              " instalments"),
        PAYEE_ACCOUNT,
        Field("documents", "添付書類", "documents attached", DOCUMENT_FLAGS, "digits", True,
              "10 × 0/1: 申請書, 保険証等, 口座, 領収書, 明細書, 医師の証明, 翻訳, 旅券, 証拠書類, 委任状"),
        Field("death_date", "死亡日", "day of death", 8, "opt_date", False,
              "YYYYMMDD for 葬祭費, else spaces"),
        Field("former_insurer_pays", "旧被用者保険の葬祭費支給", "former insurer pays", 1, "bool", True,
              "1: the former employee insurance pays (葬祭費 only), else 0"),
        Field("applicant_name", "申請者氏名", "applicant's name", 40, "text", True, "CP932 text"),
        Field("applicant_postal_code", "申請者郵便番号", "applicant's postal code", 7, "postal", True,
              "7 digits"),
        Field("applicant_address", "申請者住所", "applicant's address", 160, "text", True, "CP932 text"),
        Field("fiscal_year", "対象年度", "fiscal year", 4, "int", True, "減免・猶予 (≥ 2008), else 0000"),
        Field("ground", "減免・猶予事由", "relief ground", 1, "opt_enum", False,
              enum_codes(ReliefGround) + "; spaces unless 減免・猶予", ReliefGround),
        Field("prior_income", "前年合計所得", "last year's total income", 12, "int", True,
              "yen, 減免・猶予 (insured + 生計維持者), else 0"),
        Field("expected_income", "見込合計所得", "expected total income", 12, "int", True,
              "yen, 減免・猶予, else 0"),
        Field("damage_percent", "損害割合", "damage", 3, "int", True, "0–100 (%), 災害 only"),
        Field("months_requested", "猶予希望月数", "months requested", 2, "int", True,
              "1–12 for 徴収猶予, else 00"),
        Field("damage_amount", "損害額", "damage", 12, "int", True, "yen, 災害 (ground 5), else 0"),
        Field("insurance_amount", "補填額", "made good by insurance", 12, "int", True,
              "yen, 災害: 保険金・損害賠償等 (≤ 損害額), else 0"),
        Field("property_value", "財産の価額", "property value", 12, "int", True,
              "yen, 災害: 住宅・家財等の価額; 損害割合 = (損害額 − 補填額) × 100 ÷ 価額 (切捨て), else 0"),
        Field("relief_evidence", "証拠書類の内訳", "relief evidence", RELIEF_EVIDENCE_FLAGS, "digits", True,
              "5 × 0/1 (減免・猶予): 事由を証する書類, り災証明書, 前年の収入, 本年の収入見込み, 預貯金;"
              " else 00000"),
        Field("copay_paid_on", "自己負担額支払日", "co-payment paid on", 8, "opt_date", False,
              "YYYYMMDD: 高額療養費 whose co-payment was paid after the care month (時効 from the next day),"
              " else spaces"),
        Field("inpatient_days", "入院日数", "inpatient days", 3, "int", True,
              "長期入院 (52): days in hospital in 区分Ⅱ in the last 12 months, else 000"),
        Field("disease", "特定疾病", "specified disease", 1, "opt_enum", False,
              enum_codes(SpecifiedDisease) + "; 特定疾病 (53) only, else space", SpecifiedDisease),
        Field("period_end_year", "計算期間の末年", "period end year", 4, "int", True,
              "高額介護合算 (32): the year of the period's 31 July (≥ 2009), else 0000"),
        Field("other_insurer", "他保険者期間", "other insurer", 1, "bool", True,
              "高額介護合算: 1 when another insurer's period is in it, else 0"),
    ),
    factory=ApplicationInfoRecord,
    key_fields=("reception_no",),
    cross_check=_check,
)  # fmt: skip
LAYOUT = APPLICATION_INFO


def dump_application_info(
    records: Sequence[ApplicationInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_application_info(data: bytes, file_name: str) -> ParseResult[ApplicationInfoRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)


def refused_records(
    records: Sequence[ApplicationInfoRecord], *, created_on: date, municipality_code: str
) -> dict[int, tuple[str, str]]:
    """The records (by index) the union would refuse, each with its first (field, reason): the records are
    written and read back with the union's own validation (`parse_application_info`), so that the sender
    can hold a bad one instead of sending a file the union rejects as a whole. A record that cannot even
    be written (DumpError) is named too."""
    bad: dict[int, tuple[str, str]] = {}
    try:
        data = dump_application_info(records, created_on=created_on, municipality_code=municipality_code)
    except DumpError:
        for i, r in enumerate(records):
            try:
                dump_application_info([r], created_on=created_on, municipality_code=municipality_code)
            except DumpError as exc:
                bad[i] = ("", str(exc))
        rest = [i for i in range(len(records)) if i not in bad]
        found = refused_records([records[i] for i in rest], created_on=created_on,
                                municipality_code=municipality_code)  # fmt: skip
        return {**bad, **{rest[i]: why for i, why in found.items()}}
    for error in parse_application_info(data, "check").errors:
        index = error.line - 2  # line 1 is the header
        if 0 <= index < len(records):
            bad.setdefault(index, (error.field, error.reason))
    return bad
