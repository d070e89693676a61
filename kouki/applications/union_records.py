"""An Application as the union's records: 申請情報 (kouki.interfaces.union.application_info) and
療養費関連情報 (medical_expense_info). Reads only; the sending is kouki.applications.union_send.

- 受付番号 in the files: the codec takes ASCII only, so the city's 「令和8年度第00012号」 travels as
  `<受付年度>-<連番5桁>` (`2026-00012`); the decision comes back under it (`application_by_union_no`).
- 限度額適用・標準負担額減額認定 (51), 長期入院該当 (52, with its 食事差額 as 申請額), 特定疾病 (53) and
  高額介護合算療養費 (32, also on paper to 介護保険課: kouki transfers counter high-cost-combined) are sent
  too (helper unionapps12). 簡易申告 has no 申請種別 (it goes to 市民税課, transfer 2) and is never sent
  (`union_kind` is None); the batch counts it.
- 減免・猶予 carry what the counter keyed for the ground (kouki.rules.applications: incomes for grounds
  1–4 and 6, the damage for 5, 0 where the ground has none) and which of the ground's evidence was
  presented (証拠書類の内訳); the 療養期間 of a 療養費 comes from the optional details care_from / care_to /
  care_days — a 療養費 without them gets no 療養費関連情報 (counted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kouki.addressees.models import PersonStatus, PersonVersion
from kouki.addressees.selectors import death_dates, person_current, person_history, persons_current
from kouki.applications.models import Application
from kouki.interfaces.union.application_info import ApplicationInfoRecord
from kouki.interfaces.union.medical_expense_info import MedicalExpenseInfoRecord
from kouki.rules.applications import FUNERAL_AMOUNT, Disease, relief_damage_percent
from kouki.rules.applications import ApplicationKind as Kind
from kouki.rules.benefits.codes import ApplicationKind as UnionKind
from kouki.rules.benefits.codes import (
    Document,
    ReliefEvidence,
    ReliefGround,
    SpecifiedDisease,
    document_flags,
    evidence_flags,
)

UNION_KINDS: dict[Kind, UnionKind] = {
    Kind.MEDICAL_UNAVOIDABLE: UnionKind.SELF_PAID,
    Kind.MEDICAL_DEVICE: UnionKind.BRACE,
    Kind.MEDICAL_ACUPUNCTURE: UnionKind.ACUPUNCTURE,
    Kind.MEDICAL_MASSAGE: UnionKind.MASSAGE,
    Kind.MEDICAL_JUDO: UnionKind.JUDO,
    Kind.MEDICAL_BLOOD: UnionKind.BLOOD,
    Kind.MEDICAL_ABROAD: UnionKind.ABROAD,
    Kind.FUNERAL: UnionKind.FUNERAL,
    Kind.HIGH_COST: UnionKind.HIGH_COST,
    Kind.PREMIUM_REDUCTION: UnionKind.REDUCTION,
    Kind.PREMIUM_DEFERRAL: UnionKind.DEFERRAL,
    Kind.HIGH_COST_COMBINED: UnionKind.HIGH_COST_COMBINED,
    Kind.LIMIT_CERTIFICATE: UnionKind.LIMIT_CERTIFICATE,
    Kind.LONG_STAY: UnionKind.LONG_STAY,
    Kind.SPECIFIED_DISEASE: UnionKind.SPECIFIED_DISEASE,
}
CERTIFICATES = frozenset({Kind.LIMIT_CERTIFICATE, Kind.SPECIFIED_DISEASE})  # nothing claimed, nothing paid
_DISEASES: dict[str, SpecifiedDisease] = {
    Disease.DIALYSIS.value: SpecifiedDisease.DIALYSIS,
    Disease.HAEMOPHILIA.value: SpecifiedDisease.HAEMOPHILIA,
    Disease.HIV.value: SpecifiedDisease.HIV,
}  # fmt: skip
MEDICAL_KINDS = frozenset(k for k, u in UNION_KINDS.items() if u.value.startswith("1"))
RELIEF_KINDS = frozenset({Kind.PREMIUM_REDUCTION, Kind.PREMIUM_DEFERRAL})

# the counter's document codes (kouki.rules.applications) → the union's 添付書類 positions
_DOCUMENTS: dict[str, Document] = {
    "form": Document.APPLICATION, "dedicated_form": Document.APPLICATION, "card": Document.CARD,
    "account": Document.ACCOUNT, "receipt": Document.RECEIPT, "funeral_letter": Document.RECEIPT,
    "funeral_receipt": Document.RECEIPT, "treatment_receipt": Document.RECEIPT,
    "donor_receipt": Document.RECEIPT, "receipt_statement": Document.STATEMENT,
    "care_statement": Document.STATEMENT, "doctor_certificate": Document.DOCTOR, "consent": Document.DOCTOR,
    "diagnosis": Document.DOCTOR, "care_statement_translation": Document.TRANSLATION,
    "receipt_statement_translation": Document.TRANSLATION, "passport": Document.PASSPORT,
    "ground_fact": Document.EVIDENCE, "disaster_certificate": Document.EVIDENCE,
    "income_last_year": Document.EVIDENCE, "income_this_year": Document.EVIDENCE,
    "savings": Document.EVIDENCE, "inpatient_days": Document.EVIDENCE,
    "burden_certificate": Document.EVIDENCE,
    "doctor_opinion": Document.DOCTOR, "former_certificate": Document.DOCTOR,
}  # fmt: skip
# the counter's evidence codes of a 減免・猶予 ground → the union's 証拠書類の内訳 positions
_EVIDENCE: dict[str, ReliefEvidence] = {
    "ground_fact": ReliefEvidence.GROUND_FACT, "disaster_certificate": ReliefEvidence.DISASTER_CERTIFICATE,
    "income_last_year": ReliefEvidence.INCOME_LAST_YEAR, "income_this_year": ReliefEvidence.INCOME_THIS_YEAR,
    "savings": ReliefEvidence.SAVINGS,
}  # fmt: skip


class NotSendable(Exception):
    """The application cannot be written as the union's record; `reason` says why (Japanese)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def union_kind(kind: str) -> UnionKind | None:
    return UNION_KINDS.get(Kind(kind))


def union_reception_no(a: Application) -> str:
    """The 受付番号 as the files carry it: `2026-00012`."""
    return reception_no_of(a.fiscal_year, a.serial)


def reception_no_of(fiscal_year: int, serial: int) -> str:
    """The files' 受付番号 from the application's 受付年度 and 連番 (for reads of plain values)."""
    return f"{fiscal_year}-{serial:05d}"


def parse_union_reception_no(text: str) -> tuple[int, int] | None:
    """(受付年度, 連番) of a file's 受付番号, or None for one the city did not give (the union's own)."""
    year, dash, serial = text.partition("-")
    if not dash or not (year.isdigit() and serial.isdigit()) or len(year) != 4:
        return None
    return int(year), int(serial)


def _documents(a: Application) -> str:
    present = {_DOCUMENTS[c] for c in a.documents if c in _DOCUMENTS}
    if a.kind == Kind.MEDICAL_ABROAD and "receipt_statement" in a.documents:
        present.add(Document.RECEIPT)  # 海外: the 領収明細書 is the receipt
    if a.authority_documents or a.details.get("other_account"):
        present.add(Document.PROXY)
    return document_flags(present)


def _date(details: Mapping[str, object], name: str) -> date | None:
    value = details.get(name)
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def death_date(person_id: int) -> date | None:
    """The first day the register shows the person deceased (the 死亡 version's start)."""
    for v in person_history(person_id):
        if v.superseded_at is None and v.status == PersonStatus.DECEASED:
            return v.valid_from
    return None


@dataclass(frozen=True)
class RegisterFacts:
    """What the records need from the register for many applications at once, read in bulk (the batch
    reads the register once per file, not once per application)."""

    current: Mapping[int, PersonVersion]  # person id → current version
    deaths: Mapping[int, date]  # person id → death date (the deceased only)


def register_facts(person_ids: Iterable[int]) -> RegisterFacts:
    ids = set(person_ids)
    return RegisterFacts(current=persons_current(ids), deaths=death_dates(ids))


def _right_date(a: Application) -> date:
    d = a.details
    if a.kind in MEDICAL_KINDS:
        found = _date(d, "paid_on")
    elif a.kind == Kind.FUNERAL:
        found = _date(d, "funeral_date")
    elif a.kind == Kind.HIGH_COST:
        found = _date(d, "care_month")
        found = found.replace(day=1) if found else None
    elif a.kind == Kind.HIGH_COST_COMBINED:  # the period's last day (7/31): the 2 years run from 8/1
        year = int(d.get("period_end_year") or 0)
        found = date(year, 7, 31) if year and date(year, 7, 31) <= a.received_on else None
    elif a.kind in (*CERTIFICATES, Kind.LONG_STAY):
        found = a.received_on
    else:  # 減免・猶予: 事由発生日 = the disaster's day, or (other grounds, not collected) the 受付日
        found = _date(d, "disaster_date") or a.received_on
    if found is None:
        raise NotSendable("権利発生日の記載がありません")
    return found


def _amount(a: Application) -> int:
    if a.kind in MEDICAL_KINDS:
        return int(a.details.get("amount_paid") or 0)
    if a.kind == Kind.FUNERAL:
        return FUNERAL_AMOUNT
    if a.kind in (Kind.HIGH_COST, Kind.HIGH_COST_COMBINED, *CERTIFICATES):
        return 0
    if a.kind == Kind.LONG_STAY:
        return int(a.details.get("meal_difference") or 0)  # 食事差額 claimed (0: none)
    return sum(int(i["charged"]) for i in a.instalments)  # 減免・猶予: the applied instalments


def _applicant(a: Application, register: RegisterFacts | None = None) -> tuple[str, str, str]:
    """(name, postal code, address) the notice goes to: the 喪主 for a 葬祭費, else the insured person;
    the address is the person's in the register (the 喪主's own address is not collected)."""
    current = person_current(a.person_id) if register is None else register.current.get(a.person_id)
    if current is None:
        raise NotSendable("宛名が登録されていません")
    if a.kind == Kind.FUNERAL:
        name = str(a.details.get("mourner_name", "")).replace(" ", "\u3000")
    else:
        name = f"{current.family_name}\u3000{current.given_name}"
    return name[:40], current.postal_code, current.address[:160]


def application_info_record(a: Application, *, municipality_code: str, addressee_no: str,
                            insured_no: str, register: RegisterFacts | None = None,
                            ) -> ApplicationInfoRecord:  # fmt: skip
    """The application's 申請情報 record; `register` (read in bulk by the batch) saves the per-application
    reads of the register."""
    kind = union_kind(a.kind)
    if kind is None:
        raise NotSendable("広域連合への申請情報の種別がありません")
    d = a.details
    relief = a.kind in RELIEF_KINDS
    funeral = a.kind == Kind.FUNERAL
    if not funeral:
        died = None
    else:
        died = death_date(a.person_id) if register is None else register.deaths.get(a.person_id)
    if funeral and died is None:
        raise NotSendable("死亡日が住民記録にありません")
    if relief:
        years = sorted({int(str(i["due_date"])[:4]) - (1 if str(i["due_date"])[5:7] < "04" else 0)
                        for i in a.instalments})  # fmt: skip
        fy = years[0] if years else a.fiscal_year
    name, postal, address = _applicant(a, register)
    return ApplicationInfoRecord(
        municipality_code=municipality_code, reception_no=union_reception_no(a), kind=kind,
        addressee_no=addressee_no, insured_no=insured_no, received_on=a.received_on,
        right_date=_right_date(a), amount_claimed=_amount(a),
        payee_account_ref=_payee(a), documents=_documents(a),
        death_date=died, former_insurer_pays=funeral and d.get("former_insurance") == "yes",
        applicant_name=name, applicant_postal_code=postal, applicant_address=address,
        fiscal_year=fy if relief else 0, ground=ReliefGround(str(d["ground"])) if relief else None,
        months_requested=int(d.get("months") or 0) if a.kind == Kind.PREMIUM_DEFERRAL else 0,
        copay_paid_on=_date(d, "copay_paid_on") if a.kind == Kind.HIGH_COST else None,
        prior_income=_yen(d, "prior_income") if relief else 0,
        expected_income=_yen(d, "expected_income") if relief else 0,
        damage_amount=_yen(d, "damage_amount") if relief else 0,
        insurance_amount=_yen(d, "insurance_amount") if relief else 0,
        property_value=_yen(d, "property_value") if relief else 0,
        damage_percent=relief_damage_percent(d) if relief else 0,
        relief_evidence=evidence_flags({_EVIDENCE[c] for c in a.documents if c in _EVIDENCE} if relief
                                       else set()),
        inpatient_days=int(d.get("inpatient_days") or 0) if a.kind == Kind.LONG_STAY else 0,
        disease=_DISEASES.get(str(d.get("disease"))) if a.kind == Kind.SPECIFIED_DISEASE else None,
        period_end_year=int(d.get("period_end_year") or 0) if a.kind == Kind.HIGH_COST_COMBINED else 0,
        other_insurer=bool(d.get("other_insurer")) if a.kind == Kind.HIGH_COST_COMBINED else False,
    )  # fmt: skip


def _payee(a: Application) -> str:
    """The account reference, only where something may be paid (not 減免・猶予, 限度額, 特定疾病; a 長期入院
    only with a 食事差額)."""
    if a.kind in RELIEF_KINDS or a.kind in CERTIFICATES:
        return ""
    if a.kind == Kind.LONG_STAY and not a.details.get("meal_difference"):
        return ""
    return payee_account_ref(a)


def _yen(details: Mapping[str, object], name: str) -> int:
    value = details.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def payee_account_ref(a: Application) -> str:
    """The account as the union knows it: the registered 高額療養費 account `BA<id>`; otherwise the
    account written on the application form, kept with the papers: `AP<受付番号>`."""
    if a.bank_account_id is not None:
        return f"BA{a.bank_account_id}"
    return f"AP{union_reception_no(a)}"


def medical_expense_record(a: Application, *, municipality_code: str, addressee_no: str, insured_no: str,
                           report_month: str) -> MedicalExpenseInfoRecord:  # fmt: skip
    kind = union_kind(a.kind)
    if a.kind not in MEDICAL_KINDS or kind is None:
        raise NotSendable("療養費の申請ではありません")
    d = a.details
    care_from, care_to = _date(d, "care_from"), _date(d, "care_to")
    days = int(d.get("care_days") or 0)
    if care_from is None or care_to is None or days <= 0:
        raise NotSendable("療養期間・実日数の記載がありません")
    return MedicalExpenseInfoRecord(
        municipality_code=municipality_code, reception_no=union_reception_no(a), kind=kind,
        addressee_no=addressee_no, insured_no=insured_no, report_month=report_month, care_from=care_from,
        care_to=care_to, days=days, provider_name=str(d.get("provider", ""))[:80],
        abroad=a.kind == Kind.MEDICAL_ABROAD, paid_on=_right_date(a), paid_amount=_amount(a),
    )  # fmt: skip
