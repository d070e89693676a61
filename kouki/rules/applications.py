"""Applications taken at the city counter (issue 12 §1): the kinds, which 事務 each belongs to, the
documents each needs, the details each records, and the warnings the counter must confirm before taking
one. Pure: plain values in, plain values out (no Django, no I/O).

Sources: ../shared/docs/domain-facts-next.md §1 (benefits), §2 (減免・徴収猶予), §3 (簡易申告), and the
assessment's list of 事務 (PIA L84–99; requirements §1.1, BF-01).

- 事務 of each kind: 葬祭費 is 事務 7; the 療養費, 高額療養費, 高額介護合算療養費, 限度額適用・標準負担額減額
  認定 and 特定疾病 applications are 事務 4 (医療給付に関する申請); 徴収猶予 9; 減免 11; 簡易申告 13.
  Only 事務 1, 4, 5, 6, 9, 11, 13, 15 may handle a 個人番号 (BF-01): `number_allowed` is derived from
  the 事務, so a 葬祭費 application never carries one.
- Time limit (時効, 2 years): for 療養費 "from the day after payment" [R4] and for 葬祭費 "from the day
  after the funeral" [R6][R7]. The clerk enters the payment or funeral day; counting starts the next
  day (民法 §140) and ends on the corresponding day two years later (民法 §143 ②, 29 Feb → 28 Feb), as
  for premiums (kouki.rules.arrears.add_years). 高額療養費 runs from the first day of the month after the
  care month (from the day after the payment when the co-payment was paid later), 高額介護合算療養費
  from the day after its 基準日 31 July (kouki.rules.claim_limits; `time_limit_event`).
- Dates: every date on the form is on or before the 受付日 (the union refuses a 権利発生日 after it);
  a 葬祭費's funeral is on or after the death the register records (`date_problems`).
- 減免・猶予: the ground decides what the form must carry (`_relief_checks`): grounds 1–4 the fall in
  income (last year's 合計所得 of the insured and the 生計維持者, this year's expected one [R26]); ground 5
  the damage (損害額, what insurance makes good, the value of the house and goods: the 損害割合 the
  union's 50/70/100 % tiers are judged on [R27][R28]); ground 6 may carry the incomes.
- Documents: each requirement is met by any one of its alternatives (葬祭費: 会葬礼状 or the funeral
  receipt naming the 喪主). A missing one is a warning (the application may be taken and the document
  brought later), recorded with the application.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kouki.rules.arrears import add_years
from kouki.rules.claim_limits import combined_event_day, high_cost_event_day
from kouki.rules.wareki import format_wareki

TIME_LIMIT_YEARS = 2  # 療養費 [R4], 葬祭費 [R6][R7], 高額療養費 [R10], 高額介護合算 [R15]
FUNERAL_AMOUNT = 50_000  # 葬祭費 in Saitama: 5万円 to the person who held the funeral [R6][R7]
DEFERRAL_MAX_MONTHS = 6  # 徴収猶予: up to 6 months [R25][R24]
DISASTER_EARLY_MONTHS = 2  # 災害減免 applied within 2 months of the end counts from the disaster [R27]
LONG_STAY_DAYS = 90  # 長期入院該当: more than 90 inpatient days in 区分Ⅱ in the last 12 months [R20]
# The 事務 that may handle 個人番号 (PIA L84–99; requirements BF-01). Kept here as numbers because
# kouki.rules imports nothing of ours; kouki.accounts.permissions.NUMBER_JIMU is the same set (a test
# checks both agree).
NUMBER_JIMU_NUMBERS = frozenset({1, 4, 5, 6, 9, 11, 13, 15})


class ApplicationKind(StrEnum):
    FUNERAL = "funeral"
    PREMIUM_REDUCTION = "premium_reduction"
    PREMIUM_DEFERRAL = "premium_deferral"
    MEDICAL_UNAVOIDABLE = "medical_unavoidable"
    MEDICAL_DEVICE = "medical_device"
    MEDICAL_ACUPUNCTURE = "medical_acupuncture"
    MEDICAL_MASSAGE = "medical_massage"
    MEDICAL_JUDO = "medical_judo"
    MEDICAL_BLOOD = "medical_blood"
    MEDICAL_ABROAD = "medical_abroad"
    HIGH_COST = "high_cost"
    LIMIT_CERTIFICATE = "limit_certificate"
    LONG_STAY = "long_stay"
    SPECIFIED_DISEASE = "specified_disease"
    HIGH_COST_COMBINED = "high_cost_combined"
    SIMPLE_DECLARATION = "simple_declaration"


class Applicant(StrEnum):
    SELF = "self"  # the insured person
    MOURNER = "mourner"  # 葬祭を行った者 (喪主): the claimant of a 葬祭費
    AGENT = "agent"  # an agent of either


APPLICANT_LABELS: dict[Applicant, str] = {
    Applicant.SELF: "本人",
    Applicant.MOURNER: "葬祭を行った者(喪主)",
    Applicant.AGENT: "代理人",
}


class FieldType(StrEnum):
    DATE = "date"
    YEN = "yen"
    COUNT = "count"  # a whole number of days, months…
    TEXT = "text"
    CHOICE = "choice"
    FLAG = "flag"


@dataclass(frozen=True)
class DetailField:
    name: str
    label: str
    type: FieldType
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 60
    help: str = ""
    zero_ok: bool = False  # a YEN detail that may be 0 (an income)


@dataclass(frozen=True)
class Document:
    code: str
    label: str


@dataclass(frozen=True)
class Requirement:
    """Met when any one of `alternatives` was presented."""

    alternatives: tuple[Document, ...]

    @property
    def label(self) -> str:
        return " または ".join(d.label for d in self.alternatives)


@dataclass(frozen=True)
class KindSpec:
    label: str
    jimu: int  # 事務 number (PIA L84–99)
    documents: tuple[Requirement, ...]
    details: tuple[DetailField, ...] = ()
    # the detail holding the day after which the 2-year limit runs (None: not checked)
    time_limit_from: str | None = None
    applicants: tuple[Applicant, ...] = (Applicant.SELF, Applicant.AGENT)
    note: str = ""  # shown on the form and the 受付票
    # the city department the paper goes to once confirmed (PIA transfers 2 and 4), "" for none
    transfer_to: str = ""
    registers_account: bool = False  # the application registers the payment account (高額療養費 初回)

    @property
    def number_allowed(self) -> bool:
        """BF-01: the kind's 事務 may handle 個人番号."""
        return self.jimu in NUMBER_JIMU_NUMBERS


def _doc(code: str, label: str) -> Requirement:
    return Requirement((Document(code, label),))


def _either(*docs: tuple[str, str]) -> Requirement:
    return Requirement(tuple(Document(code, label) for code, label in docs))


FORM = _doc("form", "申請書")
CARD = _doc("card", "資格確認書または被保険者証")
ACCOUNT = _doc("account", "振込先口座のわかるもの(通帳等)")
RECEIPT = _doc("receipt", "領収書(原本)")
PAID_ON = DetailField("paid_on", "支払日", FieldType.DATE, help="この日の翌日から2年で時効")
AMOUNT_PAID = DetailField("amount_paid", "支払った額(円)", FieldType.YEN)
PROVIDER = DetailField("provider", "医療機関・施術所等の名称", FieldType.TEXT)
# the care period the union's 審査 needs (療養費関連情報); optional at the counter: without it the 療養費
# is sent as 申請情報 but gets no 療養費関連情報 until corrected (docs/applications.md)
CARE_PERIOD = (
    DetailField("care_from", "療養(施術)の開始日", FieldType.DATE, required=False),
    DetailField("care_to", "療養(施術)の終了日", FieldType.DATE, required=False),
    DetailField("care_days", "実日数", FieldType.COUNT, required=False),
)
MEDICAL_DETAILS = (PAID_ON, AMOUNT_PAID, PROVIDER, *CARE_PERIOD)
MEDICAL_BASE = (FORM, CARD, ACCOUNT)


class Ground(StrEnum):
    """The six grounds of 減免 and 徴収猶予 (the same for both) [R25][R26]."""

    DEATH = "1"
    ILLNESS = "2"
    BUSINESS = "3"
    HARVEST = "4"
    DISASTER = "5"
    OTHER = "6"


GROUND_LABELS: dict[Ground, str] = {
    Ground.DEATH: "生計維持者の死亡",
    Ground.ILLNESS: "被保険者または生計維持者の重い障害・長期入院による収入の著しい減少",
    Ground.BUSINESS: "事業の休廃止・著しい損失・失業による収入の著しい減少",
    Ground.HARVEST: "農作物の不作・不漁等による収入の著しい減少",
    Ground.DISASTER: "災害による住宅・家財その他の財産の著しい損害",
    Ground.OTHER: "その他広域連合長が特別の事情があると認めるとき",
}
INCOME_EVIDENCE = (
    _doc("income_last_year", "前年の収入がわかる書類"),
    _doc("income_this_year", "本年の収入見込みがわかる書類"),
    _doc("savings", "預貯金の状況がわかる書類"),
)  # grounds 1–4 are judged on the fall in income [R26]; typical evidence [R28]
GROUND_EVIDENCE: dict[Ground, tuple[Requirement, ...]] = {
    Ground.DEATH: (_doc("ground_fact", "生計維持者の死亡を証する書類"), *INCOME_EVIDENCE),
    Ground.ILLNESS: (_doc("ground_fact", "障害・入院の状況を証する書類(診断書等)"), *INCOME_EVIDENCE),
    Ground.BUSINESS: (_doc("ground_fact", "休廃業・損失・失業を証する書類"), *INCOME_EVIDENCE),
    Ground.HARVEST: (_doc("ground_fact", "不作・不漁等を証する書類"), *INCOME_EVIDENCE),
    Ground.DISASTER: (_doc("disaster_certificate", "り災証明書(損害額・保険金等の補填額がわかるもの)"),),
    Ground.OTHER: (_doc("ground_fact", "特別の事情を証する書類"),),
}
GROUND_FIELD = DetailField(
    "ground",
    "申請の事由",
    FieldType.CHOICE,
    choices=tuple((g.value, label) for g, label in GROUND_LABELS.items()),
)
INCOME_GROUNDS = frozenset({Ground.DEATH, Ground.ILLNESS, Ground.BUSINESS, Ground.HARVEST})
INCOME_FIELDS = (
    DetailField(
        "prior_income", "前年の合計所得(円、本人と生計維持者の合計)", FieldType.YEN, required=False,
        zero_ok=True, help="事由1〜4は必須(事由6は任意)。前年の収入がわかる書類で確認",
    ),
    DetailField(
        "expected_income", "本年の合計所得の見込み(円)", FieldType.YEN, required=False, zero_ok=True,
        help="事由1〜4は必須(事由6は任意)。休廃業・失業等の後の見込み。本年の収入見込みがわかる書類で確認",
    ),
)  # grounds 1–4 are judged on the fall in income and last year's 合計所得 [R26]
DAMAGE_FIELDS = (
    DetailField("damage_amount", "損害額(円、事由5)", FieldType.YEN, required=False,
                help="り災証明書等による住宅・家財その他の財産の損害額"),
    DetailField("insurance_amount", "保険金・損害賠償等で補填される額(円、事由5)", FieldType.YEN,
                required=False, zero_ok=True),
    DetailField("property_value", "住宅・家財等の価額(円、事由5)", FieldType.YEN, required=False,
                help="損害割合 =(損害額 − 補填額)÷ 価額"),
)  # ground 5: 50/70/100 % by the degree of damage [R27]; り災証明書 with losses and compensation [R28]
DISASTER_FIELDS = (
    DetailField("disaster_date", "災害のあった日(事由5)", FieldType.DATE, required=False),
    DetailField(
        "disaster_end",
        "災害のやんだ日(事由5)",
        FieldType.DATE,
        required=False,
        help="やんだ日から2か月以内の申請は災害の日から、それ以後は申請日から適用",
    ),
)


class Disease(StrEnum):
    DIALYSIS = "dialysis"
    HAEMOPHILIA = "haemophilia"
    HIV = "hiv"


DISEASE_LABELS: dict[Disease, str] = {
    Disease.DIALYSIS: "人工透析を要する慢性腎不全",
    Disease.HAEMOPHILIA: "血友病",
    Disease.HIV: "血液凝固因子製剤の投与に起因するHIV感染症",
}  # [R21][R22]


class FormerInsurance(StrEnum):
    NO = "no"
    YES = "yes"
    UNKNOWN = "unknown"


FORMER_INSURANCE_LABELS: dict[FormerInsurance, str] = {
    FormerInsurance.NO: "該当しない",
    FormerInsurance.YES: "該当する(前の保険から埋葬料等が支給される)",
    FormerInsurance.UNKNOWN: "不明",
}


class IncomeKind(StrEnum):
    NONE = "none"
    SURVIVOR_PENSION = "survivor_pension"
    DISABILITY_PENSION = "disability_pension"


INCOME_KIND_LABELS: dict[IncomeKind, str] = {
    IncomeKind.NONE: "収入なし",
    IncomeKind.SURVIVOR_PENSION: "非課税の遺族年金のみ",
    IncomeKind.DISABILITY_PENSION: "非課税の障害年金のみ",
}  # who files a 簡易申告 [R32][R34]

SPECS: dict[ApplicationKind, KindSpec] = {
    ApplicationKind.FUNERAL: KindSpec(
        "葬祭費",
        7,
        (
            FORM,
            _doc("card", "亡くなった方の資格確認書または被保険者証"),
            _either(("funeral_letter", "会葬礼状"), ("funeral_receipt", "葬儀の領収書(喪主名のもの)")),
            _doc("account", "喪主名義の口座のわかるもの"),
        ),
        (
            DetailField("funeral_date", "葬祭を行った日", FieldType.DATE, help="この日の翌日から2年で時効"),
            DetailField("mourner_name", "喪主の氏名", FieldType.TEXT, max_length=80),
            DetailField("mourner_relationship", "亡くなった方との続柄", FieldType.TEXT, max_length=20),
            DetailField(
                "other_account", "喪主以外の口座への振込(委任状が必要)", FieldType.FLAG, required=False
            ),
            DetailField(
                "former_insurance",
                "前の被用者保険からの埋葬料等",
                FieldType.CHOICE,
                choices=tuple((k.value, v) for k, v in FORMER_INSURANCE_LABELS.items()),
                help="死亡が被用者保険の資格喪失後3か月以内で前の保険から埋葬料等が出る場合、葬祭費は支給されません",
            ),
        ),
        time_limit_from="funeral_date",
        applicants=(Applicant.MOURNER, Applicant.AGENT),
        note=f"支給額 {FUNERAL_AMOUNT:,}円(葬祭を行った方へ。1人の死亡につき1回)",
    ),
    ApplicationKind.PREMIUM_REDUCTION: KindSpec(
        "保険料の減免",
        11,
        (FORM,),
        (GROUND_FIELD, *INCOME_FIELDS, *DISASTER_FIELDS, *DAMAGE_FIELDS),
        note="納期限前に申請してください。災害による減免は1年間で、翌年度は7月に再申請が必要です",
    ),
    ApplicationKind.PREMIUM_DEFERRAL: KindSpec(
        "保険料の徴収猶予",
        9,
        (FORM,),
        (
            GROUND_FIELD,
            *INCOME_FIELDS,
            *DISASTER_FIELDS,
            *DAMAGE_FIELDS,
            DetailField("months", "猶予を求める期間(月数)", FieldType.COUNT, help="6か月以内"),
        ),
        note="猶予は6か月以内で、猶予の期間の延滞金は免除されます",
    ),
    ApplicationKind.MEDICAL_UNAVOIDABLE: KindSpec(
        "療養費(やむを得ず全額自己負担したとき)",
        4,
        (*MEDICAL_BASE, _doc("receipt_statement", "診療報酬明細書に相当する書類"), RECEIPT),
        MEDICAL_DETAILS,
        time_limit_from="paid_on",
    ),
    ApplicationKind.MEDICAL_DEVICE: KindSpec(
        "療養費(治療用装具)",
        4,
        (*MEDICAL_BASE, _doc("doctor_certificate", "医師の証明書(装具が必要であること)"), RECEIPT),
        (
            *MEDICAL_DETAILS,
            DetailField("fitted_on", "装着日", FieldType.DATE, required=False),
            DetailField("made_to_order", "オーダーメイド", FieldType.FLAG, required=False),
            DetailField("fitter", "義肢装具士の氏名", FieldType.TEXT, required=False),
        ),
        time_limit_from="paid_on",
    ),
    ApplicationKind.MEDICAL_ACUPUNCTURE: KindSpec(
        "療養費(はり・きゅう、受領委任以外)",
        4,
        (
            *MEDICAL_BASE,
            _doc("dedicated_form", "はり・きゅう専用の申請書"),
            _either(("consent", "医師の同意書"), ("diagnosis", "医師の診断書")),
            RECEIPT,
        ),
        MEDICAL_DETAILS,
        time_limit_from="paid_on",
    ),
    ApplicationKind.MEDICAL_MASSAGE: KindSpec(
        "療養費(あんま・マッサージ、受領委任以外)",
        4,
        (
            *MEDICAL_BASE,
            _doc("dedicated_form", "あんま・マッサージ専用の申請書"),
            _either(("consent", "医師の同意書"), ("diagnosis", "医師の診断書")),
            RECEIPT,
        ),
        MEDICAL_DETAILS,
        time_limit_from="paid_on",
    ),
    ApplicationKind.MEDICAL_JUDO: KindSpec(
        "療養費(柔道整復、受領委任以外)",
        4,
        (*MEDICAL_BASE, _doc("treatment_receipt", "施術料金領収書")),
        MEDICAL_DETAILS,
        time_limit_from="paid_on",
    ),
    ApplicationKind.MEDICAL_BLOOD: KindSpec(
        "療養費(生血)",
        4,
        (*MEDICAL_BASE, _doc("doctor_certificate", "医師の証明書"), _doc("donor_receipt", "供血者の領収書")),
        (
            *MEDICAL_DETAILS,
            DetailField("donor_not_relative", "供血者は親族ではない", FieldType.FLAG, required=False),
        ),
        time_limit_from="paid_on",
        note="親族から提供された生血は対象外です",
    ),
    ApplicationKind.MEDICAL_ABROAD: KindSpec(
        "海外療養費",
        4,
        (
            *MEDICAL_BASE,
            _doc("care_statement", "診療内容明細書"),
            _doc("care_statement_translation", "診療内容明細書の日本語訳"),
            _doc("receipt_statement", "領収明細書"),
            _doc("receipt_statement_translation", "領収明細書の日本語訳"),
            _doc("passport", "渡航期間のわかる旅券"),
            _doc("investigation_consent", "調査に関する同意書"),
        ),
        (
            *MEDICAL_DETAILS,
            DetailField("country", "渡航先の国", FieldType.TEXT),
            DetailField("not_for_treatment", "治療を目的とした渡航ではない", FieldType.FLAG, required=False),
        ),
        time_limit_from="paid_on",
        note="治療を目的とした渡航は対象外です。翻訳の費用は申請者の負担です",
    ),
    ApplicationKind.HIGH_COST: KindSpec(
        "高額療養費(初回の申請)",
        4,
        (FORM, CARD, ACCOUNT),
        (
            DetailField("care_month", "診療月(その月の1日)", FieldType.DATE,
                        help="診療月の翌月1日から2年で時効"),
            DetailField("copay_paid_on", "自己負担額を支払った日(診療月の翌月以後に支払った場合)",
                        FieldType.DATE, required=False, help="この日の翌日から2年で時効"),
        ),
        note="初回に口座を登録すると、以後は自動的に振り込まれます。口座を変更するときは改めて申請が必要です",
        registers_account=True,  # [R5][R10]
    ),
    ApplicationKind.LIMIT_CERTIFICATE: KindSpec(
        "限度額適用・標準負担額減額認定",
        4,
        (FORM, CARD),
        (),
    ),
    ApplicationKind.LONG_STAY: KindSpec(
        "限度額適用・標準負担額減額認定(長期入院該当)",
        4,
        (FORM, CARD, _doc("inpatient_days", "過去12か月の入院日数がわかる書類(領収書等)")),
        (
            DetailField(
                "inpatient_days",
                "過去12か月の区分Ⅱでの入院日数",
                FieldType.COUNT,
                help="前の保険者での日数を含む。90日を超えること",
            ),
            DetailField(
                "meal_difference",
                "食事差額の請求額(円、91日目から申請月末まで)",
                FieldType.YEN,
                required=False,
            ),
        ),
        note="減額(1食190円)は申請月の翌月1日から適用されます",
    ),
    ApplicationKind.SPECIFIED_DISEASE: KindSpec(
        "特定疾病療養受療証",
        4,
        (
            FORM,
            CARD,
            _either(
                ("doctor_opinion", "医師の意見書"),
                ("former_certificate", "前の保険者の特定疾病療養受療証の写し"),
            ),
        ),
        (
            DetailField(
                "disease",
                "特定疾病",
                FieldType.CHOICE,
                choices=tuple((k.value, v) for k, v in DISEASE_LABELS.items()),
            ),
        ),
        note="申請月の1日から有効。自己負担限度額は医療機関ごと入院・外来別に月1万円です",
    ),
    ApplicationKind.HIGH_COST_COMBINED: KindSpec(
        "高額介護合算療養費",
        4,
        (
            FORM,
            ACCOUNT,
            _doc("burden_certificate", "自己負担額証明書(計算期間中に他の保険者の期間があった場合)"),
        ),
        (
            DetailField("period_end_year", "計算期間の末年(7月31日の年)", FieldType.COUNT),
            DetailField(
                "other_insurer", "計算期間中に他の保険者の期間がある", FieldType.FLAG, required=False
            ),
        ),
        note="計算期間は8月1日から翌年7月31日まで。申請書等は介護保険課へ送付して審査します",
        transfer_to="介護保険課",  # PIA L1431–1481 (移転先4): on paper, per application
    ),
    ApplicationKind.SIMPLE_DECLARATION: KindSpec(
        "簡易申告(所得の申告)",
        13,
        (FORM,),
        (
            DetailField(
                "income_kind",
                "収入の状況",
                FieldType.CHOICE,
                choices=tuple((k.value, v) for k, v in INCOME_KIND_LABELS.items()),
            ),
            DetailField("dependant", "被扶養者である", FieldType.FLAG, required=False),
        ),
        note="申告書は市民税課へ送付し、住民税の課税資料となります",
        transfer_to="市民税課",  # PIA L1351–1393 (移転先2): each time a form comes in
    ),
}

PREMIUM_KINDS = frozenset({ApplicationKind.PREMIUM_REDUCTION, ApplicationKind.PREMIUM_DEFERRAL})


def spec_of(kind: ApplicationKind | str) -> KindSpec:
    return SPECS[ApplicationKind(kind)]


def requirements_of(kind: ApplicationKind | str, details: Mapping[str, object]) -> tuple[Requirement, ...]:
    """The documents the application needs: the kind's, and for 減免/猶予 the evidence of its ground; a
    其の他 insurer's certificate for 高額介護合算 only when there was another insurer."""
    k = ApplicationKind(kind)
    reqs = spec_of(k).documents
    if k in PREMIUM_KINDS and str(details.get("ground", "")) in {g.value for g in Ground}:
        reqs = (*reqs, *GROUND_EVIDENCE[Ground(str(details["ground"]))])
    if k == ApplicationKind.HIGH_COST_COMBINED and not details.get("other_insurer"):
        reqs = tuple(r for r in reqs if r.alternatives[0].code != "burden_certificate")
    if k == ApplicationKind.FUNERAL and details.get("other_account"):
        reqs = (*reqs, _doc("power_of_attorney", "委任状(喪主以外の口座へ振り込む場合)"))
    return reqs


def checklist_of(kind: ApplicationKind | str) -> tuple[Document, ...]:
    """Every document the kind's checklist may ask for (whatever the ground or the flags), in order."""
    k = ApplicationKind(kind)
    variants: list[dict[str, object]] = [{"other_insurer": True, "other_account": True}]
    if k in PREMIUM_KINDS:
        variants = [{"ground": g.value} for g in Ground]
    seen: dict[str, Document] = {}
    for details in variants:
        for r in requirements_of(k, details):
            for d in r.alternatives:
                seen.setdefault(d.code, d)
    if "ground_fact" in seen:  # its label names the ground; the checklist names them all at once
        seen["ground_fact"] = Document("ground_fact", "申請の事由を証する書類")
    return tuple(seen.values())


def missing_documents(reqs: tuple[Requirement, ...], presented: frozenset[str]) -> tuple[str, ...]:
    """Labels of the requirements none of whose alternatives was presented."""
    return tuple(r.label for r in reqs if not any(d.code in presented for d in r.alternatives))


def time_limit_last_day(event_day: date) -> date:
    """The last day to apply when the 2 years run from the day after `event_day` (民法 §140, §143 ②)."""
    return add_years(event_day, TIME_LIMIT_YEARS)


def time_limit_passed(event_day: date, received_on: date) -> bool:
    return received_on > time_limit_last_day(event_day)


class DetailsInvalid(ValueError):
    """Some details are invalid: `errors` maps a detail's name to a Japanese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _clean_one(f: DetailField, value: object) -> object:
    """The stored (JSON) value of one detail; ValueError with a Japanese message."""
    if f.type == FieldType.FLAG:
        return bool(value)
    if value is None or value == "":
        if f.required:
            raise ValueError("入力してください")
        return None
    if f.type == FieldType.DATE:
        if isinstance(value, date):
            return value.isoformat()
        return date.fromisoformat(str(value)).isoformat()
    if f.type in (FieldType.YEN, FieldType.COUNT):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("整数で入力してください")
        number = int(value)
        if number < 0 or (f.type == FieldType.YEN and number == 0 and not f.zero_ok):
            positive = f.type == FieldType.YEN and not f.zero_ok
            raise ValueError("正の額で入力してください" if positive else "0以上で入力してください")
        return number
    text = str(value).strip()
    if f.type == FieldType.CHOICE:
        if text not in {code for code, _ in f.choices}:
            raise ValueError("選択肢から選んでください")
        return text
    if len(text) > f.max_length:
        raise ValueError(f"{f.max_length}文字以内で入力してください")
    if f.required and not text:
        raise ValueError("入力してください")
    return text


def clean_details(kind: ApplicationKind | str, raw: Mapping[str, object]) -> dict[str, object]:
    """The kind's details as stored (dates ISO, money int yen); DetailsInvalid naming each bad one.
    Names the kind does not have are refused (nothing unchecked is stored)."""
    spec = spec_of(kind)
    names = {f.name for f in spec.details}
    errors = {name: "この申請にはない項目です" for name in raw if name not in names}
    out: dict[str, object] = {}
    for f in spec.details:
        try:
            out[f.name] = _clean_one(f, raw.get(f.name))
        except ValueError as exc:
            errors[f.name] = str(exc) if str(exc) and not str(exc).isascii() else "正しく入力してください"
    errors.update(_cross_checks(ApplicationKind(kind), out) if not errors else {})
    if errors:
        raise DetailsInvalid(errors)
    return out


def _days_between(first: str, last: str) -> int:
    """Days of the period first..last (ISO dates), both ends included."""
    return (date.fromisoformat(last) - date.fromisoformat(first)).days + 1


def _cross_checks(kind: ApplicationKind, d: Mapping[str, object]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind == ApplicationKind.PREMIUM_DEFERRAL:
        months = d.get("months")
        if isinstance(months, int) and not 1 <= months <= DEFERRAL_MAX_MONTHS:
            errors["months"] = f"猶予の期間は1か月以上{DEFERRAL_MAX_MONTHS}か月以内です"
    if kind in PREMIUM_KINDS:
        errors.update(_relief_checks(d))
    if kind == ApplicationKind.HIGH_COST_COMBINED:
        year = d.get("period_end_year")
        if isinstance(year, int) and not FIRST_COMBINED_YEAR <= year <= 9999:
            errors["period_end_year"] = f"計算期間の末年は{FIRST_COMBINED_YEAR}年以降の西暦4桁です"
    care_from, care_to, care_days = d.get("care_from"), d.get("care_to"), d.get("care_days")
    if isinstance(care_from, str) and isinstance(care_to, str):
        if care_to < care_from:
            errors["care_to"] = "終了日が開始日より前です"
        elif isinstance(care_days, int) and not 1 <= care_days <= _days_between(care_from, care_to):
            errors["care_days"] = "実日数は1日以上、療養の期間の日数以下です"
    if kind == ApplicationKind.LONG_STAY:
        days = d.get("inpatient_days")
        if isinstance(days, int) and days <= LONG_STAY_DAYS:
            errors["inpatient_days"] = f"長期入院該当は入院日数が{LONG_STAY_DAYS}日を超える場合です"
    return errors


FIRST_COMBINED_YEAR = 2009  # 高額介護合算療養費 began with the period ending 2009-07-31


def _relief_checks(d: Mapping[str, object]) -> dict[str, str]:
    """What the ground of a 減免・猶予 needs on the form (see the module's docstring)."""
    errors: dict[str, str] = {}
    ground = d.get("ground")
    if ground not in {g.value for g in Ground}:
        return errors
    g = Ground(str(ground))
    if g == Ground.DISASTER and not d.get("disaster_date"):
        errors["disaster_date"] = "災害による申請では災害のあった日を入力してください"
    for f in INCOME_FIELDS:
        if g in INCOME_GROUNDS and d.get(f.name) is None:
            errors[f.name] = "事由1〜4(収入の著しい減少)では前年の合計所得と本年の見込みを入力してください"
        elif g == Ground.DISASTER and d.get(f.name) is not None:
            errors[f.name] = "災害による申請(事由5)では所得ではなく損害額を入力します"
    for f in DAMAGE_FIELDS:
        if g != Ground.DISASTER and d.get(f.name) is not None:
            errors[f.name] = "損害額・補填額・価額は災害による申請(事由5)だけに入力します"
    if g == Ground.DISASTER:
        damage, insurance, value = (d.get(f.name) for f in DAMAGE_FIELDS)
        if damage is None:
            errors["damage_amount"] = "災害による申請では損害額を入力してください"
        if value is None:
            errors["property_value"] = "災害による申請では住宅・家財等の価額を入力してください"
        if isinstance(damage, int) and isinstance(value, int) and damage > value:
            errors["damage_amount"] = "損害額が住宅・家財等の価額を超えています"
        if isinstance(damage, int) and isinstance(insurance, int) and insurance > damage:
            errors["insurance_amount"] = "補填される額が損害額を超えています"
    return errors


def damage_percent(damage: int, made_good: int, value: int) -> int:
    """損害割合 (%, whole, rounded down) of a disaster: (損害額 − 補填額) ÷ 価額; 0–100."""
    if value <= 0:
        return 0
    return min(100, max(0, (damage - made_good) * 100 // value))


def relief_damage_percent(details: Mapping[str, object]) -> int:
    """The 損害割合 of a 減免・猶予 application's details (0 unless ground 5 with its damage)."""
    damage, made_good, value = (details.get(f.name) for f in DAMAGE_FIELDS)
    if not isinstance(damage, int) or not isinstance(value, int):
        return 0
    return damage_percent(damage, made_good if isinstance(made_good, int) else 0, value)


def time_limit_event(kind: ApplicationKind | str, details: Mapping[str, object]) -> date | None:
    """The day after which the kind's 2 years run (None: no time limit, or its day not given)."""
    k = ApplicationKind(kind)
    if k == ApplicationKind.HIGH_COST:
        month = detail_date(details, "care_month")
        return high_cost_event_day(month, detail_date(details, "copay_paid_on")) if month else None
    if k == ApplicationKind.HIGH_COST_COMBINED:
        year = details.get("period_end_year")
        ok = isinstance(year, int) and FIRST_COMBINED_YEAR <= year <= 9999
        return combined_event_day(year) if ok and isinstance(year, int) else None
    name = spec_of(k).time_limit_from
    return detail_date(details, name) if name else None


def date_problems(
    kind: ApplicationKind | str, details: Mapping[str, object], *, received_on: date,
    death_date: date | None = None,
) -> dict[str, str]:  # fmt: skip
    """Dates that cannot be right: any date of the form after the 受付日 (the union refuses a 権利発生日
    after it, domain-facts-next §1), a 高額介護合算 period not ended by the 受付日, a funeral before the
    death the register records. Maps the detail's name to a Japanese reason."""
    k = ApplicationKind(kind)
    errors: dict[str, str] = {}
    for f in spec_of(k).details:
        day = detail_date(details, f.name) if f.type == FieldType.DATE else None
        if day is not None and day > received_on:
            errors[f.name] = f"{f.label}が受付日({format_wareki(received_on)})より後です"
    if k == ApplicationKind.HIGH_COST_COMBINED:
        end = time_limit_event(k, details)
        if end is not None and end >= received_on:
            errors["period_end_year"] = f"計算期間({format_wareki(end)}まで)が終わってから申請できます"
    funeral = detail_date(details, "funeral_date")
    if k == ApplicationKind.FUNERAL and funeral and death_date and funeral < death_date:
        errors["funeral_date"] = f"葬祭を行った日が死亡日({format_wareki(death_date)})より前です"
    return errors


def detail_date(details: Mapping[str, object], name: str) -> date | None:
    value = details.get(name)
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Warnings:
    """What the clerk must have seen and confirmed before the application is taken."""

    time_limit_last_day: date | None = None  # the limit has passed: its last day
    missing: tuple[str, ...] = ()  # requirements not presented
    other: tuple[str, ...] = field(default=())  # kind-specific (Japanese sentences)

    @property
    def messages(self) -> tuple[str, ...]:
        out: list[str] = []
        if self.time_limit_last_day is not None:
            out.append(f"時効(2年)を過ぎています(申請できた最終日 {format_wareki(self.time_limit_last_day)})")
        if self.missing:
            out.append("不足書類: " + "、".join(self.missing))
        return (*out, *self.other)

    def __bool__(self) -> bool:
        return bool(self.time_limit_last_day or self.missing or self.other)


def warnings_for(
    kind: ApplicationKind | str, details: Mapping[str, object], *, received_on: date,
    presented: frozenset[str], deceased: bool = True, dues_passed: int = 0,
) -> Warnings:  # fmt: skip
    """The warnings of one application (details already cleaned). `deceased`: the register records the
    death (葬祭費); `dues_passed`: how many of the applied instalments were due before `received_on`."""
    k = ApplicationKind(kind)
    last: date | None = None
    event = time_limit_event(k, details)
    if event is not None and time_limit_passed(event, received_on):
        last = time_limit_last_day(event)
    other: list[str] = []
    if k == ApplicationKind.FUNERAL:
        if details.get("former_insurance") == FormerInsurance.YES:
            other.append("前の被用者保険から埋葬料等が支給される場合、葬祭費は支給されません")
        if not deceased:
            other.append("住民記録に死亡の記録がありません")
    if k in PREMIUM_KINDS and dues_passed:
        other.append(f"納期限を過ぎた期別が{dues_passed}件含まれています(申請は納期限前が原則)")
    if k == ApplicationKind.MEDICAL_BLOOD and not details.get("donor_not_relative"):
        other.append("親族から提供された生血は対象外です")
    if k == ApplicationKind.MEDICAL_ABROAD and not details.get("not_for_treatment"):
        other.append("治療を目的とした渡航は対象外です")
    missing = missing_documents(requirements_of(k, details), presented)
    return Warnings(last, missing, tuple(other))
