"""The select_for_update paths with two real connections on PostgreSQL (issue 16 §5).

Each race runs the first service call in a transaction that stays open until the second call — in another
thread, on its own connection — is seen waiting for a row lock in pg_stat_activity; then the first commits
and the second goes on. The second must have waited (serialised), and the final state must reflect both
calls or the second must be refused explicitly. Without the locks each pair would lose an update (a refund
spent twice, a receipt cancelled twice, a reissue on a stopped account, a confirmation of a returned entry).

PostgreSQL only: SQLite serialises every writer on the file, so there is no row lock to observe there
(the optimistic checks of tests/web/test_stale_edits.py run on both databases)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import connection, transaction
from factories import make_household, make_person, make_staff
from notifications.conftest import actor_of, disability_input
from web.collection_samples import ACTOR, FY, PAID_ON, overpaid, pay, person_with_plan

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Receipt, ReceiptStatus, Refund
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.collection.services import receipt_cancel
from kouki.collection.state import CollectionError
from kouki.notifications.models import Notification, Status
from kouki.notifications.services import (
    NotificationError,
    notification_confirm,
    notification_enter,
    notification_return,
)
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff.enrol import staff_reissue_code
from kouki.staff.services import StaffAccountError, staff_disable

# Collected only when the suite runs on PostgreSQL (tests/conftest.py: files named *_postgres.py), so the
# SQLite run neither runs nor skips it; CI's second stage runs it.
pytestmark = pytest.mark.django_db(transaction=True)
GIVE_UP_S = 60  # a hung race fails the test instead of hanging CI; nothing is asserted about time


@dataclass
class Race:
    second_waited: bool = False
    results: dict[str, object] = field(default_factory=dict)


def _lock_waiters() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        row = cur.fetchone()
    return int(row[0]) if row else 0


def race(first: Callable[[], object], second: Callable[[], object]) -> Race:
    """Run `first` holding its locks until `second` (another connection) waits for them; returns whether
    it waited and what each returned or raised."""
    out = Race()
    holding, release = threading.Event(), threading.Event()

    def keep(name: str, call: Callable[[], object]) -> None:
        try:
            out.results[name] = call()
        except Exception as exc:  # the refusal is the result under test
            out.results[name] = exc

    def run_first() -> None:
        try:
            with transaction.atomic():
                keep("first", first)
                holding.set()
                release.wait(GIVE_UP_S)
        finally:
            holding.set()
            connection.close()

    def run_second() -> None:
        try:
            keep("second", second)
        finally:
            connection.close()

    one = threading.Thread(target=run_first)
    one.start()
    holding.wait(GIVE_UP_S)
    two = threading.Thread(target=run_second)
    two.start()
    give_up = time.monotonic() + GIVE_UP_S
    while two.is_alive() and time.monotonic() < give_up and not out.second_waited:
        out.second_waited = _lock_waiters() > 0
        time.sleep(0.01)
    release.set()
    one.join(GIVE_UP_S)
    two.join(GIVE_UP_S)
    assert not isinstance(out.results.get("first"), Exception), out.results.get("first")
    return out


def test_two_refunds_of_one_overpayment_serialise_and_the_second_is_refused() -> None:
    person = overpaid()  # 10,000 open in FY2024

    def decide() -> object:
        return refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=2024, amount=6_000,
                             reason="還付請求", on=PAID_ON)

    done = race(decide, decide)
    assert done.second_waited
    refused = done.results["second"]
    assert isinstance(refused, CollectionError) and "超えています" in str(refused)
    assert list(Refund.objects.values_list("amount", flat=True)) == [6_000]


def test_two_counter_payments_for_one_person_serialise_and_both_are_allocated() -> None:
    person, rows = person_with_plan()
    done = race(lambda: pay(person, rows[0].amount), lambda: pay(person, rows[1].amount))
    assert done.second_waited
    assert all(isinstance(r, Receipt) for r in done.results.values())
    book = ledger(person.pk, FY)
    assert book.received == rows[0].amount + rows[1].amount
    assert book.unpaid == sum(r.amount for r in rows) - rows[0].amount - rows[1].amount
    assert [s.unpaid for s in instalment_statuses(person.pk, FY)][:2] == [0, 0]  # each paid its own


def test_two_cancellations_of_one_receipt_serialise_and_the_second_is_refused() -> None:
    person, rows = person_with_plan()
    receipt = pay(person, rows[0].amount)

    def cancel(reason: str) -> Callable[[], object]:
        return lambda: receipt_cancel(actor=ACTOR, receipt_id=receipt.pk, reason=reason, on=PAID_ON)

    done = race(cancel("二重入力"), cancel("入力誤り"))
    assert done.second_waited
    assert isinstance(done.results["second"], CollectionError)
    after = Receipt.objects.get(pk=receipt.pk)
    assert after.status == ReceiptStatus.CANCELLED and after.cancel_reason == "二重入力"
    assert after.version == 1
    assert AuditEntry.objects.filter(action="receipt_cancel").count() == 1


def test_a_reissue_waits_for_a_stop_of_the_same_account_and_is_refused() -> None:
    clerk = make_staff(Role.COUNTER_CLERK).user
    first, second = (make_staff(Role.SYSTEM_ADMIN).user for _ in range(2))
    done = race(
        lambda: staff_disable(actor=Actor(first.username, "T-01", first.pk), username=clerk.username,
                              reason="異動"),
        lambda: staff_reissue_code(actor=Actor(second.username, "T-02", second.pk), username=clerk.username,
                                   reason="紛失"),
    )
    assert done.second_waited
    refused = done.results["second"]
    assert isinstance(refused, StaffAccountError) and "利用停止中" in str(refused)
    after = StaffUser.objects.get(pk=clerk.pk)
    assert not after.is_active and after.version == 1
    assert not AuditEntry.objects.filter(action="staff.reset_totp").exists()


def test_a_return_and_a_confirmation_of_one_notification_serialise() -> None:
    person = make_person(family_name="高橋", given_name="一郎", family_name_kana="タカハシ",
                         given_name_kana="イチロウ", birth_date=date(1956, 3, 10),
                         household=make_household(), is_householder=True, relationship="世帯主")
    clerk, one, two = (make_staff(r) for r in (Role.COUNTER_CLERK, Role.SUPERVISOR, Role.SUPERVISOR))
    n = notification_enter(actor=actor_of(clerk), data=disability_input(person))
    done = race(
        lambda: notification_return(actor=actor_of(one), notification_id=n.pk, note="異動日が違います"),
        lambda: notification_confirm(actor=actor_of(two), notification_id=n.pk, note="照合"),
    )
    assert done.second_waited
    assert isinstance(done.results["second"], NotificationError)
    after = Notification.objects.get(pk=n.pk)
    assert after.status == Status.RETURNED and after.confirmed_by is None
    assert not AuditEntry.objects.filter(action="notification.confirm").exists()
