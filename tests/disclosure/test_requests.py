"""開示・訂正・利用停止請求 (issue 15 §3): 受付 with identity and agents' papers, the 90-day window of
訂正/利用停止, extension, four-eyes decisions, carrying out, audit rows and the counts for the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from factories import Staff, make_staff
from web.conftest import Family

from disclosure.samples import actor_of, disclosed, receive
from kouki.accounts.permissions import Role
from kouki.disclosure.models import Decision, DisclosureRequest, Requester, RequestKind, RequestState
from kouki.disclosure.selectors import disclosure_worklist, request_counts
from kouki.disclosure.services import (
    FourEyesRefused,
    InvalidRequest,
    disclosure_decision_approve,
    disclosure_decision_prepare,
    disclosure_request_carry_out,
    disclosure_request_extend,
)
from kouki.privacy.models import AuditEntry
from kouki.rules.disclosure_deadlines import DueState
from kouki.rules.identity_check import AuthorityDocument, IdentityDocument

pytestmark = pytest.mark.django_db


def actions(request: DisclosureRequest) -> list[str]:
    rows = AuditEntry.objects.filter(target_type="disclosure.DisclosureRequest", target_id=str(request.pk))
    return list(rows.order_by("seq").values_list("action", flat=True))


def test_a_request_is_received_with_its_due_day_and_audited(family: Family,
                                                            staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    today = timezone.localdate()
    request = receive(clerk, family.taro.addressee_no, received_on=today - timedelta(days=3))
    assert request.request_no.startswith("開") and request.request_no.endswith("第0001号")
    assert request.due_on == today - timedelta(days=3) + timedelta(days=30)  # APPI §83①
    assert request.state == RequestState.RECEIVED and request.person_id == family.taro.pk
    assert actions(request) == ["disclosure_request.receive"]


def test_identity_must_be_confirmed(family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    with pytest.raises(InvalidRequest, match="身元確認") as exc:
        receive(clerk, family.taro.addressee_no, documents=frozenset({IdentityDocument.PENSION_CERTIFICATE}))
    assert exc.value.field == "documents"
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize(("requester", "authority"), [
    (Requester.DELEGATE, AuthorityDocument.POWER_OF_ATTORNEY),
    (Requester.LEGAL_AGENT, AuthorityDocument.LEGAL_STATUS_PROOF),
])
def test_an_agents_papers_must_be_dated_within_30_days(
        family: Family, staff_of: Callable[[Role], Staff], requester: Requester, authority: AuthorityDocument,
) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    today = timezone.localdate()
    agent = {"requester": requester, "requester_name": "山田 一郎",
             "authority_documents": frozenset({authority})}
    with pytest.raises(InvalidRequest, match="30日以内") as exc:
        receive(clerk, family.taro.addressee_no, agent_document_on=today - timedelta(days=31), **agent)
    assert exc.value.field == "agent_document_on" and "31日前" in exc.value.reason
    assert not DisclosureRequest.objects.exists()
    request = receive(clerk, family.taro.addressee_no, agent_document_on=today - timedelta(days=30), **agent)
    assert request.requester == requester and request.requester_name == "山田 一郎"


def test_an_agent_without_proof_of_authority_is_refused(family: Family,
                                                        staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    with pytest.raises(InvalidRequest, match="代理権"):
        receive(clerk, family.taro.addressee_no, requester=Requester.DELEGATE, requester_name="山田 一郎",
                agent_document_on=timezone.localdate())
    assert not DisclosureRequest.objects.exists()


def test_a_personal_number_in_the_text_is_refused(family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    with pytest.raises(InvalidRequest) as exc:
        receive(clerk, family.taro.addressee_no, content="番号 1234 5678 9018 の記録")
    assert exc.value.field == "content" and "1234" not in str(exc.value)


def test_four_eyes_the_preparer_cannot_approve_and_the_refusal_is_audited(
        family: Family, staff_of: Callable[[Role], Staff]) -> None:
    supervisor = staff_of(Role.SUPERVISOR).user
    clerk = staff_of(Role.COUNTER_CLERK).user
    request = receive(clerk, family.taro.addressee_no)
    disclosure_decision_prepare(actor=actor_of(supervisor), user=supervisor, request_id=request.pk,
                                decision=Decision.PARTIAL, reason="第三者の情報を含むため一部を非開示")
    with pytest.raises(FourEyesRefused, match="作成した職員は承認できません"):
        disclosure_decision_approve(actor=actor_of(supervisor), user=supervisor, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == RequestState.PREPARED and request.approved_by is None
    with pytest.raises(InvalidRequest, match="監督者の権限"):  # a clerk may not approve at all
        disclosure_decision_approve(actor=actor_of(clerk), user=clerk, request_id=request.pk)
    second = make_staff(Role.SUPERVISOR).user  # another supervisor approves
    disclosure_decision_approve(actor=actor_of(second), user=second, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == RequestState.DECIDED and request.approved_by_id == second.pk
    assert actions(request) == ["disclosure_request.receive", "disclosure_decision.prepare",
                                "disclosure_decision.approve_refused", "disclosure_decision.approve"]


def test_decisions_fit_the_kind_and_refusals_need_a_reason(family: Family,
                                                          staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    request = receive(clerk, family.taro.addressee_no)
    with pytest.raises(InvalidRequest, match="開示・一部開示・不開示"):
        disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                    decision=Decision.CORRECT, reason="")
    with pytest.raises(InvalidRequest, match="不開示の理由"):
        disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                    decision=Decision.NONDISCLOSE, reason=" ")
    supervisor = staff_of(Role.SUPERVISOR).user
    disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                decision=Decision.NONDISCLOSE, reason="請求の対象の情報を保有していないため")
    disclosure_decision_approve(actor=actor_of(supervisor), user=supervisor, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == RequestState.DONE  # 不開示: nothing to carry out


def test_correction_within_90_days_of_the_disclosure_and_carried_out(
        family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk, supervisor = staff_of(Role.COUNTER_CLERK).user, staff_of(Role.SUPERVISOR).user
    today = timezone.localdate()
    old = disclosed(clerk, supervisor, family.taro.addressee_no, on=today - timedelta(days=91),
                    received_on=today - timedelta(days=120))
    with pytest.raises(InvalidRequest, match="90日以内") as exc:
        receive(clerk, family.taro.addressee_no, kind=RequestKind.CORRECTION, method=None,
                disclosure_no=old.request_no, content="生年月日の誤り")
    assert exc.value.field == "disclosure_no" and "請求できる最終日" in exc.value.reason
    recent = disclosed(clerk, supervisor, family.taro.addressee_no, on=today - timedelta(days=90),
                       received_on=today - timedelta(days=100))
    with pytest.raises(InvalidRequest, match="この方への開示"):  # another person's disclosure
        receive(clerk, family.jiro.addressee_no, kind=RequestKind.CORRECTION, method=None,
                disclosure_no=recent.request_no, content="住所の誤り")
    correction = receive(clerk, family.taro.addressee_no, kind=RequestKind.CORRECTION, method=None,
                         disclosure_no=recent.request_no, content="電話番号の誤り")
    assert correction.disclosure_id == recent.pk
    disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=correction.pk,
                                decision=Decision.CORRECT, reason="")
    with pytest.raises(InvalidRequest, match="承認された"):
        disclosure_request_carry_out(actor=actor_of(clerk), user=clerk, request_id=correction.pk,
                                     reference="届出 N00001", on=today)
    disclosure_decision_approve(actor=actor_of(supervisor), user=supervisor, request_id=correction.pk)
    done = disclosure_request_carry_out(actor=actor_of(clerk), user=clerk, request_id=correction.pk,
                                        reference="住基異動 第123号により訂正", on=today)
    assert done.state == RequestState.DONE and done.carried_out_reference == "住基異動 第123号により訂正"
    assert actions(done)[-1] == "disclosure_request.carry_out"


def test_extension_once_within_the_first_period_with_a_reason(
        family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    today = timezone.localdate()
    request = receive(clerk, family.taro.addressee_no, received_on=today - timedelta(days=10))
    with pytest.raises(InvalidRequest, match="理由"):
        disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=request.pk, days=30,
                                  reason="", today=today)
    with pytest.raises(InvalidRequest, match="30日以内"):
        disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=request.pk, days=31,
                                  reason="記録が大量のため", today=today)
    extended = disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=request.pk, days=30,
                                         reason="記録が大量のため", today=today)
    assert extended.extended_due_on == request.due_on + timedelta(days=30)
    with pytest.raises(InvalidRequest, match="既に延長"):
        disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=request.pk, days=5,
                                  reason="再延長", today=today)
    late = receive(clerk, family.taro.addressee_no, received_on=today - timedelta(days=31))
    with pytest.raises(InvalidRequest, match="過ぎています"):
        disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=late.pk, days=10,
                                  reason="記録が大量のため", today=today)
    assert actions(extended)[-1] == "disclosure_request.extend"


def test_worklist_and_counts_show_overdue_and_near_due(
        family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    today = timezone.localdate()
    overdue = receive(clerk, family.taro.addressee_no, received_on=today - timedelta(days=31))
    near = receive(clerk, family.taro.addressee_no, received_on=today - timedelta(days=25))
    fresh = receive(clerk, family.jiro.addressee_no, received_on=today)
    rows = disclosure_worklist(today)
    assert [(r.request.pk, r.due) for r in rows] == [
        (overdue.pk, DueState.OVERDUE), (near.pk, DueState.NEAR), (fresh.pk, DueState.OPEN)]
    counts = request_counts(today - timedelta(days=40), today)
    assert counts.by_kind["disclosure"] == 3 and counts.by_kind["correction"] == 0
    assert counts.by_state["received"] == 3 and counts.overdue == 1
    assert request_counts(today, today).by_kind["disclosure"] == 1
    with pytest.raises(ValueError, match="より前"):
        request_counts(today, today - timedelta(days=1))


def test_received_in_the_future_is_refused(family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    with pytest.raises(InvalidRequest, match="未来"):
        receive(clerk, family.taro.addressee_no, received_on=timezone.localdate() + timedelta(days=2))
