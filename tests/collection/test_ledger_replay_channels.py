"""The ledger must balance when the money arrives through the real channels and their files (issue 5 §6;
USE-03, IN-06): ~40 synthetic people with FY2025 plans pay July–March by a seeded random schedule —
slips at convenience stores (速報 then 確報, some paid twice, some cancelled at the register, some with a
late or only a 確報, some never confirmed, some old slips after a 更正), 口座振替 through the simulated
bank with forced failures, 特別徴収 results from the simulated union (some not deducted), exact, partial
and over payments at the counter, 更正 up and down mid-year, refunds and set-offs decided on open
overpayments, write-offs of the older year.

After each month, for every person and fiscal year, each term of
    assessed = received − refunded − set_off_out + set_off_in + unpaid + written_off
equals the test's own books (tests/collection/channel_world.py, kept from the events and files it made,
not from the ledger), the identity holds to the yen, no instalment is owed below 0 and the open
overpayment is not negative."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kouki.collection.selectors import instalment_statuses, ledger

from .channel_world import FY, World

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
MONTHS = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 4)]


def check(world: World, where: str) -> None:
    for (pid, fy), want in sorted(world.expected().items()):
        book = ledger(pid, fy)
        got = (book.assessed, book.received, book.refunded, book.set_off_out, book.set_off_in,
               book.written_off)  # fmt: skip
        assert got == want, f"{where}: person {pid} FY{fy}: ledger {got} != books {want}"
        assert book.balances, f"{where}: person {pid} FY{fy} does not balance: {book}"
        assert book.overpaid >= 0 and book.owed >= 0, f"{where}: person {pid} FY{fy}: {book}"
        bad = [s for s in instalment_statuses(pid, fy) if s.unpaid < 0]
        assert not bad, f"{where}: person {pid} FY{fy}: instalments owed below 0: {bad}"


@pytest.fixture(autouse=True)
def _pension_stop_lead(settings: Any) -> None:
    """KOUKI_PENSION_STOP_LEAD_MONTHS is [NF] (ADR 0006 §6): a test configuration of 2 months, so that a
    decrease keeps the deductions already notified and their excess becomes an overpayment."""
    settings.KOUKI_PENSION_STOP_LEAD_MONTHS = "2"


@pytest.mark.parametrize("seed", [11, 23, 47])
def test_a_year_paid_through_every_channel_keeps_every_ledger_balanced(seed: int, tmp_path: Path) -> None:
    world = World(seed, tmp_path)
    world.populate(40)
    check(world, f"seed {seed} after set-up")
    for y, m in MONTHS:
        world.month(y, m)
        check(world, f"seed {seed} end of {y}-{m:02d}")
    # the replay really went through the channels it claims to
    c = world.counts
    assert c["sokuho"] and c["kakuho"] and c["debit"] and c["pension"], dict(c)
    assert c["debited"] and c["debit_failed"] and c["pension_deducted"], dict(c)
    assert c["reassess_up"] and c["reassess_down"] and c["refund"], dict(c)
    assert c["counter_partial"] and c["counter_over"], dict(c)
    assert any(p.final and p.cancelled for p in world.store.values()), "no store payment was cancelled"
    assert any(not p.final for p in world.store.values()), "every store payment was confirmed"
    assert sum(b.received for (_, fy), b in world.books.items() if fy == FY) > 0
