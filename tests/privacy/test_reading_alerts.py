"""Bulk reading noticed (issue 14 §6): reveals and person views per user and hour, alerts for auditors.

The probe of issue 14 — a number clerk revealing 200 different numbers in seconds — raises alerts and hits
the hard limit; a clerk's normal pace (30 reveals spread over an hour) raises nothing. Defaults are used
unless a test says otherwise. Numbers are never put into assertions' displayed values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.cli import main
from kouki.privacy.alerts import ALERT_RULES, AlertError, alert_acknowledge, alerts
from kouki.privacy.bulk import bulk_store_numbers
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.models import Alert, AuditEntry, PersonView, ReferenceLog
from kouki.privacy.reading import ReadingLimitExceeded, person_view_record
from kouki.privacy.redaction import contains_personal_number

from .helpers import actor_of

Numbers = Callable[[], str]
People = Callable[[], Person]
pytestmark = pytest.mark.django_db


def _people_with_numbers(make_number: Numbers, make_person: People, n: int) -> list[int]:
    people = [make_person().pk for _ in range(n)]
    bulk_store_numbers([(pid, make_number()) for pid in people], source="tests")
    return people


def _reveal(user: StaffUser, pid: int) -> bool:
    """True when a number was shown (never returns the number itself)."""
    return reveal_personal_number(user=user, person_id=pid, purpose="identity", screen="宛名詳細",
                                  terminal_id="T-0101") is not None


@contextmanager
def clock(start: datetime) -> Iterator[Callable[[timedelta], None]]:
    """timezone.now() under the test's control (the reference log, the audit rows and the counts)."""
    at = [start]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: at[0]):
        def advance(step: timedelta) -> None:
            at[0] += step

        yield advance


def test_the_probe_200_reveals_in_seconds_raises_alerts_and_hits_the_hard_limit(
    make_number: Numbers, make_person: People, number_clerk: StaffUser,
) -> None:
    people = _people_with_numbers(make_number, make_person, 200)
    shown = refused = 0
    started = timezone.now()
    for pid in people:
        try:
            shown += _reveal(number_clerk, pid)
        except ReadingLimitExceeded:
            refused += 1
    assert (timezone.now() - started) < timedelta(minutes=10)
    assert (shown, refused) == (120, 80)  # KOUKI_REVEAL_LIMIT_PER_HOUR default 120
    raised = {a.kind: a for a in Alert.objects.filter(user=number_clerk)}
    assert set(raised) == {"reveal_burst", "reveal_hourly", "reveal_limit"}  # one of each, not hundreds
    assert raised["reveal_limit"].count == 80  # the refused attempts
    assert raised["reveal_hourly"].count == 120 and raised["reveal_burst"].count == 120
    assert ReferenceLog.objects.filter(user=number_clerk).count() == 120  # refused ones showed nothing
    assert AuditEntry.objects.filter(action="reading.refused", actor=number_clerk.username).count() == 80
    assert AuditEntry.objects.filter(action="alert.raise").count() == 3
    text = json.dumps([[a.kind, a.details, a.username] for a in raised.values()], ensure_ascii=False)
    assert contains_personal_number(text) is False


def test_a_clerks_normal_pace_raises_nothing(
    make_number: Numbers, make_person: People, number_clerk: StaffUser,
) -> None:
    people = _people_with_numbers(make_number, make_person, 30)
    with clock(timezone.now() - timedelta(hours=2)) as advance:
        for pid in people:  # 30 reveals in an hour, one every two minutes
            assert _reveal(number_clerk, pid) is True
            advance(timedelta(minutes=2))
        for pid in people[:10]:  # and a busy spell: ten in five minutes
            assert _reveal(number_clerk, pid) is True
            advance(timedelta(seconds=30))
    assert Alert.objects.exists() is False


def test_the_hard_limit_slides_with_the_hour(
    settings: object, make_number: Numbers, make_person: People, number_clerk: StaffUser,
) -> None:
    settings.KOUKI_REVEAL_LIMIT_PER_HOUR = 3  # type: ignore[attr-defined]
    settings.KOUKI_REVEAL_ALERT_PER_HOUR = 0  # type: ignore[attr-defined]  # 0: that check off
    people = _people_with_numbers(make_number, make_person, 5)
    with clock(timezone.now() - timedelta(hours=3)) as advance:
        for pid in people[:3]:
            assert _reveal(number_clerk, pid) is True
            advance(timedelta(minutes=1))
        with pytest.raises(ReadingLimitExceeded, match="1時間に3件まで"):
            _reveal(number_clerk, people[3])
        advance(timedelta(minutes=58))  # the first reveal falls out of the last 60 minutes
        assert _reveal(number_clerk, people[3]) is True
    assert list(Alert.objects.values_list("kind", "count")) == [("reveal_limit", 1)]


def test_person_views_are_recorded_limited_and_alerted(
    settings: object, make_person: People, number_clerk: StaffUser,
) -> None:
    settings.KOUKI_PERSON_VIEW_BURST = 4  # type: ignore[attr-defined]
    settings.KOUKI_PERSON_VIEW_LIMIT_PER_HOUR = 6  # type: ignore[attr-defined]
    people = [make_person().pk for _ in range(8)]
    refused = 0
    for pid in people:
        try:
            person_view_record(user=number_clerk, person_id=pid, terminal_id="T-0101")
        except ReadingLimitExceeded:
            refused += 1
    assert refused == 2 and PersonView.objects.filter(user=number_clerk).count() == 6
    assert {a.kind for a in Alert.objects.all()} == {"person_view_burst", "person_view_limit"}


def test_an_auditor_acknowledges_an_alert_with_a_note_once(
    settings: object, make_number: Numbers, make_person: People, number_clerk: StaffUser, auditor: StaffUser,
    make_number_for_note: str,
) -> None:
    settings.KOUKI_REVEAL_BURST = 2  # type: ignore[attr-defined]
    for pid in _people_with_numbers(make_number, make_person, 2):
        _reveal(number_clerk, pid)
    alert = Alert.objects.get(kind="reveal_burst")
    with pytest.raises(AlertError, match="権限"):
        alert_acknowledge(actor=actor_of(number_clerk), alert_id=alert.pk, note="自分で確認")
    with pytest.raises(AlertError, match="確認メモ"):
        alert_acknowledge(actor=actor_of(auditor), alert_id=alert.pk, note=" ")
    with pytest.raises(AlertError, match="個人番号"):
        alert_acknowledge(actor=actor_of(auditor), alert_id=alert.pk, note=f"番号 {make_number_for_note}")
    alert_acknowledge(actor=actor_of(auditor), alert_id=alert.pk, note="窓口混雑時の確認。業務上の参照と確認")
    alert.refresh_from_db()
    assert alert.acknowledged_by == auditor and alert.acknowledged_at is not None
    with pytest.raises(AlertError, match="確認済み"):
        alert_acknowledge(actor=actor_of(auditor), alert_id=alert.pk, note="もう一度")
    assert AuditEntry.objects.filter(action="alert.acknowledge", target_id=str(alert.pk)).count() == 1
    assert list(alerts(open_only=True)) == []


@pytest.fixture
def make_number_for_note(make_number: Numbers) -> str:
    number = make_number()
    return f"{number[:4]} {number[4:8]} {number[8:]}"  # written as on the card


def test_alerts_list_and_ack_commands(
    settings: object, make_number: Numbers, make_person: People, number_clerk: StaffUser, auditor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.KOUKI_REVEAL_BURST = 2  # type: ignore[attr-defined]
    for pid in _people_with_numbers(make_number, make_person, 2):
        _reveal(number_clerk, pid)
    alert = Alert.objects.get()
    assert main(["alerts", "list", "--open", "--as", number_clerk.username]) == 3  # not an auditor
    capsys.readouterr()
    assert main(["alerts", "list", "--open", "--as", auditor.username]) == 0
    out = capsys.readouterr().out
    assert f"#{alert.pk}" in out and "reveal_burst" in out and "user=clerk01" in out and "未確認" in out
    note = "確認済: 業務上の参照"
    assert main(["alerts", "ack", str(alert.pk), "--note", note, "--as", auditor.username]) == 0
    assert main(["alerts", "list", "--open", "--as", auditor.username]) == 0
    assert "0 alert(s)" in capsys.readouterr().out
    assert main(["alerts", "ack", str(alert.pk), "--note", "再", "--as", auditor.username]) == 2
    assert "確認済み" in capsys.readouterr().err


def test_every_rule_is_registered_with_a_label_and_meaning() -> None:
    kinds = {f"{r}_{w}" for r in ("reveal", "person_view") for w in ("burst", "hourly", "limit")}
    assert kinds <= set(ALERT_RULES)
    assert all(rule.label and rule.meaning for rule in ALERT_RULES.values())
