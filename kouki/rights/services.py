"""受付票 of inquiries and complaints about personal information (SEC-38; issue 15 §4).

Each write is one audit row in the same transaction. The texts may never hold a personal number in any
written form (InvalidInquiry on the field): a 受付票 is read by many, a number belongs only behind the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.selectors import person_by_addressee_no
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.rights.models import Channel, InquiryKind, InquirySerial, InquiryStatus, PrivacyInquiry, Relation
from kouki.rules.wareki import fiscal_year, wareki_year

NUMBER_REFUSED = "個人番号は記録できません（受付票は多くの職員が閲覧します）。番号を除いて記入してください"


class InvalidInquiry(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class InquiryInput:
    received_at: datetime
    channel: Channel
    kind: InquiryKind
    relation: Relation
    subject: str
    content: str
    requester_name: str = ""
    contact: str = ""
    addressee_no: str = ""  # the person concerned, when the city holds them


def _no_numbers(**texts: str) -> None:
    for field, text in texts.items():
        if contains_personal_number(text):
            raise InvalidInquiry(field, NUMBER_REFUSED)


def _next_receipt_no(received_at: datetime) -> str:
    fy = fiscal_year(timezone.localtime(received_at).date())
    InquirySerial.objects.get_or_create(fiscal_year=fy)
    serial = InquirySerial.objects.select_for_update().get(fiscal_year=fy)
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"問{wareki_year(fy)}第{serial.last:04d}号"


def privacy_inquiry_record(*, actor: Actor, user: StaffUser, data: InquiryInput) -> PrivacyInquiry:
    _no_numbers(subject=data.subject, content=data.content, requester_name=data.requester_name,
                contact=data.contact)
    if not data.subject.strip():
        raise InvalidInquiry("subject", "件名を入力してください")
    if not data.content.strip():
        raise InvalidInquiry("content", "内容を入力してください")
    if data.received_at > timezone.now():
        raise InvalidInquiry("received_at", "受付日時が未来です")
    if data.relation == Relation.ANONYMOUS and data.requester_name.strip():
        raise InvalidInquiry("requester_name", "匿名の申出に氏名は記入しません")
    person = None
    if data.addressee_no:
        person = person_by_addressee_no(data.addressee_no)
        if person is None:
            raise InvalidInquiry("addressee_no", "この宛名番号の宛名は登録されていません")
    with transaction.atomic():
        inquiry = PrivacyInquiry.objects.create(
            receipt_no=_next_receipt_no(data.received_at), received_at=data.received_at, channel=data.channel,
            kind=data.kind, requester_name=data.requester_name.strip(), relation=data.relation,
            contact=data.contact.strip(), person=person, subject=data.subject.strip(),
            content=data.content.strip(), received_by=user,
        )
        audit_record(actor=actor, action=AuditAction.PRIVACY_INQUIRY_RECORD,
                     target_type=AuditTarget.PRIVACY_INQUIRY, target_id=str(inquiry.pk),
                     detail={"receipt_no": inquiry.receipt_no, "channel": str(data.channel),
                             "kind": str(data.kind), "person_id": person.pk if person else None})
    return inquiry


def privacy_inquiry_answer(*, actor: Actor, user: StaffUser, inquiry_id: int, answer: str, follow_up: str,
                           close: bool) -> PrivacyInquiry:
    """Record the answer and the follow-up; `close` completes the 受付票 (no further change)."""
    _no_numbers(answer=answer, follow_up=follow_up)
    if not answer.strip():
        raise InvalidInquiry("answer", "回答を入力してください")
    with transaction.atomic():
        inquiry = PrivacyInquiry.objects.select_for_update().get(pk=inquiry_id)
        if inquiry.status == InquiryStatus.CLOSED:
            raise InvalidInquiry("answer", "完了した受付票は変更できません")
        now = timezone.now()
        first_answer = not inquiry.answer
        inquiry.answer = answer.strip()
        inquiry.follow_up = follow_up.strip()
        if first_answer or inquiry.answered_by_id is None:
            inquiry.answered_at, inquiry.answered_by = now, user
        inquiry.status = InquiryStatus.CLOSED if close else InquiryStatus.ANSWERED
        inquiry.closed_at = now if close else None
        inquiry.save()
        audit_record(actor=actor, action=AuditAction.PRIVACY_INQUIRY_ANSWER,
                     target_type=AuditTarget.PRIVACY_INQUIRY, target_id=str(inquiry.pk),
                     detail={"receipt_no": inquiry.receipt_no, "status": str(inquiry.status)})
    return inquiry
