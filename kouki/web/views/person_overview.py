"""宛名詳細's sections: what the counter asks about one person, read through each app's selectors.

Each section is shown only to a user who may open the screen it links to (SECTION_PERMISSIONS is taken
from those screens' access declarations), and its data is read only when it is shown. The history lists
the audit rows naming the person or one of the person's records, as Japanese labels
(kouki.core.audit_vocabulary); rows about the personal number only where the screen may show numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.addressees import selectors as addressee_selectors
from kouki.applications import selectors as application_selectors
from kouki.arrears import selectors as arrears_selectors
from kouki.arrears.models import ContactChannel
from kouki.assessment import selectors as assessment_selectors
from kouki.banking import selectors as banking_selectors
from kouki.certificates.models import IssueStatus
from kouki.certificates.selectors import certificate_issues_of
from kouki.collection import selectors as collection_selectors
from kouki.collection import web_selectors
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import AuditRecordSets, ids_per_key
from kouki.documents.drawing import COPAY_LABELS
from kouki.eligibility import selectors as eligibility_selectors
from kouki.notifications import selectors as notification_selectors
from kouki.privacy.selectors import audit_trail
from kouki.rules.copayment import CopayBasis
from kouki.rules.union_codes import ACQUISITION_LABELS, LOSS_LABELS, reason_label
from kouki.rules.wareki import wareki_year
from kouki.slips import selectors as slip_selectors
from kouki.web.access import declaration_of
from kouki.web.views import applications, arrears, certificates, collection, notifications
from kouki.web.views.arrears import pledge_label
from kouki.web.views.collection import instalment_label

HISTORY_LIMIT = 100
NOTIFICATION_LIMIT = 10


class Section(StrEnum):
    ELIGIBILITY = "eligibility"
    CERTIFICATES = "certificates"
    PREMIUM = "premium"
    COLLECTION = "collection"
    ARREARS = "arrears"
    NOTIFICATIONS = "notifications"
    APPLICATIONS = "applications"
    HISTORY = "history"


def _permission_of(view: Callable[..., Any]) -> Perm:
    decl = declaration_of(view)
    assert decl is not None and decl.permission is not None
    return decl.permission


# Who sees a section: whoever may open the screen it links to (the person page itself for those without).
SECTION_PERMISSIONS: dict[Section, Perm] = {
    Section.ELIGIBILITY: Perm.VIEW_PERSON,
    Section.CERTIFICATES: _permission_of(certificates.certificate_list_view),
    Section.PREMIUM: _permission_of(collection.collection_ledger_view),
    Section.COLLECTION: _permission_of(collection.collection_ledger_view),
    Section.ARREARS: _permission_of(arrears.arrears_detail_view),
    Section.NOTIFICATIONS: _permission_of(notifications.notification_list_view),
    Section.APPLICATIONS: _permission_of(applications.application_list_view),
    Section.HISTORY: Perm.VIEW_PERSON,
}

# the income class a rate stands for, in the words of kouki.rules.copayment (domain-facts §2); a 1割 by
# 基準収入額適用 is not told apart here: the union's file carries the rate, not the test that gave it
COPAY_CLASSES: dict[int, str] = {30: CopayBasis.ACTIVE_LEVEL.value, 20: CopayBasis.ABOVE_CERTAIN.value,
                                 10: CopayBasis.GENERAL.value}

NUMBER_ACTIONS = frozenset(a for a in AuditAction if a.name.startswith("PERSONAL_NUMBER_"))


def visible_sections(user: StaffUser | None) -> frozenset[Section]:
    if user is None:
        return frozenset()
    return frozenset(s for s, perm in SECTION_PERMISSIONS.items() if user.has_kouki_perm(perm))


@dataclass(frozen=True)
class PeriodRow:
    insured_no: str
    acquired_on: date
    acquisition: str
    lost_on: date | None
    loss: str
    copay: str  # 「1割」
    copay_class: str
    copay_from: date
    decided_on: date
    address_exception: bool
    in_force: bool  # on the page's date


def _label(labels: dict[str, str], code: str) -> str:
    return reason_label(labels, code)


def eligibility(person_id: int, on: date) -> dict[str, Any]:
    current = eligibility_selectors.insured_period_on(person_id, on)
    rows = [
        PeriodRow(p.insured_no, p.acquired_on, _label(ACQUISITION_LABELS, p.acquisition_reason), p.lost_on,
                  _label(LOSS_LABELS, p.loss_reason), COPAY_LABELS.get(p.copay_rate, f"{p.copay_rate}%"),
                  COPAY_CLASSES.get(p.copay_rate, ""), p.copay_from, p.decided_on, p.address_exception,
                  current is not None and p.pk == current.pk)
        for p in eligibility_selectors.insured_periods_of(person_id)
    ]  # fmt: skip
    return {"periods": list(reversed(rows)), "current": next((r for r in rows if r.in_force), None),
            "exceptions": eligibility_selectors.address_exceptions_of(person_id)}


def certificates_of(person_id: int, on: date) -> dict[str, Any]:
    issues = certificate_issues_of(person_id)
    valid = [i for i in issues if i.status != IssueStatus.REISSUED and i.valid_from <= on <= i.valid_until]
    return {"issues": issues, "valid": valid}


@dataclass(frozen=True)
class PremiumYear:
    fiscal_year: int
    label: str  # 令和7年度
    assessment: Any  # the Assessment in force (None when every one was superseded)
    changes: int  # 更正 received after the first assessment
    notices: list[tuple[str, datetime]]  # (通知の種類, when the plan it tells of was made)


def premium(person_id: int) -> list[PremiumYear]:
    by_year: dict[int, list[Any]] = {}
    for a in assessment_selectors.assessments_of(person_id):
        by_year.setdefault(a.fiscal_year, []).append(a)
    plans: dict[int, list[tuple[str, datetime]]] = {}
    for p in assessment_selectors.instalment_plans_of(person_id):
        kind = "保険料額変更通知書" if p.replaces_id is not None else "保険料額決定通知書"
        plans.setdefault(p.fiscal_year, []).append((kind, p.created_at))
    return [
        PremiumYear(fy, wareki_year(fy), next((a for a in rows if a.superseded_at is None), None),
                    len(rows) - 1, plans.get(fy, []))
        for fy, rows in sorted(by_year.items(), reverse=True)
    ]  # fmt: skip


@dataclass(frozen=True)
class InstalmentRow:
    label: str
    due_date: date
    charged: int
    paid: int  # 収納 and 充当
    written_off: int
    unpaid: int
    state: str  # 完納 / 一部納付 / 未納 / 納期前 / 不納欠損


def _state(charged: int, paid: int, written_off: int, unpaid: int, due: date, today: date) -> str:
    if unpaid == 0:
        return "不納欠損" if written_off > 0 else ("完納" if charged > 0 else "調定なし")
    if due >= today:
        return "納期前"
    return "一部納付" if paid > 0 else "未納"


@dataclass(frozen=True)
class CollectionYear:
    fiscal_year: int
    label: str
    ledger: Any  # kouki.rules.collection.Ledger
    instalments: list[InstalmentRow]


def collection_years(person_id: int, today: date) -> list[CollectionYear]:
    out = []
    for fy in web_selectors.fiscal_years_of(person_id):
        statuses = collection_selectors.instalment_statuses(person_id, fy)
        rows = [
            InstalmentRow(instalment_label(s), s.due_date, s.charged, s.paid + s.set_off, s.written_off,
                          s.unpaid, _state(s.charged, s.paid + s.set_off, s.written_off, s.unpaid,
                                           s.due_date, today))
            for s in statuses
        ]  # fmt: skip
        book = collection_selectors.ledger(person_id, fy, statuses)
        out.append(CollectionYear(fy, wareki_year(fy), book, rows))
    return out


# Actors that are not a member of staff: rows written before batches ran as a named user (``system:…``),
# the installation before any account existed (``setup:…``), a simulated counterpart (``counterpart:…``).
_UNNAMED_ACTORS = (("system:", "システム処理"), ("setup:", "導入作業"), ("counterpart:", "連携先(模擬)"))


def _who(username: str, names: dict[str, str]) -> str:
    """A member of staff by name; an actor that is no member of staff by what it was; else the username."""
    if username in names:
        return names[username]
    return next((label for prefix, label in _UNNAMED_ACTORS if username.startswith(prefix)), username)


def arrears_of(person_id: int, today: date) -> dict[str, Any]:
    row = next(iter(arrears_selectors.arrears_list(today, person_ids=[person_id])), None)
    contacts = list(reversed(arrears_selectors.contacts_of(person_id)))
    names = web_selectors.staff_names(c.staff for c in contacts)
    return {
        "row": row,
        "reminders": list(reversed(arrears_selectors.reminders_of(person_id))),
        "contacts": [(c, ContactChannel(c.channel).label, _who(c.staff, names)) for c in contacts],
        "pledges": [(p, pledge_label(p.status)) for p in reversed(arrears_selectors.pledges_of(person_id))],
    }


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    target: str
    who: str


def _action_label(value: str) -> str:
    try:
        return AuditAction(value).label
    except ValueError:
        return "その他の操作"


def _target_label(value: str) -> str:
    try:
        return AuditTarget(value).label
    except ValueError:
        return ""


def history(person_id: int, sections: frozenset[Section], *, with_numbers: bool) -> list[HistoryRow]:
    """The audit rows about the person and about the records of the sections shown, newest first."""
    sets = addressee_selectors.audit_record_sets(person_id)
    readers: dict[Section, list[Callable[[int], AuditRecordSets]]] = {
        Section.ELIGIBILITY: [eligibility_selectors.audit_record_sets],
        Section.PREMIUM: [assessment_selectors.audit_record_sets],
        Section.COLLECTION: [collection_selectors.audit_record_sets, slip_selectors.audit_record_sets,
                             banking_selectors.audit_record_sets],
        Section.ARREARS: [arrears_selectors.audit_record_sets],
        Section.NOTIFICATIONS: [notification_selectors.audit_record_sets],
        Section.APPLICATIONS: [application_selectors.audit_record_sets],
    }
    for section, reads in readers.items():
        if section in sections:
            for read in reads:
                sets.update(read(person_id))
    targets = ids_per_key(sets)  # every app's records in one query
    if not with_numbers:
        targets.pop(AuditTarget.PERSON, None)
    rows = audit_trail(targets, without=() if with_numbers else NUMBER_ACTIONS, limit=HISTORY_LIMIT)
    names = web_selectors.staff_names(r.actor for r in rows)
    return [HistoryRow(r.at, _action_label(r.action), _target_label(r.target_type), _who(r.actor, names))
            for r in rows]


def overview(person_id: int, user: StaffUser | None, *, on: date, today: date,
             with_numbers: bool) -> dict[str, Any]:
    """The context of every section the user may see (the others are absent, not empty)."""
    sections = visible_sections(user)
    out: dict[str, Any] = {"sections": {s.value for s in sections}}
    if Section.ELIGIBILITY in sections:
        out["eligibility"] = eligibility(person_id, on)
    if Section.CERTIFICATES in sections:
        out["certificates"] = certificates_of(person_id, today)
    if Section.PREMIUM in sections:
        out["premium"] = premium(person_id)
    if Section.COLLECTION in sections:
        out["collection"] = collection_years(person_id, today)
    if Section.ARREARS in sections:
        out["arrears"] = arrears_of(person_id, today)
    if Section.NOTIFICATIONS in sections:
        out["notifications"] = list(notification_selectors.notification_list(person_id=person_id)
                                    [:NOTIFICATION_LIMIT])
    if Section.APPLICATIONS in sections:
        out["applications"] = list(application_selectors.application_list(person_id=person_id)
                                   [:NOTIFICATION_LIMIT])
    if Section.HISTORY in sections:
        out["person_history"] = history(person_id, sections, with_numbers=with_numbers)
        out["history_limit"] = HISTORY_LIMIT
    return out
