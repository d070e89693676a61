"""Anomaly alerts (issue 15 §2): each rule raises its alert on the pattern it is for and stays quiet on
ordinary work. Times are set with a controlled clock; days and office hours are the city's (Asia/Tokyo).
Numbers are synthetic (the privacy fixtures) and never appear in assertions' displayed values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from factories import make_person as make_registered_person

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm, Role
from kouki.addressees.models import Person
from kouki.cli import main
from kouki.commands.alerts import _readers
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.alerts import ALERT_RULES, alert_acknowledge
from kouki.privacy.anomalies import scan
from kouki.privacy.anomalies.people import person_ward, staff_family_name, staff_ward
from kouki.privacy.audit import audit_record
from kouki.privacy.bulk import bulk_store_numbers
from kouki.privacy.gate import find_person_by_personal_number, reveal_personal_number
from kouki.privacy.models import Alert, KnownTerminal, PersonView
from kouki.staff.operators import command_operator
from kouki.staff.services import signed_in

from .helpers import actor_of

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
Numbers = Callable[[], str]
MONDAY_10 = datetime(2026, 6, 1, 10, 0, tzinfo=TOKYO)  # a business day, in office hours
SUNDAY_22 = datetime(2026, 5, 31, 22, 0, tzinfo=TOKYO)


@contextmanager
def clock(start: datetime) -> Iterator[Callable[[timedelta], None]]:
    at = [start]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: at[0]):
        def advance(step: timedelta) -> None:
            at[0] += step

        yield advance


def _staff(username: str, role: Role, *, office: str = "浦和区役所 保険年金課",
           staff_name: str = "") -> StaffUser:
    user: StaffUser = StaffUser.objects.create_user(
        username=username, password=None, role=role.value, staff_name=staff_name or f"職員 {username}",
        office=office)
    return user


def _numbered(make_number: Numbers, **person: Any) -> int:
    pid = make_registered_person(**person).pk
    bulk_store_numbers([(pid, make_number())], source="tests")
    return pid


def _reveal(user: StaffUser, pid: int) -> None:
    reveal_personal_number(user=user, person_id=pid, purpose="identity", screen="宛名詳細",
                           terminal_id="T-0101")


def _scan(start: datetime, *, hours: int = 24, now: datetime | None = None) -> None:
    scan(since=start - timedelta(hours=12), until=start + timedelta(hours=hours), readers=_readers(),
         now=now or start + timedelta(days=2))


def _kinds(user: StaffUser) -> dict[str, Alert]:
    return {a.kind: a for a in Alert.objects.filter(user=user)}


# -- reveals without counter work ---------------------------------------------------------------------

def test_a_reveal_without_counter_work_on_the_person_is_flagged(make_number: Numbers) -> None:
    clerk = _staff("clerk11", Role.NUMBER_CLERK)
    pid = _numbered(make_number)
    with clock(MONDAY_10):
        _reveal(clerk, pid)
    _scan(MONDAY_10)
    alert = _kinds(clerk)["reveal_without_counter_work"]
    assert alert.count == 1 and alert.details["window_minutes"] == 180


def test_a_reveal_with_own_work_on_the_person_within_the_window_is_not(make_number: Numbers) -> None:
    clerk, other = _staff("clerk12", Role.NUMBER_CLERK), _staff("clerk13", Role.NUMBER_CLERK)
    pid, pid2 = _numbered(make_number), _numbered(make_number)
    with clock(MONDAY_10) as advance:
        _reveal(clerk, pid)
        _reveal(clerk, pid2)
        advance(timedelta(minutes=30))  # the certificate handed over after the reveal: counter work
        audit_record(actor=actor_of(clerk), action=AuditAction.CERTIFICATES_ISSUE,
                     target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(pid), detail={})
        # work on the second person, but by someone else, or by the clerk long after: not the clerk's
        audit_record(actor=actor_of(other), action=AuditAction.CERTIFICATES_ISSUE,
                     target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(pid2), detail={})
        advance(timedelta(hours=4))
        audit_record(actor=actor_of(clerk), action=AuditAction.CERTIFICATES_ISSUE,
                     target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(pid2), detail={})
    _scan(MONDAY_10)
    assert _kinds(clerk)["reveal_without_counter_work"].count == 1  # pid2 only


def test_reveals_younger_than_the_window_wait_for_the_next_scan(make_number: Numbers) -> None:
    clerk = _staff("clerk14", Role.NUMBER_CLERK)
    with clock(MONDAY_10):
        _reveal(clerk, _numbered(make_number))
    _scan(MONDAY_10, now=MONDAY_10 + timedelta(minutes=60))
    assert "reveal_without_counter_work" not in _kinds(clerk)


# -- outside the ward, own family name ----------------------------------------------------------------

def test_wards_and_family_names_are_read_from_office_address_and_staff_name() -> None:
    assert staff_ward("浦和区役所 保険年金課") == "浦和区" == staff_ward("さいたま市浦和区役所 保険年金課")
    assert staff_ward("保険年金課") == ""
    assert person_ward("さいたま市大宮区高鼻町一丁目1番地", "さいたま市") == "大宮区"
    assert person_ward("埼玉県さいたま市大宮区高鼻町一丁目1番地", "さいたま市") == "大宮区"
    assert person_ward("川口市本町一丁目1番1号", "さいたま市") == ""
    assert staff_family_name("山田 花子") == "山田" == staff_family_name("山田\u3000花子")
    assert staff_family_name("山田花子") == ""


def test_reveals_of_people_of_other_wards_reach_the_daily_threshold(make_number: Numbers,
                                                                     settings: Any) -> None:
    settings.KOUKI_ALERT_OUTSIDE_WARD_PER_DAY = 2
    clerk = _staff("clerk21", Role.NUMBER_CLERK)
    with clock(MONDAY_10):
        for _ in range(2):
            _reveal(clerk, _numbered(make_number, address="さいたま市大宮区高鼻町一丁目1番地"))
    _scan(MONDAY_10)
    alert = _kinds(clerk)["reveal_outside_ward"]
    assert alert.count == 2 and alert.details["ward"] == "浦和区"


def test_own_ward_and_a_single_other_ward_and_central_office_staff_are_not_flagged(
        make_number: Numbers, settings: Any) -> None:
    settings.KOUKI_ALERT_OUTSIDE_WARD_PER_DAY = 2
    clerk = _staff("clerk22", Role.NUMBER_CLERK)
    central = _staff("clerk23", Role.NUMBER_CLERK, office="保険年金課")
    with clock(MONDAY_10):
        for _ in range(3):
            _reveal(clerk, _numbered(make_number, address="さいたま市浦和区高砂三丁目1番1号"))
        _reveal(clerk, _numbered(make_number, address="さいたま市大宮区高鼻町一丁目1番地"))
        _reveal(clerk, _numbered(make_number, address="川口市本町一丁目1番1号"))  # no ward of the city
        for _ in range(3):
            _reveal(central, _numbered(make_number, address="さいたま市大宮区高鼻町一丁目1番地"))
    _scan(MONDAY_10)
    assert "reveal_outside_ward" not in _kinds(clerk) and "reveal_outside_ward" not in _kinds(central)


def test_a_reveal_of_someone_with_the_users_family_name_is_flagged(make_number: Numbers) -> None:
    clerk = _staff("clerk24", Role.NUMBER_CLERK, staff_name="鈴木 花子")
    with clock(MONDAY_10):
        _reveal(clerk, _numbered(make_number, family_name="鈴木", family_name_kana="スズキ"))
        _reveal(clerk, _numbered(make_number, family_name="佐藤", family_name_kana="サトウ"))
    _scan(MONDAY_10)
    assert _kinds(clerk)["reveal_own_family"].count == 1


def test_other_family_names_and_the_rule_turned_off_raise_nothing(make_number: Numbers,
                                                                  settings: Any) -> None:
    clerk = _staff("clerk25", Role.NUMBER_CLERK, staff_name="鈴木 花子")
    with clock(MONDAY_10):
        _reveal(clerk, _numbered(make_number, family_name="佐藤", family_name_kana="サトウ"))
    _scan(MONDAY_10)
    settings.KOUKI_ALERT_OWN_FAMILY = "0"
    other = _staff("clerk26", Role.NUMBER_CLERK, staff_name="佐藤 一郎")
    with clock(MONDAY_10):
        _reveal(other, _numbered(make_number, family_name="佐藤", family_name_kana="サトウ"))
    _scan(MONDAY_10)
    assert "reveal_own_family" not in _kinds(clerk) and "reveal_own_family" not in _kinds(other)


# -- volume per day / hour ----------------------------------------------------------------------------

def _views(user: StaffUser, person: Person, at: datetime, n: int) -> None:
    for i in range(n):
        PersonView.objects.create(user=user, person=person, at=at + timedelta(minutes=i), terminal_id="T-1")


def test_person_views_beyond_the_daily_threshold_are_flagged_per_day(settings: Any) -> None:
    settings.KOUKI_ALERT_PERSON_VIEWS_PER_DAY = 3
    clerk = _staff("clerk31", Role.COUNTER_CLERK)
    person = make_registered_person()
    _views(clerk, person, MONDAY_10, 3)
    _views(clerk, person, MONDAY_10 + timedelta(days=1), 2)  # the next day: below
    _scan(MONDAY_10, hours=48)
    alerts = Alert.objects.filter(user=clerk, kind="person_view_daily")
    assert [(a.count, a.details["day"]) for a in alerts] == [(3, "2026-06-01")]


def test_person_views_below_the_daily_threshold_raise_nothing(settings: Any) -> None:
    settings.KOUKI_ALERT_PERSON_VIEWS_PER_DAY = 3
    clerk = _staff("clerk32", Role.COUNTER_CLERK)
    _views(clerk, make_registered_person(), MONDAY_10, 2)
    _scan(MONDAY_10)
    assert not Alert.objects.filter(user=clerk).exists()


def test_personal_number_searches_per_hour_and_day(make_number: Numbers, settings: Any) -> None:
    settings.KOUKI_ALERT_SEARCHES_PER_HOUR = 3
    settings.KOUKI_ALERT_SEARCHES_PER_DAY = 5
    fast, slow = _staff("clerk33", Role.NUMBER_CLERK), _staff("clerk34", Role.NUMBER_CLERK)
    with clock(MONDAY_10 - timedelta(hours=1)) as advance:
        for user, step in ((fast, timedelta(minutes=5)), (slow, timedelta(minutes=40))):
            for _ in range(4):
                find_person_by_personal_number(user=user, number=make_number(), purpose="identity",
                                               screen="番号検索", terminal_id="T-0101")
                advance(step)
    _scan(MONDAY_10)
    assert _kinds(fast)["search_hourly"].count == 4
    assert _kinds(slow) == {}  # 4 searches, never 3 within an hour, below 5 a day


def test_reveals_per_day(make_number: Numbers, settings: Any) -> None:
    settings.KOUKI_ALERT_REVEALS_PER_DAY = 2
    clerk, calm = _staff("clerk35", Role.NUMBER_CLERK), _staff("clerk36", Role.NUMBER_CLERK)
    with clock(MONDAY_10):
        _reveal(clerk, _numbered(make_number))
        _reveal(clerk, _numbered(make_number))
        _reveal(calm, _numbered(make_number))
    _scan(MONDAY_10)
    assert _kinds(clerk)["reveal_daily"].count == 2 and "reveal_daily" not in _kinds(calm)


# -- out of hours ---------------------------------------------------------------------------------------

def test_activity_on_a_sunday_evening_is_flagged_and_office_hours_are_not() -> None:
    late, day = _staff("clerk41", Role.COUNTER_CLERK), _staff("clerk42", Role.COUNTER_CLERK)
    with clock(SUNDAY_22):  # 13:00 UTC: the city's time decides
        audit_record(actor=actor_of(late), action=AuditAction.CONTACT_RECORD, target_type=AuditTarget.PERSON,
                     target_id="1", detail={})
    with clock(MONDAY_10):
        audit_record(actor=actor_of(day), action=AuditAction.CONTACT_RECORD, target_type=AuditTarget.PERSON,
                     target_id="1", detail={})
    _scan(SUNDAY_22, hours=24)
    assert _kinds(late)["out_of_hours"].details["day"] == "2026-05-31"
    assert _kinds(day) == {}


def test_out_of_hours_exempt_users_and_office_hours_setting(settings: Any) -> None:
    settings.KOUKI_ALERT_OUT_OF_HOURS_EXEMPT = "batch01"
    settings.KOUKI_OFFICE_HOURS = "07:00-23:00"
    batch, evening = _staff("batch01", Role.SYSTEM_ADMIN), _staff("clerk43", Role.COUNTER_CLERK)
    with clock(SUNDAY_22):
        audit_record(actor=actor_of(batch), action=AuditAction.CONTACT_RECORD, target_type=AuditTarget.PERSON,
                     target_id="1", detail={})
    with clock(MONDAY_10 + timedelta(hours=12)):  # Monday 22:00 within the configured hours
        audit_record(actor=actor_of(evening), action=AuditAction.CONTACT_RECORD,
                     target_type=AuditTarget.PERSON, target_id="1", detail={})
    _scan(SUNDAY_22, hours=48)
    assert _kinds(batch) == {} and _kinds(evening) == {}


# -- sign-in: dormant, new terminal, out of hours -----------------------------------------------------

def _sign_in(user: StaffUser, terminal: str) -> None:
    signed_in(actor_of(user, terminal), user, "10.0.0.1", {"factor": "totp"})
    user.refresh_from_db()


def test_a_sign_in_after_the_dormant_days_is_flagged() -> None:
    user = _staff("clerk51", Role.COUNTER_CLERK)
    with clock(MONDAY_10 - timedelta(days=91)):
        _sign_in(user, "T-1")
    with clock(MONDAY_10):
        _sign_in(user, "T-1")
    alert = _kinds(user)["dormant_account_active"]
    assert alert.details["days_without_login"] == 91 and alert.details["dormant_days"] == 90


def test_a_sign_in_within_the_dormant_days_is_not(settings: Any) -> None:
    user = _staff("clerk52", Role.COUNTER_CLERK)
    with clock(MONDAY_10 - timedelta(days=89)):
        _sign_in(user, "T-1")
    with clock(MONDAY_10):
        _sign_in(user, "T-1")
    settings.KOUKI_DORMANT_DAYS = 0  # off
    with clock(MONDAY_10 + timedelta(days=400)):
        _sign_in(user, "T-1")
    assert "dormant_account_active" not in _kinds(user)


def test_a_terminal_new_for_the_user_is_flagged_the_first_and_known_ones_are_not() -> None:
    user = _staff("clerk53", Role.COUNTER_CLERK)
    with clock(MONDAY_10) as advance:
        _sign_in(user, "T-1")  # the account's first terminal: learnt
        advance(timedelta(hours=1))
        _sign_in(user, "T-1")
        assert _kinds(user) == {}
        _sign_in(user, "T-9")
    alert = _kinds(user)["new_terminal"]
    assert alert.details["terminal"] == "T-9" and alert.details["new_for_user"] is True
    known = KnownTerminal.objects.filter(user=user).values_list("terminal_id", flat=True)
    assert set(known) == {"T-1", "T-9"}


def test_a_terminal_outside_the_configured_list_is_flagged(settings: Any) -> None:
    settings.KOUKI_ALERT_KNOWN_TERMINALS = "T-1, T-2"
    listed, unlisted = _staff("clerk54", Role.COUNTER_CLERK), _staff("clerk55", Role.COUNTER_CLERK)
    with clock(MONDAY_10):
        _sign_in(listed, "T-2")
        _sign_in(unlisted, "HOME-PC")
    assert _kinds(listed) == {}
    assert _kinds(unlisted)["new_terminal"].details["not_in_list"] is True


def test_a_sign_in_out_of_hours_is_flagged_at_once() -> None:
    user = _staff("clerk56", Role.COUNTER_CLERK)
    with clock(SUNDAY_22):
        _sign_in(user, "T-1")
    assert _kinds(user)["out_of_hours"].details["sign_in"] is True


# -- repeated refusals --------------------------------------------------------------------------------

def _refused(user: StaffUser, n: int, step: timedelta, start: datetime) -> None:
    with clock(start) as advance:
        for _ in range(n):
            audit_record(actor=actor_of(user), action=AuditAction.ACCESS_DENIED,
                         target_type=AuditTarget.STAFF, target_id=str(user.pk), detail={})
            advance(step)


def test_five_refusals_within_thirty_minutes_are_flagged_once() -> None:
    user = _staff("clerk61", Role.COUNTER_CLERK)
    _refused(user, 7, timedelta(minutes=3), MONDAY_10)
    _scan(MONDAY_10)
    alerts = Alert.objects.filter(user=user, kind="repeated_refusals")
    assert [a.count for a in alerts] == [7]


def test_refusals_spread_out_or_too_few_are_not() -> None:
    spread, few = _staff("clerk62", Role.COUNTER_CLERK), _staff("clerk63", Role.COUNTER_CLERK)
    _refused(spread, 6, timedelta(minutes=10), MONDAY_10)
    _refused(few, 4, timedelta(minutes=1), MONDAY_10)
    _scan(MONDAY_10)
    assert _kinds(spread) == {} and _kinds(few) == {}


# -- a batch run by an unusual user -------------------------------------------------------------------

def test_a_batch_first_run_by_another_operator_or_by_an_unexpected_role_is_flagged(settings: Any) -> None:
    first, second = _staff("admin71", Role.SYSTEM_ADMIN), _staff("admin72", Role.SYSTEM_ADMIN)
    command_operator(username=first.username, permission=Perm.RUN_BATCHES, command="kouki calc")
    command_operator(username=first.username, permission=Perm.RUN_BATCHES, command="kouki calc")
    assert _kinds(first) == {}  # the installation's first runner, in the operator role
    command_operator(username=second.username, permission=Perm.RUN_BATCHES, command="kouki calc")
    assert _kinds(second)["batch_unusual_user"].details["first_run_by_user"] is True
    settings.KOUKI_ALERT_BATCH_ROLES = "supervisor"
    command_operator(username=first.username, permission=Perm.IMPORT_FILES, command="kouki import")
    assert _kinds(first)["batch_unusual_user"].details["role_not_expected"] is True


def test_usual_batch_runs_and_commands_that_are_no_batch_raise_nothing() -> None:
    admin, auditor = _staff("admin73", Role.SYSTEM_ADMIN), _staff("audit73", Role.AUDITOR)
    for _ in range(2):
        command_operator(username=admin.username, permission=Perm.RUN_BATCHES, command="kouki slips")
    command_operator(username=auditor.username, permission=Perm.VIEW_AUDIT, command="kouki alerts list")
    assert _kinds(admin) == {} and _kinds(auditor) == {}


# -- the sweep: repeated, acknowledged, the command, the registry -------------------------------------

def test_a_repeated_scan_grows_no_second_alert_and_an_acknowledged_run_is_not_raised_again() -> None:
    user, auditor = _staff("clerk81", Role.COUNTER_CLERK), _staff("audit81", Role.AUDITOR)
    _refused(user, 5, timedelta(minutes=1), MONDAY_10)
    _scan(MONDAY_10)
    _scan(MONDAY_10)
    alert = Alert.objects.get(user=user)
    assert alert.count == 5
    alert_acknowledge(actor=actor_of(auditor), alert_id=alert.pk, note="パスワード忘れ。本人に確認済み")
    _scan(MONDAY_10)
    assert Alert.objects.filter(user=user).count() == 1
    _refused(user, 5, timedelta(minutes=1), MONDAY_10 + timedelta(hours=3))  # a new run after it
    _scan(MONDAY_10)
    assert Alert.objects.filter(user=user).count() == 2


def test_the_scan_command_runs_for_auditors_only(capsys: pytest.CaptureFixture[str]) -> None:
    user, auditor = _staff("clerk82", Role.COUNTER_CLERK), _staff("audit82", Role.AUDITOR)
    _refused(user, 5, timedelta(minutes=1), MONDAY_10)
    assert main(["alerts", "scan", "--since", "2026-06-01", "--until", "2026-06-01",
                 "--as", user.username]) == 3
    assert main(["alerts", "scan", "--since", "2026-06-02", "--until", "2026-06-01",
                 "--as", auditor.username]) == 2
    capsys.readouterr()
    assert main(["alerts", "scan", "--since", "2026-06-01", "--until", "2026-06-01",
                 "--as", auditor.username]) == 0
    assert "refusals: 1 alert run(s)" in capsys.readouterr().out
    assert main(["alerts", "list", "--as", auditor.username]) == 0
    assert "repeated_refusals (拒否の繰り返し) user=clerk82 count=5" in capsys.readouterr().out


NEW_KINDS = {"reveal_without_counter_work", "reveal_outside_ward", "reveal_own_family", "reveal_daily",
             "person_view_daily", "search_hourly", "search_daily", "out_of_hours", "new_terminal",
             "repeated_refusals", "dormant_account_active", "batch_unusual_user"}


def test_every_new_kind_is_registered_with_a_japanese_label_and_meaning() -> None:
    assert NEW_KINDS <= set(ALERT_RULES)
    for kind in NEW_KINDS:
        rule = ALERT_RULES[kind]
        assert rule.label and rule.meaning and not rule.label.isascii() and not rule.meaning.isascii()
