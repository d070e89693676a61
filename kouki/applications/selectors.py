"""Reads of counter applications for the screens, the 受付票 and the person's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from kouki.addressees.selectors import person_current
from kouki.applications.models import Application, ApplicationStep
from kouki.assessment.models import InstalmentMethod
from kouki.collection.selectors import instalment_statuses
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, ids_per_key
from kouki.documents.application_receipt import ApplicationReceiptData
from kouki.documents.data import default_issuer, sender_for
from kouki.interfaces.benefit_notices import RELIEF_RESULTS
from kouki.rules.applications import (
    APPLICANT_LABELS,
    PREMIUM_KINDS,
    Applicant,
    FieldType,
    detail_date,
    requirements_of,
    spec_of,
)
from kouki.rules.benefits.codes import RESULT_LABELS, DecisionResult
from kouki.rules.formatting import yen
from kouki.rules.wareki import fiscal_year, format_wareki, wareki_year


@dataclass(frozen=True)
class InstalmentOption:
    """One instalment a 減免 or 猶予 may be applied to, as the counter sees it."""

    instalment_id: int
    fiscal_year: int
    label: str  # 令和8年度 普通徴収 第3期
    due_date: date
    charged: int
    unpaid: int

    def as_json(self) -> dict[str, object]:
        return {"id": self.instalment_id, "label": self.label, "due_date": self.due_date.isoformat(),
                "charged": self.charged, "unpaid": self.unpaid}  # fmt: skip


def instalment_options(person_id: int, on: date) -> list[InstalmentOption]:
    """The instalments of the plans in force for the fiscal year of `on` and the one before."""
    fy = fiscal_year(on)
    out = []
    for year in (fy - 1, fy):
        for s in instalment_statuses(person_id, year):
            method = InstalmentMethod(s.method).label if s.method in InstalmentMethod.values else s.method
            label = f"{wareki_year(year)} {method} 第{s.period}期"
            out.append(InstalmentOption(s.instalment_id, year, label, s.due_date, s.charged, s.unpaid))
    return out


def application_list(
    *, status: str = "", person_id: int | None = None, kind: str = ""
) -> QuerySet[Application]:
    qs = Application.objects.select_related("person", "received_by", "confirmed_by")
    if status:
        qs = qs.filter(status=status)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-received_on", "-pk")


def decision_label(a: Application) -> str:
    """The union's decision as the screen shows it: 「支給 50,000円(令和8年12月5日決定)」; "" before one."""
    if not a.decision_result:
        return ""
    result = DecisionResult(a.decision_result)
    label = (RELIEF_RESULTS if a.kind in PREMIUM_KINDS else RESULT_LABELS)[result]
    amount = f" {yen(a.decision_amount or 0)}円" if a.decision_amount else ""
    return f"{label}{amount}({format_wareki(a.decided_on)}決定)" if a.decided_on else label


def application_get(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("person", "received_by", "confirmed_by")
        .filter(pk=application_id)
        .first()
    )


def application_steps(application_id: int) -> list[ApplicationStep]:
    return list(ApplicationStep.objects.filter(application_id=application_id).select_related("actor"))


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's applications as audit rows name them (for the history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.APPLICATION: Application.objects.filter(person_id=person_id)}


def detail_lines(a: Application) -> list[tuple[str, str]]:
    """The application's details as (label, text), in the order of the kind's schema, dates in 和暦."""
    lines = []
    for f in spec_of(a.kind).details:
        value = a.details.get(f.name)
        if value is None or value == "":
            continue
        if f.type == FieldType.DATE:
            d = detail_date(a.details, f.name)
            text = format_wareki(d) if d else ""
        elif f.type == FieldType.YEN:
            text = yen(int(str(value)))
        elif f.type == FieldType.FLAG:
            if not value:
                continue
            text = "はい"
        elif f.type == FieldType.CHOICE:
            text = dict(f.choices).get(str(value), str(value))
        else:
            text = str(value)
        lines.append((f.label, text))
    return lines


def instalment_lines(a: Application) -> list[tuple[str, date, int, int]]:
    """The applied instalments as recorded at the counter: (label, due date, charged, unpaid)."""
    return [(str(i["label"]), date.fromisoformat(str(i["due_date"])), int(str(i["charged"])),
             int(str(i["unpaid"]))) for i in a.instalments]  # fmt: skip


def document_lines(a: Application) -> list[tuple[str, bool]]:
    """Each requirement of the checklist and whether it was presented."""
    presented = set(a.documents)
    return [(r.label, any(d.code in presented for d in r.alternatives))
            for r in requirements_of(a.kind, a.details)]  # fmt: skip


def receipt_data(a: Application) -> ApplicationReceiptData:
    """The 受付票(控え) of one application: no personal number, the person by 宛名番号 and name."""
    current = person_current(a.person_id)
    name = f"{current.family_name} {current.given_name}" if current else ""
    spec = spec_of(a.kind)
    applicant = APPLICANT_LABELS[Applicant(a.applicant)]
    if a.applicant == Applicant.AGENT:
        applicant = f"{applicant} {a.agent_name}(本人との関係: {a.agent_relationship})"
    elif a.applicant == Applicant.MOURNER:
        applicant = f"{applicant} {a.details.get('mourner_name', '')}"
    return ApplicationReceiptData(
        application_no=a.application_no,
        kind_label=spec.label,
        addressee_no=a.person.addressee_no,
        name=name,
        applicant=applicant,
        received_on=a.received_on,
        details=tuple(detail_lines(a)),
        documents=tuple(document_lines(a)),
        instalments=tuple(str(i.get("label", "")) for i in a.instalments),
        time_limit_last_day=a.time_limit_last_day,
        note=spec.note,
        received_by=a.received_by.staff_name or a.received_by.username,
        office=sender_for(current.address).office if current else sender_for("").office,
        issuer=default_issuer(),
    )
