"""不納欠損 after the 2-year limitation (高確法 §160; ADR 0011) only with a supervisor's approval, never by
the requester (four eyes); the instalments whose limitation has passed, renewed by reminders, payments
and pledges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from factories import make_staff

from arrears.helpers import ACTOR, direct_person, instalments, pay
from kouki.accounts.permissions import Role
from kouki.arrears.models import WriteOffGround, WriteOffStatus
from kouki.arrears.selectors import limitation_passed, write_off_requests_open
from kouki.arrears.services import (
    ArrearsError,
    pledge_make,
    reminders_issue,
    write_off_approve,
    write_off_reject,
    write_off_request,
)
from kouki.collection.models import WriteOff
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.rules.arrears import add_years


def actor_of(role: Role) -> Actor:
    staff = make_staff(role)
    return Actor(username=staff.user.username, user_id=staff.user.pk)


@pytest.mark.django_db
def test_a_supervisor_other_than_the_requester_approves_and_the_ledger_writes_off() -> None:
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    on = add_years(first.due_date, 2) + timedelta(days=1)
    clerk, boss = actor_of(Role.COUNTER_CLERK), actor_of(Role.SUPERVISOR)
    req = write_off_request(
        actor=clerk, instalment_id=first.pk, amount=first.amount, reason="時効 (高確法160条)", on=on,
        ground=WriteOffGround.LIMITATION,
    )
    assert write_off_requests_open() == [req]
    done = write_off_approve(actor=boss, request_id=req.pk, on=on)
    assert done.status == WriteOffStatus.APPROVED and done.decided_by == boss.username
    decision = WriteOff.objects.get(pk=done.write_off_id)
    assert (decision.requested_by, decision.approved_by, decision.amount) == (
        clerk.username,
        boss.username,
        first.amount,
    )
    status = instalment_statuses(person.pk, 2025)[0]
    assert (status.written_off, status.unpaid) == (first.amount, 0)
    assert ledger(person.pk, 2025).balances
    assert AuditEntry.objects.filter(action="write_off_approve", target_id=str(req.pk)).exists()
    with pytest.raises(ArrearsError, match=r"すでに決裁されています\(承認\)"):
        write_off_approve(actor=boss, request_id=req.pk, on=on)


@pytest.mark.django_db
def test_the_requester_may_not_approve_even_as_a_supervisor() -> None:
    _, plan = direct_person(90_000)
    first = instalments(plan)[0]
    boss = actor_of(Role.SUPERVISOR)
    req = write_off_request(
        actor=boss, instalment_id=first.pk, amount=first.amount, reason="時効", on=date(2028, 1, 1),
        ground=WriteOffGround.LIMITATION,
    )
    with pytest.raises(ArrearsError, match="起案者本人"):
        write_off_approve(actor=boss, request_id=req.pk, on=date(2028, 1, 1))
    assert WriteOff.objects.count() == 0
    req.refresh_from_db()
    assert req.status == WriteOffStatus.REQUESTED


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_only_a_supervisor_decides(role: Role) -> None:
    _, plan = direct_person(90_000)
    first = instalments(plan)[0]
    req = write_off_request(
        actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="時効", on=date(2028, 1, 1),
        ground=WriteOffGround.LIMITATION,
    )
    with pytest.raises(ArrearsError, match="審査・監督者だけ"):
        write_off_approve(actor=actor_of(role), request_id=req.pk, on=date(2028, 1, 1))
    with pytest.raises(ArrearsError, match="審査・監督者だけ"):
        write_off_approve(actor=Actor.system("batch"), request_id=req.pk, on=date(2028, 1, 1))
    assert WriteOff.objects.count() == 0


@pytest.mark.django_db
def test_rejection_and_request_checks() -> None:
    _, plan = direct_person(90_000)
    first = instalments(plan)[0]
    with pytest.raises(ArrearsError, match="の未納額"):
        write_off_request(
            actor=ACTOR, instalment_id=first.pk, amount=first.amount + 1, reason="x", on=date(2028, 1, 1),
            ground=WriteOffGround.OTHER,
        )
    with pytest.raises(ArrearsError, match="を入力してください"):
        write_off_request(actor=ACTOR, instalment_id=first.pk, amount=1, reason=" ", on=date(2028, 1, 1),
                          ground=WriteOffGround.OTHER)
    with pytest.raises(ArrearsError, match="時効により消滅"):  # 地方自治法 §236 ②: all of it
        write_off_request(actor=ACTOR, instalment_id=first.pk, amount=1, reason="時効", on=date(2028, 1, 1),
                          ground=WriteOffGround.LIMITATION)
    req = write_off_request(actor=ACTOR, instalment_id=first.pk, amount=1, reason="死亡", on=date(2027, 1, 1),
                                ground=WriteOffGround.OTHER)
    with pytest.raises(ArrearsError, match="決裁待ちの不納欠損の起案"):
        write_off_request(actor=ACTOR, instalment_id=first.pk, amount=1, reason="死亡", on=date(2027, 1, 1),
                                ground=WriteOffGround.OTHER)
    rejected = write_off_reject(
        actor=actor_of(Role.SUPERVISOR),
        request_id=req.pk,
        on=date(2028, 1, 2),
        note="居所判明、納付折衝を継続",
    )
    assert rejected.status == WriteOffStatus.REJECTED and write_off_requests_open() == []


@pytest.mark.django_db
def test_limitation_passed_two_years_after_the_due_date_unless_renewed() -> None:
    reminded, plan_r = direct_person(90_000)
    paying, plan_p = direct_person(90_000)
    pledging, plan_g = direct_person(90_000)
    first_r, first_p, first_g = (instalments(p)[0] for p in (plan_r, plan_p, plan_g))
    reminders_issue(actor=ACTOR, on=first_r.due_date + timedelta(days=1))  # these three are reminded
    plain, plan = direct_person(90_000)  # this one is not
    first = instalments(plan)[0]
    on = add_years(first.due_date, 2) + timedelta(days=30)
    # a payment naming no instalment or a pledge after the reminder's deadline renews the claim beyond
    # `on` (最判令和2年12月15日; 民法 §152)
    pay(paying, instalments(plan_p)[1], paid_on=first_p.due_date + timedelta(days=60), named=False)
    pledge_make(
        actor=ACTOR,
        person_id=pledging.pk,
        made_on=first_g.due_date + timedelta(days=90),
        schedule=[(first_g.due_date + timedelta(days=100), 1_000)],
    )
    rows = {(r.person_id, r.instalment_id): r for r in limitation_passed(on)}
    assert (plain.pk, first.pk) in rows and (reminded.pk, first_r.pk) in rows
    assert (paying.pk, first_p.pk) not in rows and (pledging.pk, first_g.pk) not in rows
    assert rows[(plain.pk, first.pk)].expired_after == add_years(first.due_date, 2)
    assert rows[(reminded.pk, first_r.pk)].expired_after > add_years(first_r.due_date, 2)  # 督促 renewed it
    assert limitation_passed(add_years(first.due_date, 2)) == []
    assert not rows[(plain.pk, first.pk)].write_off_requested


@pytest.mark.django_db
def test_a_write_off_for_limitation_before_the_limitation_date_is_refused() -> None:
    """高確法 §160 ①: two years from the day after the due date, renewed by the person's own acts; before
    the instalment's own last collectible day (kouki.collection.limitation) 時効 is no ground (issue 11 §3).
    https://elaws.e-gov.go.jp/document?lawid=357AC0000000080 (高齢者の医療の確保に関する法律 第160条)"""
    _person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    last_day = add_years(first.due_date, 2)
    with pytest.raises(ArrearsError, match="まだ完成していません"):
        write_off_request(actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="時効",
                          on=last_day, ground=WriteOffGround.LIMITATION)
    assert write_off_requests_open() == []
    # other grounds are not tied to the limitation date
    other = write_off_request(actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="執行停止",
                              on=last_day, ground=WriteOffGround.SUSPENSION)
    write_off_reject(actor=actor_of(Role.SUPERVISOR), request_id=other.pk, on=last_day, note="取下げ")
    # a reminder renews the claim: the day after the first limitation date is still too early
    reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=1))
    with pytest.raises(ArrearsError, match="まだ完成していません"):
        write_off_request(actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="時効",
                          on=last_day + timedelta(days=1), ground=WriteOffGround.LIMITATION)
    assert WriteOff.objects.count() == 0
