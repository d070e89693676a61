"""The letters printed from a request, each print audited: the 開示決定等期限延長通知書 of an extended
request (APPI §83②) and the 開示決定等通知書 of a decided one (§82, §93, §101)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.addressees.selectors import person_current
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config, disclosure_config
from kouki.disclosure.models import DisclosureRequest, Requester, RequestState
from kouki.disclosure.services import InvalidRequest
from kouki.documents.disclosure_decision import KIND as DECISION_NOTICE
from kouki.documents.disclosure_decision import DecisionNoticeData
from kouki.documents.disclosure_notice import KIND as EXTENSION_NOTICE
from kouki.documents.disclosure_notice import ExtensionNoticeData
from kouki.documents.premium_data import Addressee
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.rules.disclosure_fees import METHOD_LABELS, DisclosureMethod


def _addressee(request: DisclosureRequest) -> Addressee:
    current = person_current(request.person_id)
    assert current is not None
    return Addressee(request.person.addressee_no, current.family_name, current.given_name,
                     current.postal_code, current.address)


def _agent(request: DisclosureRequest) -> str:
    if request.requester == Requester.SELF:
        return ""
    return f"{request.get_requester_display()} {request.requester_name}"


def extension_notice_data(request: DisclosureRequest, issued_on: date) -> ExtensionNoticeData:
    if request.extended_due_on is None:
        raise InvalidRequest("notice", "決定期限は延長されていません")
    city = city_config()
    agent = _agent(request)
    return ExtensionNoticeData(
        addressee=_addressee(request),
        request_no=request.request_no,
        kind=request.get_kind_display(),
        received_on=request.received_on,
        due_on=request.due_on,
        extended_due_on=request.extended_due_on,
        reason=request.extension_reason,
        agent=agent,
        issued_on=issued_on,
        issuer=city.issuer,
        insurer_name=city.insurer_name,
    )


def _printed(actor: Actor, request_id: int, action: AuditAction,
             render: Callable[[DisclosureRequest], bytes]) -> bytes:
    """A letter of the request rendered and its print audited, in one transaction."""
    with transaction.atomic():
        request = DisclosureRequest.objects.select_related("person").defer("package_pdf").get(pk=request_id)
        pdf = render(request)
        audit_record(actor=actor, action=action, target_type=AuditTarget.DISCLOSURE_REQUEST,
                     target_id=str(request.pk),
                     detail={"request_no": request.request_no,
                             **({"decision": request.decision} if request.decision else {})})
    return pdf


def extension_notice_pdf(*, actor: Actor, request_id: int, issued_on: date) -> bytes:
    return _printed(actor, request_id, AuditAction.DISCLOSURE_EXTENSION_NOTICE_PRINT,
                    lambda request: EXTENSION_NOTICE.render([extension_notice_data(request, issued_on)]))


def _method_label(method: str) -> str:
    return METHOD_LABELS[DisclosureMethod(method)] if method else ""


def decision_notice_data(request: DisclosureRequest, issued_on: date) -> DecisionNoticeData:
    """The decision as approved (a decision only prepared is not notified: the four-eyes come first)."""
    if request.state not in (RequestState.DECIDED, RequestState.DONE) or request.approved_at is None:
        raise InvalidRequest("notice", "決定は承認されていません")
    city = city_config()
    return DecisionNoticeData(
        addressee=_addressee(request), decision=request.decision,
        decision_label=request.get_decision_display(), request_no=request.request_no,
        kind=request.get_kind_display(), received_on=request.received_on,
        decided_on=timezone.localdate(request.approved_at), content=request.content,
        reason=request.decision_reason, method=_method_label(request.method),
        copy_fee_yen=disclosure_config().copy_fee_yen, agent=_agent(request),
        reviewer=city.issuer, defendant=city.city_name, representative=city.issuer, issued_on=issued_on,
        issuer=city.issuer, insurer_name=city.insurer_name,
    )  # fmt: skip


def decision_notice_pdf(*, actor: Actor, request_id: int, issued_on: date) -> bytes:
    return _printed(actor, request_id, AuditAction.DISCLOSURE_DECISION_NOTICE_PRINT,
                    lambda request: DECISION_NOTICE.render([decision_notice_data(request, issued_on)]))
