"""The 開示決定等期限延長通知書 of an extended request (APPI §83②), printed from the request; each print
audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from kouki.addressees.selectors import person_current
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config
from kouki.disclosure.models import DisclosureRequest, Requester
from kouki.disclosure.services import InvalidRequest
from kouki.documents.disclosure_notice import KIND, ExtensionNoticeData
from kouki.documents.premium_data import Addressee
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor


def extension_notice_data(request: DisclosureRequest, issued_on: date) -> ExtensionNoticeData:
    if request.extended_due_on is None:
        raise InvalidRequest("notice", "決定期限は延長されていません")
    current = person_current(request.person_id)
    assert current is not None
    city = city_config()
    agent = (
        f"{request.get_requester_display()} {request.requester_name}"
        if request.requester != Requester.SELF
        else ""
    )
    return ExtensionNoticeData(
        addressee=Addressee(
            request.person.addressee_no,
            current.family_name,
            current.given_name,
            current.postal_code,
            current.address,
        ),
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


def extension_notice_pdf(*, actor: Actor, request_id: int, issued_on: date) -> bytes:
    with transaction.atomic():
        request = DisclosureRequest.objects.select_related("person").defer("package_pdf").get(pk=request_id)
        pdf = KIND.render([extension_notice_data(request, issued_on)])
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE_EXTENSION_NOTICE_PRINT,
            target_type=AuditTarget.DISCLOSURE_REQUEST,
            target_id=str(request.pk),
            detail={"request_no": request.request_no},
        )
    return pdf
