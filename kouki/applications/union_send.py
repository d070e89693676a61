"""Sending applications to the union (issue 12 §2): 申請情報 daily, 療養費関連情報 monthly.

Both go through kouki.core.outbox as the other union files do (kouki.arrears.union_files): the file is
written whole under a temporary name, renamed, and only then do its OutboundFile row
(kouki.eligibility.outbound.union_file_send: one per kind and day, its own audit row) and the marks on
the applications (status 送付済, the file's name, a step each, the batch's audit rows —
kouki.applications.batch_marks) commit, together. A day (a month) already written is not written again.
Set-wise: the applications, the register (current versions, death dates), the 宛名番号 and 被保険者番号
are each read once per file, not once per application.

- 申請情報 for day D: every 再鑑済 application of a kind the union decides, confirmed on or before D and
  not yet sent. Kinds without a 申請種別 in the codec are counted (`no_union_kind`) and left 再鑑済;
  an application that cannot be written (no 被保険者番号, no 死亡日 …) or whose record the union's own
  validation would refuse (`refused_records`: the records are read back before the file is written) is
  held: left out, left 再鑑済, counted with its reason and named in `held` — so one bad application
  never makes the union reject the whole day's file.
- 療養費関連情報 for month M: the 療養費 applications whose 申請情報 was sent during M and that have no
  療養費関連情報 yet; one without its care period is counted (`without_care_period`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import addressee_numbers
from kouki.applications.batch_marks import CHUNK, Marked, audit_applications, steps_append
from kouki.applications.models import Application, Status, StepAction
from kouki.applications.union_records import (
    MEDICAL_KINDS,
    UNION_KINDS,
    NotSendable,
    application_info_record,
    medical_expense_record,
    register_facts,
    union_reception_no,
)
from kouki.core.audit_vocabulary import AuditAction
from kouki.core.config import municipality_code
from kouki.core.db import InValues, chunked
from kouki.core.outbox import outgoing_files
from kouki.eligibility.outbound import SentFile, union_file_send
from kouki.eligibility.selectors import latest_insured_numbers, outbound_files
from kouki.interfaces.union.application_info import (
    ApplicationInfoRecord,
    dump_application_info,
    refused_records,
)
from kouki.interfaces.union.medical_expense_info import MedicalExpenseInfoRecord, dump_medical_expense_info
from kouki.notifications.counter import staff_with
from kouki.privacy.context import Actor
from kouki.rules.wareki import format_wareki, wareki_month

APPLICATION_INFO = "application-info"
MEDICAL_EXPENSE_INFO = "medical-expense-info"


@dataclass
class SendResult:
    on: date
    sent: SentFile | None = None
    already_sent: bool = False
    no_union_kind: int = 0  # confirmed applications of kinds the codec has no 申請種別 for
    not_sendable: Counter[str] = field(default_factory=Counter)  # reason → count
    # applications left out and still 再鑑済, each named: (受付番号, field, reason) — those that cannot be
    # written as a record and those the union's validation would refuse (one bad record never makes
    # the union reject the whole day's file)
    held: list[tuple[str, str, str]] = field(default_factory=list)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _who(person_ids: set[int]) -> tuple[dict[int, str], dict[int, str]]:
    return addressee_numbers(person_ids), latest_insured_numbers(person_ids)


def _mark_all(actor: Actor, marked: list[Marked], file: str, **values: object) -> None:
    """Set `values` on the applications, add a step (SENT, with its note) each and the batch's audit rows
    (kouki.applications.batch_marks: one per application for a few, else one per chunk naming them)."""
    for ids in chunked([pk for pk, _, _ in marked], CHUNK):
        Application.objects.filter(InValues("pk", ids)).update(**values)
    steps_append(actor, StepAction.SENT, timezone.now(), marked)
    audit_applications(actor, AuditAction.APPLICATION_SEND, marked, common={"file": file})


# what the records read of an application (the JSON columns they do not need stay undecoded)
RECORD_FIELDS = ("pk", "application_no", "fiscal_year", "serial", "kind", "person_id", "received_on",
                 "details", "documents", "authority_documents", "instalments", "bank_account_id")  # fmt: skip


def applications_send(*, actor: Actor, on: date, outbox: Path) -> SendResult:
    """Write the 申請情報 of day `on` (once per day) and mark its applications 送付済."""
    staff_with(actor, Perm.IMPORT_FILES, "申請情報の送付")
    result = SendResult(on=on)
    if outbound_files(on).filter(kind=APPLICATION_INFO).exists():
        result.already_sent = True
        return result
    waiting = Application.objects.filter(status=Status.CONFIRMED, sent_on__isnull=True,
                                         confirmed_at__lt=_end_of(on))  # fmt: skip
    kinds = [k.value for k in UNION_KINDS]
    result.no_union_kind = waiting.exclude(kind__in=kinds).count()
    code = municipality_code()
    with outgoing_files() as out:
        rows = list(waiting.filter(kind__in=kinds).select_for_update().only(*RECORD_FIELDS)
                    .order_by("fiscal_year", "serial"))  # fmt: skip
        addressees, insured = _who({a.person_id for a in rows})
        register = register_facts({a.person_id for a in rows})
        records: list[ApplicationInfoRecord] = []
        taken: list[Application] = []
        for a in rows:
            if a.person_id not in insured:
                result.not_sendable["被保険者番号がありません"] += 1
                result.held.append((a.application_no, "insured_no", "被保険者番号がありません"))
                continue
            try:
                records.append(application_info_record(
                    a, municipality_code=code, addressee_no=addressees[a.person_id],
                    insured_no=insured[a.person_id], register=register,
                ))  # fmt: skip
            except NotSendable as exc:
                result.not_sendable[exc.reason] += 1
                result.held.append((a.application_no, "", exc.reason))
                continue
            taken.append(a)
        refused = refused_records(records, created_on=on, municipality_code=code)
        for index, (name, reason) in sorted(refused.items()):
            result.not_sendable["広域連合の検査で受け付けられない内容"] += 1
            result.held.append((taken[index].application_no, name, reason))
        records = [r for i, r in enumerate(records) if i not in refused]
        taken = [a for i, a in enumerate(taken) if i not in refused]
        data = dump_application_info(records, created_on=on, municipality_code=code)
        result.sent = union_file_send(out, actor=actor, kind=APPLICATION_INFO, on=on, outbox=outbox,
                                      data=data, count=len(records))  # fmt: skip
        name = result.sent.path.name
        note = f"申請情報({format_wareki(on)}送付分)"
        marked: list[Marked] = [(a.pk, note, {"no": a.application_no, "reception_no": union_reception_no(a)})
                                for a in taken]  # fmt: skip
        _mark_all(actor, marked, name, status=Status.SENT, sent_file=name, sent_on=on)
    return result


@dataclass
class MedicalExpenseResult:
    month: date  # its first day
    sent: SentFile | None = None
    already_sent: bool = False
    without_care_period: int = 0
    not_sendable: Counter[str] = field(default_factory=Counter)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def medical_expenses_send(*, actor: Actor, month: date, outbox: Path) -> MedicalExpenseResult:
    """Write the 療養費関連情報 of `month` (once per month: the file is dated the month's last day)."""
    staff_with(actor, Perm.IMPORT_FILES, "療養費関連情報の送付")
    first = month.replace(day=1)
    last = _month_end(first)
    result = MedicalExpenseResult(month=first)
    if outbound_files(last).filter(kind=MEDICAL_EXPENSE_INFO).exists():
        result.already_sent = True
        return result
    code = municipality_code()
    with outgoing_files() as out:
        rows = list(
            Application.objects.filter(kind__in=[k.value for k in MEDICAL_KINDS], sent_on__gte=first,
                                       sent_on__lte=last, medical_file="")
            .filter(~Q(status=Status.WITHDRAWN)).select_for_update().only(*RECORD_FIELDS)
            .order_by("fiscal_year", "serial")
        )  # fmt: skip
        addressees, insured = _who({a.person_id for a in rows})
        records: list[MedicalExpenseInfoRecord] = []
        taken: list[Application] = []
        for a in rows:
            try:
                records.append(medical_expense_record(
                    a, municipality_code=code, addressee_no=addressees[a.person_id],
                    insured_no=insured.get(a.person_id, ""), report_month=f"{first:%Y%m}",
                ))  # fmt: skip
            except NotSendable as exc:
                if exc.reason.startswith("療養期間"):
                    result.without_care_period += 1
                else:
                    result.not_sendable[exc.reason] += 1
                continue
            taken.append(a)
        data = dump_medical_expense_info(records, created_on=last, municipality_code=code)
        result.sent = union_file_send(out, actor=actor, kind=MEDICAL_EXPENSE_INFO, on=last, outbox=outbox,
                                      data=data, count=len(records))  # fmt: skip
        name = result.sent.path.name
        note = f"療養費関連情報({wareki_month(first.year, first.month)}分)"
        _mark_all(actor, [(a.pk, note, {"no": a.application_no}) for a in taken], name, medical_file=name)
    return result
