"""The decision notice of a decided application: printed from the union's decision (notice_data), then
handed over at the counter (交付) or mailed (郵送); a mailed notice may come back (返戻) and then be
handed over or mailed again. Each write appends its step and audit row in one transaction.

States: 決定 → 交付済 | 郵送済 → 返戻 → 交付済 | 郵送済. A later 更正 of the decision brings the
application back to 決定 (kouki.applications.decisions): the corrected notice is due.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import person_current
from kouki.applications.models import Application, ApplicationStep, Status, StepAction
from kouki.applications.union_records import union_reception_no
from kouki.banking.selectors import AccountRow, account
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.documents.benefit_notice import PAYMENT_KIND, REFUSAL_KIND, BenefitNoticeData
from kouki.documents.certificate_notice import CERTIFICATE_KIND
from kouki.documents.data import sender_for
from kouki.documents.relief_notice import DEFERRAL_KIND, REDUCTION_KIND, ReliefNoticeData
from kouki.interfaces.benefit_notices import NoticeContext, certificate_notice_data, notice_data
from kouki.interfaces.selectors import benefit_decision
from kouki.notifications.counter import CounterError, staff_with
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.rules.applications import GROUND_LABELS, Ground
from kouki.rules.applications import ApplicationKind as Kind
from kouki.rules.benefits.codes import CERTIFICATE_KINDS, DecisionResult
from kouki.rules.wareki import format_wareki

DELIVERY = {"handed_over": (Status.HANDED_OVER, StepAction.HANDED_OVER, "窓口で交付"),
            "mailed": (Status.MAILED, StepAction.MAILED, "郵送")}  # fmt: skip
DELIVERABLE = (Status.DECIDED, Status.UNDELIVERED)


def _bank_text(acct: AccountRow) -> str:
    """The account as printed: bank, branch, type and the last 3 digits only."""
    return f"{acct.bank_name} {acct.branch_name} {acct.deposit_type_label} ****{acct.account_number[-3:]}"


def notice_document(a: Application, issued_on: date) -> tuple[bytes, str] | None:
    """(PDF, document name) of the application's decision notice; None while no decision is held."""
    d = benefit_decision(union_reception_no(a))
    current = person_current(a.person_id)
    if d is None or current is None:
        return None
    sender = sender_for(current.address)
    acct = account(a.bank_account_id) if a.bank_account_id else None
    ground = a.details.get("ground")
    ctx = NoticeContext(
        insured_name=f"{current.family_name}\u3000{current.given_name}", issued_on=issued_on,
        received_on=a.received_on, bank_text=_bank_text(acct) if acct is not None else "",
        ground=GROUND_LABELS[Ground(str(ground))] if ground else "", office=sender.office, phone=sender.phone,
    )  # fmt: skip
    if d.kind in CERTIFICATE_KINDS:  # 限度額・長期入院・特定疾病: the 認定 (or refusal) notice
        return CERTIFICATE_KIND.render([certificate_notice_data(d, ctx)]), CERTIFICATE_KIND.name
    data = notice_data(d, ctx)
    if isinstance(data, ReliefNoticeData):
        kind = REDUCTION_KIND if a.kind == Kind.PREMIUM_REDUCTION else DEFERRAL_KIND
        return kind.render([data]), kind.name
    assert isinstance(data, BenefitNoticeData)
    granted = d.result in (DecisionResult.GRANTED, DecisionResult.PARTIAL)
    paper = PAYMENT_KIND if granted else REFUSAL_KIND
    return paper.render([data]), paper.name


def _locked(application_id: int) -> Application:
    a = Application.objects.select_for_update().filter(pk=application_id).first()
    if a is None:
        raise CounterError("application", "申請がありません")
    return a


def _write(actor: Actor, a: Application, action: StepAction, note: str, detail: dict[str, object],
           audit: AuditAction = AuditAction.APPLICATION_NOTICE) -> None:  # fmt: skip
    ApplicationStep.objects.create(application=a, action=action, actor_id=actor.user_id,
                                   actor_name=actor.username, at=timezone.now(), note=note)  # fmt: skip
    audit_record(actor=actor, action=audit, target_type=AuditTarget.APPLICATION, target_id=str(a.pk),
                 detail={"no": a.application_no, **detail})  # fmt: skip


def application_notice_printed(*, actor: Actor, application_id: int) -> None:
    """Record that the decision notice was printed (who, when)."""
    staff_with(actor, Perm.ENTER_APPLICATION, "決定通知書の印刷")
    with transaction.atomic():
        a = _locked(application_id)
        if a.status not in (*DELIVERABLE, Status.HANDED_OVER, Status.MAILED):
            raise CounterError("status", "決定のあった申請ではありません")
        _write(actor, a, StepAction.NOTICE_PRINTED, "", {}, AuditAction.APPLICATION_NOTICE_PRINT)


def _on(a: Application, on: date) -> date:
    if a.decided_on is None or not a.decided_on <= on <= timezone.localdate():
        raise CounterError("on", "日付は決定日から今日までの日付です")
    return on


def application_notice_delivered(*, actor: Actor, application_id: int, how: str, on: date) -> Application:
    """The notice handed over at the counter (`handed_over`) or mailed (`mailed`) on `on`."""
    if how not in DELIVERY:
        raise CounterError("how", "交付の方法を選んでください")
    status, action, label = DELIVERY[how]
    user = staff_with(actor, Perm.ENTER_APPLICATION, "決定通知書の交付・郵送")
    with transaction.atomic():
        a = _locked(application_id)
        if a.status not in DELIVERABLE:
            raise CounterError("status", "通知書を交付・郵送できる状態ではありません")
        a.status, a.notice_on, a.notice_by = status, _on(a, on), user.get_username()
        a.save(update_fields=["status", "notice_on", "notice_by"])
        _write(actor, a, action, f"{label}({format_wareki(on)})", {"how": how, "on": on.isoformat()})
    return a


def application_notice_undelivered(*, actor: Actor, application_id: int, on: date) -> Application:
    """A mailed notice came back (返戻); it may then be handed over or mailed again."""
    staff_with(actor, Perm.ENTER_APPLICATION, "通知書の返戻の記録")
    with transaction.atomic():
        a = _locked(application_id)
        if a.status != Status.MAILED or a.notice_on is None:
            raise CounterError("status", "郵送した通知書だけを返戻として記録できます")
        if not a.notice_on <= on <= timezone.localdate():
            raise CounterError("on", "返戻日は郵送日から今日までの日付です")
        a.status, a.undelivered_on = Status.UNDELIVERED, on
        a.save(update_fields=["status", "undelivered_on"])
        _write(actor, a, StepAction.UNDELIVERED, f"返戻({format_wareki(on)})",
               {"how": "undelivered", "on": on.isoformat()})  # fmt: skip
    return a
