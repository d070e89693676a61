"""The codes of the union's benefit files (申請情報, 療養費関連情報, 決定情報), as plain enums. Pure.

The values are the codes written in the files (docs/interfaces/union-application-info.md,
union-medical-expense-info.md, union-benefit-decision.md). The real codes are the union's standard
system's and are not public (domain-facts-next §1 「Flow」): these are kouki's own (ADR 0006, issue 12 §2).
They live here because the pure decision rules (kouki.rules.benefits.decisions) use them.
"""

from __future__ import annotations

from enum import StrEnum


class ApplicationKind(StrEnum):
    """申請種別: what an application asks the union to decide (domain-facts-next §1–§2)."""

    SELF_PAID = "11"  # 療養費 やむを得ない自費 (10割 paid)
    BRACE = "12"  # 療養費 治療用装具
    ACUPUNCTURE = "13"  # 療養費 はり・きゅう (受領委任外)
    MASSAGE = "14"  # 療養費 あんま・マッサージ (受領委任外)
    JUDO = "15"  # 療養費 柔道整復 (受領委任外)
    BLOOD = "16"  # 療養費 生血
    ABROAD = "17"  # 療養費 海外療養費
    FUNERAL = "21"  # 葬祭費
    HIGH_COST = "31"  # 高額療養費 (the first application: registers the account)
    HIGH_COST_COMBINED = "32"  # 高額介護合算療養費 (annual, 8/1–7/31)
    REDUCTION = "41"  # 保険料 減免
    DEFERRAL = "42"  # 保険料 徴収猶予
    LIMIT_CERTIFICATE = "51"  # 限度額適用・標準負担額減額認定 (区分Ⅰ/Ⅱ)
    LONG_STAY = "52"  # 同 長期入院該当 (and its 食事差額)
    SPECIFIED_DISEASE = "53"  # 特定疾病療養受療証


MEDICAL_EXPENSE_KINDS = frozenset(
    {
        ApplicationKind.SELF_PAID,
        ApplicationKind.BRACE,
        ApplicationKind.ACUPUNCTURE,
        ApplicationKind.MASSAGE,
        ApplicationKind.JUDO,
        ApplicationKind.BLOOD,
        ApplicationKind.ABROAD,
    }
)
RELIEF_KINDS = frozenset({ApplicationKind.REDUCTION, ApplicationKind.DEFERRAL})
# Certificates (認定証・受療証): decided with a 区分 and a period, nothing paid (but a 長期入院's 食事差額).
CERTIFICATE_KINDS = frozenset(
    {ApplicationKind.LIMIT_CERTIFICATE, ApplicationKind.LONG_STAY, ApplicationKind.SPECIFIED_DISEASE}
)
# Benefits paid into an account (the decision carries a payment date and the account reference).
PAID_KINDS = frozenset(
    MEDICAL_EXPENSE_KINDS
    | {ApplicationKind.FUNERAL, ApplicationKind.HIGH_COST, ApplicationKind.HIGH_COST_COMBINED}
)
# Kinds whose 申請額 may be 0 (高額: the union computes it; certificates: nothing claimed)
NO_CLAIM_KINDS = frozenset(
    {ApplicationKind.HIGH_COST, ApplicationKind.HIGH_COST_COMBINED} | CERTIFICATE_KINDS
)


def is_paid(kind: ApplicationKind, amount: int) -> bool:
    """A granted decision of `kind` for `amount` pays into an account: every benefit, and a 長期入院
    with a 食事差額 (a 療養費)."""
    return kind in PAID_KINDS or (kind is ApplicationKind.LONG_STAY and amount > 0)

KIND_LABELS: dict[ApplicationKind, str] = {
    ApplicationKind.SELF_PAID: "療養費（やむを得ない自費）",
    ApplicationKind.BRACE: "療養費（治療用装具）",
    ApplicationKind.ACUPUNCTURE: "療養費（はり・きゅう）",
    ApplicationKind.MASSAGE: "療養費（あんま・マッサージ）",
    ApplicationKind.JUDO: "療養費（柔道整復）",
    ApplicationKind.BLOOD: "療養費（生血）",
    ApplicationKind.ABROAD: "海外療養費",
    ApplicationKind.FUNERAL: "葬祭費",
    ApplicationKind.HIGH_COST: "高額療養費",
    ApplicationKind.REDUCTION: "保険料減免",
    ApplicationKind.DEFERRAL: "保険料徴収猶予",
    ApplicationKind.HIGH_COST_COMBINED: "高額介護合算療養費",
    ApplicationKind.LIMIT_CERTIFICATE: "限度額適用・標準負担額減額認定",
    ApplicationKind.LONG_STAY: "限度額適用・標準負担額減額認定(長期入院該当)",
    ApplicationKind.SPECIFIED_DISEASE: "特定疾病療養受療証",
}


class SpecifiedDisease(StrEnum):
    """特定疾病 (domain-facts-next §1 [R21][R22]): the only conditions a 受療証 is issued for."""

    DIALYSIS = "1"  # 人工透析を要する慢性腎不全
    HAEMOPHILIA = "2"  # 血友病
    HIV = "3"  # 血液凝固因子製剤の投与に起因するHIV感染症


class CertificateClass(StrEnum):
    """認定区分 of a 限度額適用・標準負担額減額認定証 (特定疾病: the disease code, SpecifiedDisease)."""

    LOW_1 = "1"  # 区分Ⅰ
    LOW_2 = "2"  # 区分Ⅱ


class Document(StrEnum):
    """添付書類: position (1-based) of each document's flag in the 10-character 添付書類 field."""

    APPLICATION = "1"  # 申請書 (for はり・きゅう等 the dedicated form)
    CARD = "2"  # 保険証 or 資格確認書 (the deceased's, for 葬祭費)
    ACCOUNT = "3"  # 口座の確認 (a different account: with 委任状)
    RECEIPT = "4"  # 領収書原本 (葬祭費: 会葬礼状 or the funeral receipt naming the 喪主)
    STATEMENT = "5"  # レセプト相当の明細書 (診療内容明細書・領収明細書)
    DOCTOR = "6"  # 医師の証明書・同意書・診断書
    TRANSLATION = "7"  # 翻訳文 (海外療養費)
    PASSPORT = "8"  # 旅券 (渡航期間の確認, 海外療養費)
    EVIDENCE = "9"  # 減免・猶予の証拠書類 (り災証明書, 所得の見込み, …)
    PROXY = "10"  # 委任状 (an agent, or payment to another account)


DOCUMENT_FLAGS = 10  # characters of the 添付書類 field

# What each kind needs (domain-facts-next §1 「療養費」 [R1]: form, card, proof of account for every case,
# plus the case's extra documents; 海外療養費 [R2][R3]; 葬祭費 [R6][R7]; 減免・猶予 evidence [R28]).
_COMMON = frozenset({Document.APPLICATION, Document.CARD, Document.ACCOUNT})
REQUIRED_DOCUMENTS: dict[ApplicationKind, frozenset[Document]] = {
    ApplicationKind.SELF_PAID: _COMMON | {Document.STATEMENT, Document.RECEIPT},
    ApplicationKind.BRACE: _COMMON | {Document.DOCTOR, Document.RECEIPT},
    ApplicationKind.ACUPUNCTURE: _COMMON | {Document.DOCTOR, Document.RECEIPT},
    ApplicationKind.MASSAGE: _COMMON | {Document.DOCTOR, Document.RECEIPT},
    ApplicationKind.JUDO: _COMMON | {Document.RECEIPT},
    ApplicationKind.BLOOD: _COMMON | {Document.DOCTOR, Document.RECEIPT},
    ApplicationKind.ABROAD: _COMMON
    | {Document.STATEMENT, Document.RECEIPT, Document.TRANSLATION, Document.PASSPORT},
    ApplicationKind.FUNERAL: _COMMON | {Document.RECEIPT},
    ApplicationKind.HIGH_COST: _COMMON,
    ApplicationKind.REDUCTION: frozenset({Document.APPLICATION, Document.EVIDENCE}),
    ApplicationKind.DEFERRAL: frozenset({Document.APPLICATION, Document.EVIDENCE}),
    ApplicationKind.HIGH_COST_COMBINED: frozenset({Document.APPLICATION, Document.ACCOUNT}),
    ApplicationKind.LIMIT_CERTIFICATE: frozenset({Document.APPLICATION, Document.CARD}),
    ApplicationKind.LONG_STAY: frozenset({Document.APPLICATION, Document.CARD, Document.EVIDENCE}),
    ApplicationKind.SPECIFIED_DISEASE: frozenset({Document.APPLICATION, Document.CARD, Document.DOCTOR}),
}


def document_flags(documents: frozenset[Document] | set[Document]) -> str:
    """The 10-character 添付書類 field: '1' at each present document's position, '0' elsewhere."""
    present = {int(d.value) for d in documents}
    return "".join("1" if i in present else "0" for i in range(1, DOCUMENT_FLAGS + 1))


def documents_of(flags: str) -> frozenset[Document]:
    """The documents a 添付書類 field marks present (ValueError on anything but 10 × '0'/'1')."""
    if len(flags) != DOCUMENT_FLAGS or set(flags) - {"0", "1"}:
        raise ValueError("添付書類は 0 と 1 の10文字です")
    return frozenset(Document(str(i + 1)) for i, flag in enumerate(flags) if flag == "1")


def missing_documents(kind: ApplicationKind, present: frozenset[Document]) -> frozenset[Document]:
    return REQUIRED_DOCUMENTS[kind] - present


class ReliefGround(StrEnum):
    """減免・徴収猶予の事由: the six grounds, the same for both (domain-facts-next §2 [R25][R26])."""

    DEATH = "1"  # 生計維持者の死亡
    ILLNESS = "2"  # 重大な障害・長期入院 (with a sharp fall in income)
    BUSINESS = "3"  # 事業の休廃止・著しい損失・失業 (with a sharp fall in income)
    CROP = "4"  # 不作・不漁 (with a sharp fall in income)
    DISASTER = "5"  # 災害による住宅・家財等の著しい損害
    OTHER = "6"  # その他広域連合長が特別の事情と認めるもの


GROUND_LABELS: dict[ReliefGround, str] = {
    ReliefGround.DEATH: "生計維持者の死亡",
    ReliefGround.ILLNESS: "重大な障害又は長期入院",
    ReliefGround.BUSINESS: "事業の休廃止・損失・失業",
    ReliefGround.CROP: "不作・不漁",
    ReliefGround.DISASTER: "災害による損害",
    ReliefGround.OTHER: "その他特別の事情",
}


class ReliefEvidence(StrEnum):
    """減免・猶予の証拠書類: position (1-based) of each in the 5-character 証拠書類の内訳 field
    (typical evidence [R28]; which ground needs which: `ReliefCriteria.evidence`)."""

    GROUND_FACT = "1"  # 事由を証する書類 (死亡, 診断書, 休廃業・失業, 不作・不漁, その他)
    DISASTER_CERTIFICATE = "2"  # り災証明書 (損害額・保険金等の補填額がわかるもの)
    INCOME_LAST_YEAR = "3"  # 前年の収入がわかる書類
    INCOME_THIS_YEAR = "4"  # 本年の収入見込みがわかる書類
    SAVINGS = "5"  # 預貯金の状況がわかる書類


RELIEF_EVIDENCE_FLAGS = 5
EVIDENCE_LABELS: dict[ReliefEvidence, str] = {
    ReliefEvidence.GROUND_FACT: "事由を証する書類",
    ReliefEvidence.DISASTER_CERTIFICATE: "り災証明書",
    ReliefEvidence.INCOME_LAST_YEAR: "前年の収入がわかる書類",
    ReliefEvidence.INCOME_THIS_YEAR: "本年の収入見込みがわかる書類",
    ReliefEvidence.SAVINGS: "預貯金の状況がわかる書類",
}


def evidence_flags(present: frozenset[ReliefEvidence] | set[ReliefEvidence]) -> str:
    """The 5-character 証拠書類の内訳 field: '1' at each present evidence's position."""
    marked = {int(e.value) for e in present}
    return "".join("1" if i in marked else "0" for i in range(1, RELIEF_EVIDENCE_FLAGS + 1))


def evidence_of(flags: str) -> frozenset[ReliefEvidence]:
    """The evidence a 証拠書類の内訳 field marks present (ValueError unless 5 × '0'/'1')."""
    if len(flags) != RELIEF_EVIDENCE_FLAGS or set(flags) - {"0", "1"}:
        raise ValueError("証拠書類の内訳は 0 と 1 の5文字です")
    return frozenset(ReliefEvidence(str(i + 1)) for i, flag in enumerate(flags) if flag == "1")


class DecisionResult(StrEnum):
    """決定区分."""

    GRANTED = "1"  # 支給 / 承認 (減免・猶予)
    PARTIAL = "2"  # 一部支給 / 一部承認
    REFUSED = "3"  # 不支給 / 不承認
    DISMISSED = "4"  # 却下 (the application itself fails: time limit, documents)


RESULT_LABELS: dict[DecisionResult, str] = {
    DecisionResult.GRANTED: "支給",
    DecisionResult.PARTIAL: "一部支給",
    DecisionResult.REFUSED: "不支給",
    DecisionResult.DISMISSED: "却下",
}


class DecisionReason(StrEnum):
    """決定理由 of a decision that is not a plain grant (spaces for a grant in full)."""

    DOCUMENTS_MISSING = "01"  # 添付書類の不足
    TIME_LIMIT = "02"  # 時効 (2年経過)
    ALREADY_PAID = "03"  # 同一の死亡について支給済
    OTHER_INSURER = "04"  # 旧被用者保険等から支給される
    NOT_INSURED = "05"  # 権利発生日に被保険者でない
    WITHIN_LIMIT = "06"  # 自己負担限度額以下
    CRITERIA_NOT_MET = "07"  # 減免・猶予の基準に該当しない
    ASSESSED_LOWER = "08"  # 保険診療相当額が申請額より低い (一部支給)
    PARTLY_MET = "09"  # 基準により一部を承認 (減免率 100% 未満, 猶予期間の短縮)
    INCOME_FALL_SHORT = "10"  # 減免・猶予 事由1–4: 所得の減少が基準に満たない
    INCOME_ABOVE_CEILING = "11"  # 減免・猶予 事由1–4: 前年の合計所得が基準額を超える
    DAMAGE_SHORT = "12"  # 減免・猶予 事由5: 損害割合が基準に満たない
    EVIDENCE_MISSING = "13"  # 減免・猶予: 事由の証拠書類 (所得の見込み, り災証明書 …) の不足 (却下)
    NOT_LOW_INCOME = "14"  # 区分Ⅰ・Ⅱ (住民税非課税世帯) ではない
    NOT_LONG_STAY = "15"  # 区分Ⅱ で過去12か月の入院日数が90日を超えない
    NOT_SPECIFIED = "16"  # 特定疾病に該当しない
    NO_CARE_BURDEN = "17"  # 医療・介護の双方の自己負担がない


REASON_LABELS: dict[DecisionReason, str] = {
    DecisionReason.DOCUMENTS_MISSING: "必要な添付書類が提出されていないため",
    DecisionReason.TIME_LIMIT: "申請期限（権利が発生した日の翌日から2年）を過ぎているため",
    DecisionReason.ALREADY_PAID: "同一の死亡について既に支給されているため",
    DecisionReason.OTHER_INSURER: "以前加入していた医療保険から支給されるため",
    DecisionReason.NOT_INSURED: "権利が発生した日に被保険者ではなかったため",
    DecisionReason.WITHIN_LIMIT: "自己負担額が自己負担限度額以下であるため",
    DecisionReason.CRITERIA_NOT_MET: "減免・猶予の基準に該当しないため",
    DecisionReason.ASSESSED_LOWER: "保険診療の基準により算定した額が申請額を下回るため",
    DecisionReason.PARTLY_MET: "基準により申請の一部を承認したため",
    DecisionReason.INCOME_FALL_SHORT: "本年の所得の見込みの減少が、減免・猶予の基準に満たないため",
    DecisionReason.INCOME_ABOVE_CEILING: "前年の合計所得が、減免・猶予の基準となる額を超えているため",
    DecisionReason.DAMAGE_SHORT: "災害による損害の割合が、減免・猶予の基準に満たないため",
    DecisionReason.EVIDENCE_MISSING: (
        "申請の事由を確認する書類（所得の状況、り災証明書等）が提出されていないため"
    ),
    DecisionReason.NOT_LOW_INCOME: "世帯の全員が住民税非課税ではないため(区分Ⅰ・Ⅱに該当しません)",
    DecisionReason.NOT_LONG_STAY: "区分Ⅱの期間の入院日数が過去12か月で90日を超えていないため",
    DecisionReason.NOT_SPECIFIED: "特定疾病に該当しないため",
    DecisionReason.NO_CARE_BURDEN: "計算期間に医療保険と介護保険の双方の自己負担がないため",
}
