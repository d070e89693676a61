"""開示・訂正・利用停止請求 (issue 15 §3): 受付, extension, the clerk's 決定案, the supervisor's approval
(four-eyes), the disclosure package, and the carrying out of a 訂正/利用停止.

Each write is one audit row in the same transaction; a refused approval (the preparer approving their own
decision) is audited on its own and changes nothing. Texts never hold a personal number (InvalidRequest).
Deadlines and fees are the pure rules of kouki.rules.disclosure_deadlines / disclosure_fees with the
configured day counts (kouki.core.config.disclosure_config).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import person_by_addressee_no
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import disclosure_config
from kouki.disclosure.models import (
    Channel,
    Decision,
    DisclosureRequest,
    Requester,
    RequestKind,
    RequestSerial,
    RequestState,
)
from kouki.disclosure.package import package_data
from kouki.documents.disclosure_package import fee_of, page_count, render_package
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.disclosure_deadlines import (
    agent_document_current,
    decision_due,
    extended_due,
    follow_up_in_time,
    follow_up_last_day,
)
from kouki.rules.disclosure_fees import DisclosureMethod
from kouki.rules.identity_check import (
    AgentKind,
    AuthorityDocument,
    IdentityCheckInput,
    IdentityDocument,
    check_identity,
)
from kouki.rules.wareki import fiscal_year, format_wareki, wareki_year

NUMBER_REFUSED = "個人番号は記録できません。番号を除いて記入してください"
DECISIONS: dict[RequestKind, tuple[Decision, ...]] = {
    RequestKind.DISCLOSURE: (Decision.DISCLOSE, Decision.PARTIAL, Decision.NONDISCLOSE),
    RequestKind.CORRECTION: (Decision.CORRECT, Decision.NOT_CORRECT),
    RequestKind.SUSPENSION: (Decision.SUSPEND, Decision.NOT_SUSPEND),
}
# Decisions that end the request when approved (nothing to carry out); the others need a reason too
# only when they refuse part or all (a reason is always accepted).
FINAL_ON_APPROVAL = frozenset({Decision.NONDISCLOSE, Decision.NOT_CORRECT, Decision.NOT_SUSPEND})
REASON_NEEDED = frozenset({Decision.PARTIAL, *FINAL_ON_APPROVAL})
AGENT_KINDS = {Requester.LEGAL_AGENT: AgentKind.LEGAL, Requester.DELEGATE: AgentKind.DELEGATE}


class InvalidRequest(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class FourEyesRefused(InvalidRequest):
    """The one who prepared a decision may not approve it."""


@dataclass(frozen=True)
class RequestInput:
    kind: RequestKind
    addressee_no: str
    requester: Requester
    channel: Channel
    received_on: date
    content: str
    documents: frozenset[IdentityDocument]  # the person's (本人) or the agent's own identity documents
    requester_name: str = ""  # the agent's name
    authority_documents: frozenset[AuthorityDocument] = frozenset()
    agent_document_on: date | None = None  # the date of the 委任状 / 戸籍謄本等
    method: DisclosureMethod | None = None  # 開示請求: 閲覧 or 写しの交付
    disclosure_no: str = ""  # 訂正/利用停止: the 受付番号 of the disclosure it follows


def _no_numbers(**texts: str) -> None:
    for field, value in texts.items():
        if contains_personal_number(value):
            raise InvalidRequest(field, NUMBER_REFUSED)


def _next_request_no(received_on: date) -> str:
    fy = fiscal_year(received_on)
    RequestSerial.objects.get_or_create(fiscal_year=fy)
    serial = RequestSerial.objects.select_for_update().get(fiscal_year=fy)
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"開{wareki_year(fy)}第{serial.last:04d}号"


def _check_identity(data: RequestInput) -> None:
    agent = AGENT_KINDS.get(data.requester)
    case = IdentityCheckInput(
        number_provided=False,
        documents=data.documents if agent is None else frozenset(),
        agent_kind=agent,
        agent_documents=data.documents if agent else frozenset(),
        authority_documents=data.authority_documents,
    )
    result = check_identity(case)
    if not result.ok:
        raise InvalidRequest("documents", " / ".join(result.problems))


def _check_agent(data: RequestInput) -> None:
    if data.requester == Requester.SELF:
        if data.requester_name.strip() or data.agent_document_on is not None:
            raise InvalidRequest("requester_name", "本人による請求には代理人の氏名・書類の日付を記入しません")
        return
    if not data.requester_name.strip():
        raise InvalidRequest("requester_name", "代理人の氏名を入力してください")
    if data.agent_document_on is None:
        raise InvalidRequest(
            "agent_document_on", "代理権を証する書類(委任状・戸籍謄本等)の日付を入力してください"
        )
    days = disclosure_config().deadlines.agent_document_days
    if not agent_document_current(data.agent_document_on, data.received_on, disclosure_config().deadlines):
        age = (data.received_on - data.agent_document_on).days
        said = "受付日より後の日付です" if age < 0 else f"受付日の{age}日前の日付です"
        raise InvalidRequest(
            "agent_document_on",
            f"代理権を証する書類は受付日前{days}日以内に作成されたものに限ります"
            f"({format_wareki(data.agent_document_on)}付の書類は{said})。新しい書類の提出を求めてください",
        )


def _prior_disclosure(data: RequestInput, person_id: int) -> DisclosureRequest:
    prior = DisclosureRequest.objects.filter(
        request_no=data.disclosure_no.strip(), kind=RequestKind.DISCLOSURE
    ).first()
    if prior is None or prior.person_id != person_id:
        raise InvalidRequest(
            "disclosure_no",
            "この方への開示の受付番号を入力してください(訂正・利用停止は開示を受けた"
            "情報について請求できます)",
        )
    if prior.disclosed_on is None:
        raise InvalidRequest("disclosure_no", "この開示はまだ実施されていません")
    rules = disclosure_config().deadlines
    if not follow_up_in_time(prior.disclosed_on, data.received_on, rules):
        last = follow_up_last_day(prior.disclosed_on, rules)
        raise InvalidRequest(
            "disclosure_no",
            f"訂正請求・利用停止請求は開示を受けた日から{rules.follow_up_window_days}日以内に限ります"
            f"(開示の実施日 {format_wareki(prior.disclosed_on)}、請求できる最終日 {format_wareki(last)})",
        )
    return prior


def disclosure_request_receive(*, actor: Actor, user: StaffUser, data: RequestInput) -> DisclosureRequest:
    """受付: identity checked, an agent's papers current, a 訂正/利用停止 within the window; due day set."""
    _no_numbers(content=data.content, requester_name=data.requester_name)
    if not data.content.strip():
        raise InvalidRequest("content", "請求の内容を入力してください")
    if data.received_on > timezone.localdate():
        raise InvalidRequest("received_on", "受付日が未来です")
    person = person_by_addressee_no(data.addressee_no.strip())
    if person is None:
        raise InvalidRequest("addressee_no", "この宛名番号の宛名は登録されていません")
    _check_agent(data)
    _check_identity(data)
    prior = None
    if data.kind == RequestKind.DISCLOSURE:
        if data.method is None:
            raise InvalidRequest("method", "開示の実施方法(閲覧・写しの交付)を選んでください")
    else:
        prior = _prior_disclosure(data, person.pk)
    with transaction.atomic():
        request = DisclosureRequest.objects.create(
            request_no=_next_request_no(data.received_on),
            kind=data.kind,
            person=person,
            requester=data.requester,
            requester_name=data.requester_name.strip(),
            agent_document_on=data.agent_document_on,
            identity_documents=sorted(str(d) for d in data.documents),
            channel=data.channel,
            received_on=data.received_on,
            received_by=user,
            content=data.content.strip(),
            method=str(data.method or ""),
            disclosure=prior,
            due_on=decision_due(data.received_on, disclosure_config().deadlines),
        )
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_REQUEST_RECEIVE,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={
                "request_no": request.request_no,
                "kind": str(data.kind),
                "requester": str(data.requester),
                "person_id": person.pk,
                "due_on": request.due_on.isoformat(),
            },
        )
    return request


def _locked(request_id: int) -> DisclosureRequest:
    request = DisclosureRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise InvalidRequest("request", f"受付 #{request_id} はありません")
    return request


def disclosure_request_extend(
    *, actor: Actor, user: StaffUser, request_id: int, days: int, reason: str, today: date
) -> DisclosureRequest:
    """Extend the decision period once (APPI §83②): only before a decision and within the first period;
    the notice to the requester is printed from the request (kouki.disclosure.notices)."""
    _no_numbers(reason=reason)
    if not reason.strip():
        raise InvalidRequest("reason", "延長の理由を入力してください(請求者に書面で通知します)")
    rules = disclosure_config().deadlines
    with transaction.atomic():
        request = _locked(request_id)
        if request.extended_due_on is not None:
            raise InvalidRequest("days", "決定期限は既に延長されています(延長は1回、30日以内です)")
        if request.state not in (RequestState.RECEIVED, RequestState.PREPARED):
            raise InvalidRequest("days", "決定済みの請求は延長できません")
        if today > request.due_on:
            raise InvalidRequest(
                "days",
                f"当初の決定期限({format_wareki(request.due_on)})を過ぎています。"
                "延長は期限内に通知する必要があります",
            )
        try:
            request.extended_due_on = extended_due(request.received_on, days, rules)
        except ValueError as exc:
            raise InvalidRequest("days", str(exc)) from None
        request.extension_reason, request.extended_by = reason.strip(), user
        request.save(update_fields=["extended_due_on", "extension_reason", "extended_by"])
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_REQUEST_EXTEND,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={
                "request_no": request.request_no,
                "days": days,
                "extended_due_on": request.extended_due_on.isoformat(),
            },
        )
    return request


def disclosure_decision_prepare(
    *, actor: Actor, user: StaffUser, request_id: int, decision: Decision, reason: str
) -> DisclosureRequest:
    """The clerk's 決定案 (again, before approval, replaces the earlier one and its preparer)."""
    _no_numbers(reason=reason)
    with transaction.atomic():
        request = _locked(request_id)
        if request.state not in (RequestState.RECEIVED, RequestState.PREPARED):
            raise InvalidRequest("decision", "承認済みの決定は変更できません")
        if decision not in DECISIONS[RequestKind(request.kind)]:
            allowed = "・".join(d.label for d in DECISIONS[RequestKind(request.kind)])
            raise InvalidRequest("decision", f"{request.get_kind_display()}の決定は {allowed} のいずれかです")
        if decision in REASON_NEEDED and not reason.strip():
            raise InvalidRequest("reason", f"{decision.label}の理由を入力してください(決定通知に記載します)")
        request.decision, request.decision_reason = decision, reason.strip()
        request.prepared_by, request.prepared_at = user, timezone.now()
        request.state = RequestState.PREPARED
        request.save(update_fields=["decision", "decision_reason", "prepared_by", "prepared_at", "state"])
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_DECISION_PREPARE,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={"request_no": request.request_no, "decision": str(decision)},
        )
    return request


def disclosure_decision_approve(*, actor: Actor, user: StaffUser, request_id: int) -> DisclosureRequest:
    """A supervisor approves the 決定案 (four-eyes: never the one who prepared it; audited when refused)."""
    if not user.has_kouki_perm(Perm.APPROVE_DISCLOSURE):
        raise InvalidRequest("approve", "決定の承認には監督者の権限が必要です")
    with transaction.atomic():
        request = _locked(request_id)
        if request.state != RequestState.PREPARED:
            raise InvalidRequest(
                "approve", f"承認できる決定案がありません(状態: {request.get_state_display()})"
            )
        refused = request.prepared_by_id == user.pk
        if not refused:
            request.approved_by, request.approved_at = user, timezone.now()
            final = Decision(request.decision) in FINAL_ON_APPROVAL
            request.state = RequestState.DONE if final else RequestState.DECIDED
            request.save(update_fields=["approved_by", "approved_at", "state"])
        if refused:
            action = AuditAction.DISCLOSURE_DECISION_APPROVE_REFUSED
        else:
            action = AuditAction.DISCLOSURE_DECISION_APPROVE
        audit_record(
            actor=actor,
            action=action,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={"request_no": request.request_no, "decision": request.decision},
        )
    if refused:
        raise FourEyesRefused("approve", "決定案を作成した職員は承認できません(別の監督者が承認してください)")
    return request


def disclosure_package_generate(
    *, actor: Actor, user: StaffUser, request_id: int, today: date
) -> DisclosureRequest:
    """The package in one step (開示 / 一部開示 approved): rendered, kept, its page count and fee recorded;
    the disclosure counts as carried out today (the 90 days of 訂正/利用停止 run from it)."""
    with transaction.atomic():
        request = _locked(request_id)
        if (
            request.kind != RequestKind.DISCLOSURE
            or request.state != RequestState.DECIDED
            or request.decision not in (Decision.DISCLOSE, Decision.PARTIAL)
        ):
            raise InvalidRequest(
                "package", "開示文書は、承認された開示・一部開示の決定についてのみ作成できます"
            )
        data = package_data(request, today)
        pdf = render_package(data)
        request.package_pdf, request.package_pages, request.package_fee = pdf, page_count(data), fee_of(data)
        request.disclosed_on, request.state = today, RequestState.DONE
        request.carried_out_on, request.carried_out_by = today, user
        request.save(
            update_fields=[
                "package_pdf",
                "package_pages",
                "package_fee",
                "disclosed_on",
                "state",
                "carried_out_on",
                "carried_out_by",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_PACKAGE_GENERATE,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={
                "request_no": request.request_no,
                "pages": request.package_pages,
                "fee": request.package_fee,
                "sha256": hashlib.sha256(pdf).hexdigest(),
            },
        )
    return request


def disclosure_package_open(*, actor: Actor, request_id: int) -> tuple[str, bytes]:
    """The kept package (file name, bytes), each opening audited."""
    with transaction.atomic():
        request = _locked(request_id)
        if not request.package_pdf:
            raise InvalidRequest("package", "開示文書はまだ作成されていません")
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_PACKAGE_DOWNLOAD,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={"request_no": request.request_no},
        )
    return f"kaiji-{request.pk}.pdf", bytes(request.package_pdf)


def disclosure_request_carry_out(
    *, actor: Actor, user: StaffUser, request_id: int, reference: str, on: date
) -> DisclosureRequest:
    """Record that an approved 訂正 / 利用停止 was carried out through the normal services (the 住基 change,
    the 届出 or the record corrected), with its reference: the request is linked to the correction."""
    _no_numbers(reference=reference)
    if not reference.strip():
        raise InvalidRequest("reference", "実施の記録(異動番号・届出番号・申請番号など)を入力してください")
    with transaction.atomic():
        request = _locked(request_id)
        if request.state != RequestState.DECIDED or request.decision not in (
            Decision.CORRECT,
            Decision.SUSPEND,
        ):
            raise InvalidRequest(
                "reference", "承認された「訂正する」「利用停止する」の決定についてのみ記録できます"
            )
        if on < request.received_on or on > timezone.localdate():
            raise InvalidRequest("on", "実施日は受付日から今日までの日付です")
        request.carried_out_on, request.carried_out_by = on, user
        request.carried_out_reference, request.state = reference.strip(), RequestState.DONE
        request.save(update_fields=["carried_out_on", "carried_out_by", "carried_out_reference", "state"])
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_REQUEST_CARRY_OUT,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={
                "request_no": request.request_no,
                "decision": request.decision,
                "reference": request.carried_out_reference,
            },
        )
    return request
