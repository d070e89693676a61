"""The demo's sample disclosure package: one synthetic insured person's 開示請求, received by a clerk,
prepared, approved by a supervisor (four-eyes) and carried out through the real services, its package
written to the demo's documents folder (`kouki demo`, issue 15 §3)."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.selectors import addressee_numbers
from kouki.core.outbox import write_whole
from kouki.disclosure.models import Channel, Decision, Requester, RequestKind
from kouki.disclosure.services import (
    RequestInput,
    disclosure_decision_approve,
    disclosure_decision_prepare,
    disclosure_package_generate,
    disclosure_package_open,
    disclosure_request_receive,
)
from kouki.eligibility.selectors import insured_person_ids_on
from kouki.privacy.context import Actor
from kouki.rules.disclosure_fees import DisclosureMethod
from kouki.rules.identity_check import IdentityDocument

SAMPLE_NAME = "kaiji-bunsho-sample.pdf"


def write_demo_package(out_dir: Path, clerk: Actor, supervisor: Actor) -> Path:
    """The package of the first insured person (synthetic), as `out_dir`/kaiji-bunsho-sample.pdf."""
    today = timezone.localdate()
    insured = insured_person_ids_on(today)
    if not insured:
        raise ValueError("no insured person to disclose to: load the synthetic city first")
    addressee_no = addressee_numbers([min(insured)])[min(insured)]
    clerk_user = StaffUser.objects.get(username=clerk.username)
    boss_user = StaffUser.objects.get(username=supervisor.username)
    request = disclosure_request_receive(actor=clerk, user=clerk_user, data=RequestInput(
        kind=RequestKind.DISCLOSURE, addressee_no=addressee_no, requester=Requester.SELF,
        channel=Channel.COUNTER, received_on=today, content="保有する個人情報の全部",
        documents=frozenset({IdentityDocument.MY_NUMBER_CARD}), method=DisclosureMethod.COPY))
    disclosure_decision_prepare(actor=clerk, user=clerk_user, request_id=request.pk,
                                decision=Decision.DISCLOSE, reason="")
    disclosure_decision_approve(actor=supervisor, user=boss_user, request_id=request.pk)
    disclosure_package_generate(actor=clerk, user=clerk_user, request_id=request.pk, today=today)
    _name, pdf = disclosure_package_open(actor=clerk, request_id=request.pk)
    path = out_dir / SAMPLE_NAME
    write_whole(path, pdf)
    return path
