"""A 受付票 for screen tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.privacy.context import Actor
from kouki.rights.models import Channel, InquiryKind, PrivacyInquiry, Relation
from kouki.rights.services import InquiryInput, privacy_inquiry_record


def make_inquiry(user: StaffUser, addressee_no: str = "", *, subject: str = "通知書の送付先について",
                 content: str = "保険料の通知書が旧住所に届いたとの問合せ",
                 hours_ago: int = 1) -> PrivacyInquiry:
    return privacy_inquiry_record(
        actor=Actor(username=user.username, terminal_id="test", user_id=user.pk), user=user,
        data=InquiryInput(received_at=timezone.now() - timedelta(hours=hours_ago), channel=Channel.PHONE,
                          kind=InquiryKind.INQUIRY, relation=Relation.SELF, subject=subject, content=content,
                          requester_name="山田 太郎", addressee_no=addressee_no),
    )
