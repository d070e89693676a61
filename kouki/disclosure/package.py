"""The disclosure package's data: every item the city holds about the person in this work, read through
each app's selectors (issue 15 §3), with third parties masked.

Sections: identity (本人の宛名の履歴), household (other members' names and birth dates masked), the
personal number (registered or not: the number itself is not printed — ADR 0006, helper disclosure15),
eligibility, premiums, instalments, payments, applications, notifications, certificates, who referred
to the number and why, the transfers and the 情報提供等記録. Staff appear by office (default) or by name
(KOUKI_DISCLOSURE_STAFF_SHOWN=name).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kouki.addressees.selectors import household_as_of, person_current, person_history
from kouki.applications.selectors import application_list
from kouki.assessment.selectors import assessments_of
from kouki.certificates.selectors import certificate_issues_of
from kouki.collection.models import Channel as PaymentChannel
from kouki.collection.selectors import instalment_statuses, receipts_of
from kouki.collection.web_selectors import fiscal_years_of
from kouki.core.config import city_config, disclosure_config
from kouki.disclosure.models import DisclosureRequest
from kouki.documents.data import sender_for
from kouki.documents.disclosure_package import MASKED, DisclosurePackageData, PackageSection
from kouki.eligibility.selectors import insured_periods_of
from kouki.inquiries.selectors import provision_records_of
from kouki.notifications.selectors import notification_list
from kouki.privacy.audit_search import number_seen_by
from kouki.rules.disclosure_fees import DisclosureMethod
from kouki.rules.formatting import yen
from kouki.rules.union_codes import ACQUISITION_LABELS, LOSS_LABELS, reason_label
from kouki.rules.wareki import format_wareki, wareki_year
from kouki.transfers.selectors import transfers_of_person

WITHHELD = "（不開示情報のため非開示）"
NUMBER_NOTE = "個人番号そのものは記載していません（ご本人の個人番号カード等でご確認ください）"


def _d(day: date | None) -> str:
    return format_wareki(day) if day else ""


def _dt(at: object) -> str:
    local = timezone.localtime(at)  # type: ignore[arg-type]
    return f"{format_wareki(local.date())} {local:%H:%M}"


def identity(person_id: int) -> PackageSection:
    rows = tuple(
        (
            _d(v.valid_from),
            _d(v.valid_to),
            f"{v.family_name}\u3000{v.given_name}",
            f"{v.family_name_kana}\u3000{v.given_name_kana}",
            _d(v.birth_date),
            v.get_sex_display(),
            v.address,
            "訂正により失効" if v.superseded_at else ("現在" if v.is_current else ""),
        )
        for v in person_history(person_id)
    )
    return PackageSection(
        "本人の宛名情報(履歴)",
        ("有効開始", "有効終了", "氏名", "カナ", "生年月日", "性別", "住所", "備考"),
        (13, 13, 14, 16, 13, 6, 38, 12),
        rows,
    )


def household(person_id: int) -> PackageSection:
    rows: list[tuple[str, ...]] = []
    seen: set[tuple[int, date]] = set()
    for v in person_history(person_id):
        if v.household_id is None or v.superseded_at or (v.household_id, v.valid_from) in seen:
            continue
        seen.add((v.household_id, v.valid_from))
        state = household_as_of(v.household_id, v.valid_from)
        for m in state.members:
            own = m.person_id == person_id
            rows.append(
                (
                    _d(v.valid_from),
                    state.household.household_no,
                    "本人" if own else "世帯員",
                    m.relationship,
                    f"{m.family_name}\u3000{m.given_name}" if own else MASKED,
                    _d(m.birth_date) if own else MASKED,
                    "世帯主" if m.is_householder else "",
                )
            )
    return PackageSection(
        "世帯の履歴",
        ("時点", "世帯番号", "区分", "続柄", "氏名", "生年月日", "世帯主"),
        (13, 15, 8, 10, 24, 24, 8),
        tuple(rows),
        note="他の世帯員の氏名・生年月日は第三者の個人情報のため非開示としています",
    )


def personal_number(person_id: int) -> PackageSection:
    """Not even whether a number is held: the package is prepared and handed over by counter clerks, who
    see nothing of personal numbers (SEC-07); the number is disclosed by a number clerk on its own."""
    return PackageSection(
        "個人番号", ("項目", "内容"), (30, 70),
        (("個人番号", "個人番号取扱担当が本人確認のうえ別途開示します(この文書には記載しません)"),),
        note=NUMBER_NOTE,
    )


def eligibility(person_id: int) -> PackageSection:
    rows = tuple(
        (
            p.insured_no,
            _d(p.acquired_on),
            reason_label(ACQUISITION_LABELS, p.acquisition_reason),
            _d(p.lost_on),
            reason_label(LOSS_LABELS, p.loss_reason),
            f"{p.copay_rate // 10}割",
            _d(p.decided_on),
        )
        for p in insured_periods_of(person_id)
    )
    return PackageSection(
        "被保険者資格",
        ("被保険者番号", "資格取得日", "取得事由", "資格喪失日", "喪失事由", "負担割合", "決定日"),
        (16, 15, 10, 15, 10, 10, 15),
        rows,
    )


def premiums(person_id: int) -> PackageSection:
    rows = tuple(
        (
            wareki_year(a.fiscal_year),
            a.get_kind_display(),
            _d(a.assessed_on),
            yen(a.per_capita_levy),
            yen(a.income_levy),
            yen(a.annual_premium),
            "更正により失効" if a.superseded_at else "",
        )
        for a in assessments_of(person_id).order_by("fiscal_year", "recorded_at")
    )
    return PackageSection(
        "保険料(賦課)",
        ("年度", "賦課区分", "賦課決定日", "均等割額", "所得割額", "保険料額", "備考"),
        (12, 14, 15, 14, 14, 15, 14),
        rows,
    )


def instalments(person_id: int) -> PackageSection:
    rows = tuple(
        (
            wareki_year(fy),
            f"第{s.period}期 {s.month}",
            _d(s.due_date),
            yen(s.charged),
            yen(s.paid + s.set_off),
            yen(s.written_off),
            yen(s.unpaid),
        )
        for fy in sorted(fiscal_years_of(person_id))
        for s in instalment_statuses(person_id, fy)
    )
    return PackageSection(
        "期割・納付状況",
        ("年度", "期", "納期限", "調定額", "納付・充当", "不納欠損", "未納"),
        (12, 16, 16, 14, 14, 14, 14),
        rows,
    )


def _channel(code: str) -> str:
    try:
        return PaymentChannel(code).label
    except ValueError:
        return code


def payments(person_id: int) -> PackageSection:
    rows = tuple(
        (
            _d(r.paid_on),
            wareki_year(r.fiscal_year),
            f"第{r.period}期" if r.period else "",
            _channel(r.channel),
            yen(r.amount),
        )
        for r in receipts_of(person_id)
    )
    return PackageSection(
        "収納(納付)の記録", ("納付日", "年度", "期", "納付方法", "金額"), (20, 15, 15, 30, 20), rows
    )


def applications(person_id: int) -> PackageSection:
    rows = tuple(
        (
            a.application_no,
            a.get_kind_display(),
            _d(a.received_on),
            a.get_applicant_display(),
            a.get_status_display(),
        )
        for a in application_list(person_id=person_id).order_by("received_on", "pk")
    )
    return PackageSection(
        "申請", ("受付番号", "申請の種類", "受付日", "申請者", "状態"), (18, 32, 16, 14, 20), rows
    )


def notifications(person_id: int) -> PackageSection:
    rows = tuple(
        (
            n.notification_no or "",
            n.get_notification_type_display(),
            _d(n.effective_date),
            _d(n.received_on),
            n.get_applicant_display(),
            n.get_status_display(),
        )
        for n in notification_list(person_id=person_id).order_by("received_on", "pk")
    )
    return PackageSection(
        "届出",
        ("届出番号", "届出の種類", "異動日", "受付日", "届出人", "状態"),
        (14, 30, 15, 15, 12, 14),
        rows,
    )


def certificates(person_id: int) -> PackageSection:
    rows = tuple(
        (
            i.get_kind_display(),
            i.insured_no,
            _d(i.issued_on),
            _d(i.valid_from),
            _d(i.valid_until),
            i.get_status_display(),
        )
        for i in certificate_issues_of(person_id)
    )
    return PackageSection(
        "資格確認書等の交付",
        ("種別", "被保険者番号", "交付日", "発効期日", "有効期限", "状態"),
        (22, 16, 15, 15, 15, 17),
        rows,
    )


def _staff(office: str, name: str) -> str:
    if disclosure_config().staff_shown == "name":
        return f"{name}({office})" if office else name
    return office or "担当課"


def number_references(person_id: int) -> PackageSection:
    rows = tuple(
        (_dt(r.at), _staff(r.office, r.staff_name), r.kind, r.screen, r.purpose)
        for r in reversed(number_seen_by(person_id))  # oldest first
    )
    shown = (
        "職員の氏名"
        if disclosure_config().staff_shown == "name"
        else "職員の所属(個々の職員名は記載しません)"
    )
    return PackageSection(
        "個人番号の参照記録(誰が・なぜ)",
        ("日時", "参照した者", "種別", "画面", "参照理由"),
        (18, 22, 10, 20, 30),
        rows,
        note=f"参照した者: {shown}",
    )


def transfers(person_id: int) -> PackageSection:
    rows = tuple(
        (
            _dt(t.executed_at),
            t.code,
            t.recipient,
            t.purpose,
            t.items,
            t.method,
        )
        for t in reversed(transfers_of_person(person_id))  # oldest first, as every section
    )
    return PackageSection(
        "特定個人情報の移転(庁内)",
        ("日時", "移転番号", "移転先", "目的", "移転した項目", "方法"),
        (17, 9, 18, 26, 18, 12),
        rows,
    )


def provision_records(person_id: int) -> PackageSection:
    rows = tuple(
        (
            _dt(r.requested_at),
            _dt(r.provided_at) if r.provided_at else "",
            r.inquirer,
            r.provider,
            WITHHELD if r.nondisclosure else r.item,
            r.status,
        )
        for r in provision_records_of(person_id)
    )
    return PackageSection(
        "情報提供等記録(番号法第23条)",
        ("照会日時", "提供日時", "照会者", "提供者", "特定個人情報", "状態"),
        (17, 17, 18, 18, 20, 10),
        rows,
    )


SECTIONS = (
    identity,
    household,
    personal_number,
    eligibility,
    premiums,
    instalments,
    payments,
    applications,
    notifications,
    certificates,
    number_references,
    transfers,
    provision_records,
)


def package_data(request: DisclosureRequest, issued_on: date) -> DisclosurePackageData:
    person_id = request.person_id
    current = person_current(person_id)
    assert current is not None
    city, config = city_config(), disclosure_config()
    return DisclosurePackageData(
        request_no=request.request_no,
        person_name=f"{current.family_name}\u3000{current.given_name}",
        addressee_no=request.person.addressee_no,
        received_on=request.received_on,
        decision=request.get_decision_display(),
        decision_reason=request.decision_reason or "",
        method=DisclosureMethod(request.method or DisclosureMethod.VIEW),
        fee_per_page=config.copy_fee_yen,
        issued_on=issued_on,
        issuer=city.issuer,
        office=sender_for(current.address).office,
        sections=tuple(section(person_id) for section in SECTIONS),
    )
