"""開示請求 for the tests: received, prepared, approved and packaged through the real services."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.disclosure.models import Channel, Decision, DisclosureRequest, Requester, RequestKind
from kouki.disclosure.services import (
    RequestInput,
    disclosure_decision_approve,
    disclosure_decision_prepare,
    disclosure_package_generate,
    disclosure_request_receive,
)
from kouki.privacy.context import Actor
from kouki.rules.disclosure_fees import DisclosureMethod
from kouki.rules.identity_check import IdentityDocument


def actor_of(user: StaffUser) -> Actor:
    return Actor(username=user.username, terminal_id="test", user_id=user.pk)


def request_input(addressee_no: str, **overrides: object) -> RequestInput:
    values: dict[str, object] = {
        "kind": RequestKind.DISCLOSURE, "addressee_no": addressee_no, "requester": Requester.SELF,
        "channel": Channel.COUNTER, "received_on": timezone.localdate(),
        "content": "後期高齢者医療に関して市が保有する私の個人情報の全部",
        "documents": frozenset({IdentityDocument.DRIVERS_LICENCE}), "method": DisclosureMethod.COPY,
    }
    values.update(overrides)
    return RequestInput(**values)  # type: ignore[arg-type]


def receive(clerk: StaffUser, addressee_no: str, **overrides: object) -> DisclosureRequest:
    data = request_input(addressee_no, **overrides)
    return disclosure_request_receive(actor=actor_of(clerk), user=clerk, data=data)


def disclosed(clerk: StaffUser, supervisor: StaffUser, addressee_no: str, on: date | None = None,
              **overrides: object) -> DisclosureRequest:
    """A disclosure carried out (the package made) on `on` (today by default)."""
    request = receive(clerk, addressee_no, **overrides)
    disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                decision=Decision.DISCLOSE, reason="")
    disclosure_decision_approve(actor=actor_of(supervisor), user=supervisor, request_id=request.pk)
    return disclosure_package_generate(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                       today=on or timezone.localdate())
