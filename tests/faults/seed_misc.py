"""Run as a subprocess by the crash harness (tests/faults/harness.py) against the seed database, after
seed_world.py: adds what `kouki retention purge`, `kouki alerts scan` and `kouki linkage backfill` work on
(tests/faults/test_misc_crash.py):

- records long expired under the periods the test sets (KOUKI_RETENTION there): acknowledged alerts,
  rejected import records, 宛名閲覧記録, 住基ネット照会記録 (one a 届出 still refers to: kept), login
  failures, and 情報提供等記録 with their 照会結果 older than seven years;
- the auditor who runs the scan, and two members of staff whose audit rows fall out of office hours on
  Sunday 2026-05-31 (one of them also refused six times within minutes);
- persons whose personal numbers were stored before integrated numbers existed (their numbers removed).

Synthetic people only (tests/factories.py); deterministic: the same database gets the same rows."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

TESTS = Path(__file__).resolve().parents[1]
TOKYO = ZoneInfo("Asia/Tokyo")
OLD = datetime(2019, 4, 1, 10, 0, tzinfo=TOKYO)  # seven years and more before any day the tests run
SUNDAY_NIGHT = datetime(2026, 5, 31, 21, 0, tzinfo=TOKYO)
AUDITOR = "audit.mori"  # runs `kouki alerts scan`


def expired_records() -> None:
    from factories import make_person, make_staff

    from kouki.accounts.models import AccountFailure, LoginFailure
    from kouki.accounts.permissions import Role
    from kouki.inquiries.models import InquiryRecord, InquiryResult
    from kouki.interfaces.models import ImportRecord
    from kouki.jukinet.models import Lookup
    from kouki.notifications.models import Notification
    from kouki.privacy.models import Alert, PersonView

    user = make_staff(Role.NUMBER_CLERK, username="clerk.abe").user
    people = [make_person(addressee_no=f"0009{n:05d}", given_name=f"保存{n}") for n in range(6)]
    for n in range(5):
        at = OLD + timedelta(days=n)
        Alert.objects.create(kind="reveal_burst", user=user, username=user.username, window_start=at,
                             window_end=at, count=3, raised_at=at, acknowledged_at=at + timedelta(days=1),
                             acknowledged_by=user, acknowledgement_note="確認済")
        ImportRecord.objects.create(kind="tax_income", file_name=f"tax-old-{n}.dat", sha256=f"{n:064d}",
                                    status="rejected", line_count=3, imported_at=at, imported_by="ops")
        LoginFailure.objects.create(address=f"192.0.2.{n + 1}", failed_at=at)
        AccountFailure.objects.create(user=user, failed_at=at)
    Alert.objects.create(kind="reveal_burst", user=user, username=user.username, window_start=OLD,
                         window_end=OLD, count=3, raised_at=OLD)  # never acknowledged: stays
    for n in range(23):  # more than the --batch-size the test gives: several batches
        PersonView.objects.create(user=user, person=people[n % len(people)], at=OLD + timedelta(hours=n),
                                  terminal_id="T-0101")
    lookups = [Lookup.objects.create(user=user, username=user.username, at=OLD + timedelta(days=n),
                                     terminal_id="T-1", screen="届出", purpose_code="identity",
                                     purpose="本人確認", search_kind="four_items", hit_count=1)
               for n in range(3)]
    Notification.objects.create(  # refers to the first lookup: it is kept (PROTECT)
        person=people[0], notification_type="move_in", effective_date=OLD.date(), received_on=OLD.date(),
        stated_kana="ホゾン タロウ", stated_birth_date=date(1940, 1, 1), applicant="self",
        resident_network_checked=True, resident_network_lookup=lookups[0], identity_summary="住基ネット",
        entered_by=user, entered_at=OLD)
    for n, person in enumerate(people[:4]):
        at = datetime(2017, 4, 3 + n, 9, 0, tzinfo=TOKYO)
        record = InquiryRecord.objects.create(
            person=person, kind="pension", inquirer="さいたま市", provider="日本年金機構",
            jimu="後期高齢者医療", item="年金給付関係情報", basis="番号法", request_id=f"REQ-OLD-{n:04d}",
            status="provided",
            requested_at=at, provided_at=at, user=user, username=user.username, terminal_id="T-01",
            screen="test", purpose_code="move_in", purpose="転入", retain_until=date(2024, 4, 3 + n))
        if n % 2 == 0:
            InquiryResult.objects.create(record=record, sealed=b"sealed", received_at=at)


def out_of_hours_activity() -> None:
    """Audit rows written at Sunday night (the clock moved back: the chain orders rows by seq)."""
    from django.db import transaction
    from factories import make_staff

    from kouki.accounts.permissions import Role
    from kouki.core.audit_vocabulary import AuditAction, AuditTarget
    from kouki.privacy.audit import audit_record
    from kouki.privacy.context import Actor

    make_staff(Role.AUDITOR, username=AUDITOR, staff_name="森 監査")
    night = [make_staff(Role.COUNTER_CLERK, username=f"clerk.night{n}", staff_name=f"夜間 {n}号").user
             for n in range(2)]
    at = [SUNDAY_NIGHT]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: at[0]):
        for n, user in enumerate(night):
            actor = Actor(username=user.username, terminal_id="T-0101", user_id=user.pk)
            for step in range(3 + 6 * n):
                at[0] = SUNDAY_NIGHT + timedelta(minutes=10 * n + 2 * step)
                action = AuditAction.ACCESS_DENIED if n and step >= 3 else AuditAction.PERSONAL_NUMBER_SEARCH
                with transaction.atomic():
                    audit_record(actor=actor, action=action, target_type=AuditTarget.PERSON,
                                 target_id=str(1 + step))


def numbers_without_integrated_numbers() -> None:
    from kouki.privacy.models import IntegratedAddressee, PersonalNumber

    holders = list(PersonalNumber.objects.filter(is_current=True).order_by("person_id")
                   .values_list("person_id", flat=True)[:12])
    assert len(holders) == 12, "the synthetic city stores personal numbers"
    IntegratedAddressee.objects.filter(person_id__in=holders[::2] + holders[-3:]).delete()


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    import itertools

    import factories

    factories._serial = itertools.count(10_000)  # seed_world.py's process numbered from 1 already
    expired_records()
    out_of_hours_activity()
    numbers_without_integrated_numbers()


if __name__ == "__main__":
    main()
