"""USE-01 matching checks 1 and 3 → the mismatch worklist; idempotent runs; resolution with a note."""

from __future__ import annotations

from datetime import date

import pytest
from factories import add_version, make_person

from kouki.addressees.models import ChangeKind, Person, PersonStatus, Registration
from kouki.notifications.matching import age_on, matching_run
from kouki.notifications.models import (
    MatchingMismatch,
    MismatchKind,
    MismatchStatus,
    Notification,
    NotificationType,
)
from kouki.notifications.selectors import open_mismatches
from kouki.notifications.services import (
    NotificationError,
    mismatch_resolve,
    notification_confirm,
    notification_enter,
)
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

from .conftest import Counter, actor_of, disability_input

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 27)


def _confirmed(counter: Counter, person: Person, **changes: object) -> Notification:
    n = notification_enter(actor=actor_of(counter.clerk), data=disability_input(person, **changes))
    return notification_confirm(actor=actor_of(counter.supervisor), notification_id=n.pk, note="照合")


def _kinds() -> list[tuple[str, int]]:
    return sorted(MatchingMismatch.objects.values_list("kind", "notification_id"))


def run() -> int:
    return matching_run(actor=Actor.system("matching"), on=ON)


def test_a_consistent_notification_gives_no_mismatch_and_runs_are_idempotent(counter: Counter) -> None:
    n = _confirmed(counter, counter.person)
    assert run() == 0 and run() == 0
    n.refresh_from_db()
    assert n.register_checked_on == ON
    assert AuditEntry.objects.filter(action="notification.matching_run").count() == 2


def test_check1_name_birth_and_age(counter: Counter) -> None:
    wrong_name = _confirmed(counter, counter.person, stated_kana="タカハシ ジロウ")
    wrong_birth = _confirmed(counter, counter.person, stated_birth_date=date(1956, 3, 11))
    old = make_person(
        family_name="佐藤",
        given_name="清",
        family_name_kana="サトウ",
        given_name_kana="キヨシ",
        birth_date=date(1946, 1, 5),
    )
    too_old = _confirmed(counter, old, stated_kana="サトウ キヨシ", stated_birth_date=date(1946, 1, 5))
    # hiragana and half-width spacing on the form match the register's katakana
    _confirmed(counter, counter.person, stated_kana="たかはし いちろう")
    assert run() == 3
    assert _kinds() == sorted(
        [
            (MismatchKind.NAME_OR_BIRTH, wrong_name.pk),
            (MismatchKind.NAME_OR_BIRTH, wrong_birth.pk),
            (MismatchKind.AGE, too_old.pk),
        ]
    )
    assert run() == 0
    assert "80歳" in MatchingMismatch.objects.get(kind=MismatchKind.AGE).detail


def test_check1_move_in_for_someone_not_resident_and_a_deceased_person(counter: Counter) -> None:
    moved = make_person(
        family_name="田中",
        given_name="実",
        family_name_kana="タナカ",
        given_name_kana="ミノル",
        birth_date=date(1956, 6, 1),
    )
    add_version(
        moved,
        valid_from=date(2026, 3, 1),
        change_kind=ChangeKind.MOVE_OUT,
        status=PersonStatus.MOVED_OUT,
        household=None,
    )
    move_in = _confirmed(
        counter,
        moved,
        notification_type=NotificationType.MOVE_IN,
        stated_kana="タナカ ミノル",
        stated_birth_date=date(1956, 6, 1),
    )
    dead = make_person(
        family_name="伊藤",
        given_name="進",
        family_name_kana="イトウ",
        given_name_kana="ススム",
        birth_date=date(1956, 7, 1),
    )
    add_version(
        dead,
        valid_from=date(2026, 2, 1),
        change_kind=ChangeKind.DEATH,
        status=PersonStatus.DECEASED,
        household=None,
    )
    for_dead = _confirmed(counter, dead, stated_kana="イトウ ススム", stated_birth_date=date(1956, 7, 1))
    before_record = _confirmed(counter, counter.person, effective_date=date(1999, 4, 1))
    assert run() == 3
    assert _kinds() == sorted(
        [
            (MismatchKind.NOT_RESIDENT, move_in.pk),
            (MismatchKind.DECEASED, for_dead.pk),
            (MismatchKind.NO_REGISTER_RECORD, before_record.pk),
        ]
    )
    assert "転出" in MatchingMismatch.objects.get(kind=MismatchKind.NOT_RESIDENT).detail


def test_check1_waits_for_confirmation_and_for_the_effective_date(counter: Counter) -> None:
    notification_enter(
        actor=actor_of(counter.clerk), data=disability_input(counter.person, stated_kana="ベツ ジン")
    )
    future = _confirmed(counter, counter.person, stated_kana="ベツ ジン", effective_date=date(2026, 12, 15))
    assert run() == 0
    assert matching_run(actor=Actor.system("matching"), on=date(2026, 12, 15)) == 1
    assert _kinds() == [(MismatchKind.NAME_OR_BIRTH, future.pk)]


def test_check3_a_non_resident_who_now_appears_in_the_register(counter: Counter) -> None:
    outsider = make_person(
        family_name="渡辺",
        given_name="勝",
        family_name_kana="ワタナベ",
        given_name_kana="マサル",
        birth_date=date(1955, 9, 9),
        status=PersonStatus.NON_RESIDENT,
        registration=Registration.NON_RESIDENT,
        change_kind=ChangeKind.NON_RESIDENT_REGISTRATION,
    )
    n = notification_enter(
        actor=actor_of(counter.clerk),
        data=disability_input(outsider, stated_kana="ワタナベ マサル", stated_birth_date=date(1955, 9, 9)),
    )
    make_person(
        family_name="渡辺",
        given_name="勝",
        family_name_kana="ワタナベ",
        given_name_kana="マサル",
        birth_date=date(1955, 9, 10),
    )  # a different birth date: someone else
    assert run() == 0
    resident = make_person(
        family_name="渡辺",
        given_name="勝",
        family_name_kana="ワタナベ",
        given_name_kana="マサル",
        birth_date=date(1955, 9, 9),
    )
    assert run() == 1 and run() == 0
    m = MatchingMismatch.objects.get()
    assert (m.kind, m.notification_id, m.subject_key) == (
        MismatchKind.NONRESIDENT_NOW_RESIDENT,
        n.pk,
        resident.addressee_no,
    )
    assert m.check_no == 3


def test_check3_a_death_recorded_while_the_notification_is_in_progress(counter: Counter) -> None:
    n = notification_enter(actor=actor_of(counter.clerk), data=disability_input(counter.person))
    assert run() == 0
    add_version(
        counter.person,
        valid_from=date(2026, 11, 20),
        change_kind=ChangeKind.DEATH,
        status=PersonStatus.DECEASED,
        household=None,
    )
    assert run() == 1
    m = MatchingMismatch.objects.get()
    assert (m.kind, m.notification_id) == (MismatchKind.REGISTER_CHANGE, n.pk)
    assert "死亡" in m.detail and "令和8年11月20日" in m.detail


def test_resolve_needs_a_note_and_a_supervisor_and_is_not_listed_again(counter: Counter) -> None:
    _confirmed(counter, counter.person, stated_kana="タカハシ ジロウ")
    assert run() == 1
    m = open_mismatches().get()
    with pytest.raises(NotificationError, match="処理内容"):
        mismatch_resolve(actor=actor_of(counter.supervisor), mismatch_id=m.pk, note=" ")
    with pytest.raises(NotificationError, match="権限"):
        mismatch_resolve(actor=actor_of(counter.clerk), mismatch_id=m.pk, note="確認した")
    mismatch_resolve(actor=actor_of(counter.supervisor), mismatch_id=m.pk, note="届出書の誤記。本人に確認済")
    m.refresh_from_db()
    assert m.status == MismatchStatus.RESOLVED and m.resolved_by == counter.supervisor.user
    assert m.resolution_note == "届出書の誤記。本人に確認済" and m.resolved_at is not None
    assert open_mismatches().count() == 0 and run() == 0
    entry = AuditEntry.objects.get(action="notification.mismatch_resolve")
    assert entry.actor == counter.supervisor.user.username
    with pytest.raises(NotificationError, match="処理済み"):
        mismatch_resolve(actor=actor_of(counter.supervisor), mismatch_id=m.pk, note="再度")


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1951, 4, 1), date(2026, 3, 31), 74),
        (date(1951, 4, 1), date(2026, 4, 1), 75),
        (date(1960, 2, 29), date(2025, 2, 28), 64),
        (date(1960, 2, 29), date(2025, 3, 1), 65),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age
