"""Notification services: IN-11 four-eyes, IN-07…IN-09 at entry, USE-03 trail, BF-01 number handling."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest
from factories import personal_number

from kouki.interfaces.union.records import NotificationKind
from kouki.notifications.models import Applicant, Notification, NotificationType, Status, StepAction
from kouki.notifications.selectors import notification_ids_of, notifications_to_send
from kouki.notifications.services import (
    NotificationError,
    notification_confirm,
    notification_enter,
    notification_mark_sent,
    notification_reenter,
    notification_return,
    notifications_mark_sent,
)
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry, PersonalNumber
from kouki.privacy.selectors import has_personal_number
from kouki.rules.identity_check import AgentKind, AuthorityDocument, IdentityDocument

from .conftest import Counter, actor_of, disability_input

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="notification.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_in11_the_enterer_cannot_confirm_their_own_entry(counter: Counter) -> None:
    """A supervisor may enter and may confirm, but never their own entry."""
    n = notification_enter(actor=actor_of(counter.supervisor), data=disability_input(counter.person))
    assert n.status == Status.ENTERED and n.notification_no == f"{n.pk:010d}"
    with pytest.raises(NotificationError, match="自分の入力を確認できません"):
        notification_confirm(actor=actor_of(counter.supervisor), notification_id=n.pk, note="照合済")
    with pytest.raises(NotificationError, match="自分の入力を確認できません"):
        notification_return(actor=actor_of(counter.supervisor), notification_id=n.pk, note="誤り")
    n.refresh_from_db()
    assert n.status == Status.ENTERED and n.confirmed_by is None
    assert notifications_to_send(date(2026, 12, 31)) == []


def test_in11_a_different_supervisor_confirms_and_it_takes_effect(counter: Counter) -> None:
    n = notification_enter(actor=actor_of(counter.clerk), data=disability_input(counter.person))
    assert notifications_to_send(date(2026, 12, 31)) == []  # not in effect before confirmation
    notification_confirm(
        actor=actor_of(counter.supervisor), notification_id=n.pk, note="届出書・障害者手帳と照合"
    )
    n.refresh_from_db()
    assert n.status == Status.CONFIRMED and n.confirmed_by == counter.supervisor.user
    assert n.confirmed_at is not None
    # USE-03: who decided, when, on what basis
    steps = list(n.steps.values_list("action", "actor_id", "note"))
    assert steps == [
        (StepAction.ENTERED, counter.clerk.user.pk, ""),
        (StepAction.CONFIRMED, counter.supervisor.user.pk, "届出書・障害者手帳と照合"),
    ]
    assert _actions() == ["notification.enter", "notification.confirm"]
    confirm = AuditEntry.objects.get(action="notification.confirm")
    assert (
        confirm.actor == counter.supervisor.user.username
        and confirm.detail["note"] == "届出書・障害者手帳と照合"
    )
    assert list(verify_chain()) == []
    with pytest.raises(NotificationError, match="再鑑待ち"):
        notification_confirm(actor=actor_of(counter.other_supervisor), notification_id=n.pk, note="二度目")


def test_in11_clerks_cannot_confirm_at_all(counter: Counter) -> None:
    n = notification_enter(actor=actor_of(counter.supervisor), data=disability_input(counter.person))
    for staff in (counter.clerk, counter.number_clerk, counter.auditor):
        with pytest.raises(NotificationError, match="権限がありません"):
            notification_confirm(actor=actor_of(staff), notification_id=n.pk, note="確認")
    with pytest.raises(NotificationError, match="権限がありません"):
        notification_enter(actor=actor_of(counter.auditor), data=disability_input(counter.person))
    assert Notification.objects.get(pk=n.pk).status == Status.ENTERED


def test_return_reentry_and_nobody_who_entered_may_confirm(counter: Counter) -> None:
    clerk, sup, other = counter.clerk, counter.supervisor, counter.other_supervisor
    n = notification_enter(actor=actor_of(clerk), data=disability_input(counter.person, note="初回"))
    with pytest.raises(NotificationError, match="根拠"):
        notification_return(actor=actor_of(sup), notification_id=n.pk, note="  ")
    notification_return(actor=actor_of(sup), notification_id=n.pk, note="異動日が届出書と違う")
    assert Notification.objects.get(pk=n.pk).status == Status.RETURNED
    with pytest.raises(NotificationError, match="再鑑待ち"):
        notification_confirm(actor=actor_of(other), notification_id=n.pk, note="x")
    # the supervisor who returned it corrects it; now neither the clerk nor that supervisor may confirm
    notification_reenter(
        actor=actor_of(sup),
        notification_id=n.pk,
        data=disability_input(counter.person, effective_date=date(2026, 4, 2), note="修正"),
    )
    n.refresh_from_db()
    assert n.status == Status.ENTERED and n.effective_date == date(2026, 4, 2) and n.entered_by == sup.user
    with pytest.raises(NotificationError, match="自分の入力"):
        notification_confirm(actor=actor_of(sup), notification_id=n.pk, note="x")
    with pytest.raises(NotificationError, match="差戻し中"):
        notification_reenter(
            actor=actor_of(clerk), notification_id=n.pk, data=disability_input(counter.person)
        )
    notification_confirm(actor=actor_of(other), notification_id=n.pk, note="修正後の内容を届出書と照合")
    assert Notification.objects.get(pk=n.pk).status == Status.CONFIRMED
    actions = list(n.steps.values_list("action", flat=True))
    assert actions == [StepAction.ENTERED, StepAction.RETURNED, StepAction.REENTERED, StepAction.CONFIRMED]
    assert _actions() == [
        "notification.enter",
        "notification.return",
        "notification.reenter",
        "notification.confirm",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"identity_documents": frozenset({IdentityDocument.ELIGIBILITY_CERTIFICATE})}, "identity"),
        ({"identity_documents": frozenset()}, "identity"),
        (
            {
                "applicant": Applicant.AGENT,
                "agent_kind": AgentKind.DELEGATE,
                "agent_name": "高橋 花子",
                "agent_relationship": "妻",
                "agent_documents": frozenset({IdentityDocument.DRIVERS_LICENCE}),
            },
            "identity",
        ),
        ({"applicant": Applicant.AGENT, "agent_kind": AgentKind.DELEGATE}, "agent"),
        ({"notification_type": NotificationType.ADDRESS_EXCEPTION_START}, "facility"),
        ({"stated_kana": "高橋一郎"}, "stated_kana"),
        ({"received_on": date(2099, 1, 1)}, "received_on"),
    ],
)
def test_entry_refuses_incomplete_notifications(
    counter: Counter, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(NotificationError) as info:
        notification_enter(actor=actor_of(counter.clerk), data=disability_input(counter.person, **changes))
    assert info.value.field == field
    assert Notification.objects.count() == 0 and _actions() == []


def test_in08_agent_entry_keeps_the_agent_and_the_power_of_attorney(counter: Counter) -> None:
    data = disability_input(
        counter.person,
        applicant=Applicant.AGENT,
        agent_kind=AgentKind.DELEGATE,
        agent_name="高橋 花子",
        agent_relationship="妻",
        agent_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}),
        authority_documents=frozenset({AuthorityDocument.POWER_OF_ATTORNEY}),
        identity_documents=frozenset(),
    )
    n = notification_enter(actor=actor_of(counter.clerk), data=data)
    assert (n.agent_name, n.agent_relationship, n.agent_kind) == ("高橋 花子", "妻", "delegate")
    assert n.agent_documents == ["drivers_licence"] and n.authority_documents == ["power_of_attorney"]


def test_a_note_with_a_personal_number_is_refused(counter: Counter) -> None:
    number = personal_number(random.Random(3))
    with pytest.raises(NotificationError) as info:
        notification_enter(
            actor=actor_of(counter.clerk), data=disability_input(counter.person, note=f"番号{number}")
        )
    assert info.value.field == "note" and number not in str(info.value)


def test_bf01_number_is_retyped_by_the_confirmer_and_registered_through_privacy(counter: Counter) -> None:
    number = personal_number(random.Random(11))
    other = personal_number(random.Random(12))
    # a counter clerk has no number permission
    with pytest.raises(NotificationError, match="個人番号の入力"):
        notification_enter(
            actor=actor_of(counter.clerk), data=disability_input(counter.person), number=number
        )
    n = notification_enter(
        actor=actor_of(counter.number_clerk), data=disability_input(counter.person), number=number
    )
    assert n.has_number and not has_personal_number(counter.person.pk)
    stored = Notification.objects.filter(pk=n.pk).values_list("number_token", flat=True).get()
    assert (number in stored) is False
    with pytest.raises(NotificationError, match="もう一度入力"):
        notification_confirm(actor=actor_of(counter.supervisor), notification_id=n.pk, note="照合")
    with pytest.raises(NotificationError, match="一致しません") as info:
        notification_confirm(
            actor=actor_of(counter.supervisor), notification_id=n.pk, note="照合", number=other
        )
    assert (other in str(info.value)) is False
    assert not has_personal_number(counter.person.pk)
    notification_confirm(actor=actor_of(counter.supervisor), notification_id=n.pk, note="照合", number=number)
    n.refresh_from_db()
    assert n.status == Status.CONFIRMED and n.number_result == "stored"
    assert has_personal_number(counter.person.pk)
    assert (
        PersonalNumber.objects.get(person=counter.person, is_current=True).source
        == f"届出 {n.notification_no}"
    )
    digest = hashlib.sha256(number.encode()).hexdigest()
    texts = [str(e.detail) + e.target_id for e in AuditEntry.objects.all()]
    assert not any(number in t for t in texts), digest
    assert list(verify_chain()) == []


def test_the_batch_gets_confirmed_unsent_notifications_and_marks_them_sent(counter: Counter) -> None:
    sup, other = actor_of(counter.supervisor), actor_of(counter.other_supervisor)
    due = notification_enter(actor=sup, data=disability_input(counter.person))
    later = notification_enter(
        actor=sup, data=disability_input(counter.person, effective_date=date(2026, 12, 20))
    )
    move_in = notification_enter(
        actor=sup, data=disability_input(counter.person, notification_type=NotificationType.MOVE_IN)
    )
    for n in (due, later, move_in):
        notification_confirm(actor=other, notification_id=n.pk, note="照合")
    records = notifications_to_send(date(2026, 11, 30))
    assert [r.notification_no for r in records] == [due.notification_no]
    record = records[0]
    assert record.kind == NotificationKind.DISABILITY_CERTIFICATION
    assert (record.addressee_no, record.effective_date, record.received_on) == (
        counter.person.addressee_no,
        date(2026, 4, 1),
        date(2026, 4, 3),
    )
    assert record.municipality_code == "11100"
    batch = Actor.system("batch-daily")
    assert (
        notifications_mark_sent(
            actor=batch, notification_ids=notification_ids_of(records), file_name="TODOKEDE_20261130.csv"
        )
        == 1
    )
    assert notifications_to_send(date(2026, 11, 30)) == []
    assert notification_mark_sent(actor=batch, notification_id=due.pk, file_name="again.csv") is False
    due.refresh_from_db()
    assert (
        due.sent_file_name == "TODOKEDE_20261130.csv"
        and due.steps.filter(action=StepAction.SENT).count() == 1
    )
    assert [r.notification_no for r in notifications_to_send(date(2026, 12, 31))] == [later.notification_no]


def test_every_type_has_a_category_and_a_union_kind_decision() -> None:
    from kouki.notifications.models import CATEGORY_OF, FACILITY_TYPES, UNION_KIND_OF

    assert set(CATEGORY_OF) == set(UNION_KIND_OF) == set(NotificationType)
    sent = {kind for kind in UNION_KIND_OF.values() if kind is not None}
    # everything the union's 届出情報 can carry, the counter can take
    assert sent == set(NotificationKind)
    facility_kinds = {UNION_KIND_OF[t] for t in FACILITY_TYPES}
    assert {
        NotificationKind.ADDRESS_EXCEPTION_START,
        NotificationKind.ADDRESS_EXCEPTION_IN_START,
    } <= facility_kinds


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"note": "あ" * 51}, "note"),
        ({"note": "髙橋の件 \u2603"}, "note"),  # not in CP932
        (
            {
                "notification_type": NotificationType.ADDRESS_EXCEPTION_IN_START,
                "facility_name": "特別養護老人ホーム" * 5,
                "facility_address": "さいたま市",
            },
            "facility_name",
        ),
    ],
)
def test_texts_must_fit_the_union_file(counter: Counter, changes: dict[str, object], field: str) -> None:
    with pytest.raises(NotificationError) as info:
        notification_enter(actor=actor_of(counter.clerk), data=disability_input(counter.person, **changes))
    assert info.value.field == field


def test_records_round_trip_through_the_union_file(counter: Counter) -> None:
    from kouki.interfaces.union.notification_info import dump_notification_info, parse_notification_info

    sup, other = actor_of(counter.supervisor), actor_of(counter.other_supervisor)
    facility = disability_input(
        counter.person,
        notification_type=NotificationType.ADDRESS_EXCEPTION_START,
        facility_name="特別養護老人ホーム　見沼の里",
        facility_address="東京都練馬区豊玉北六丁目1番1号",
        note="区域外施設への入所",
    )
    for data in (disability_input(counter.person), facility):
        n = notification_enter(actor=sup, data=data)
        notification_confirm(actor=other, notification_id=n.pk, note="照合")
    records = notifications_to_send(date(2026, 11, 30))
    parsed = parse_notification_info(dump_notification_info(records, created_on=date(2026, 11, 30)), "x.dat")
    assert parsed.ok and parsed.records == records
