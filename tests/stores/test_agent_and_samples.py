"""The simulated payment agent writes valid 速報 / 確報 files (only files) with what it was asked for;
the demo sample parses; an agent's day imports and leaves every ledger balanced."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from kouki.collection.models import Receipt, ReceiptStatus
from kouki.collection.selectors import ledger
from kouki.interfaces.importing import Outcome
from kouki.interfaces.stores.codec import parse
from kouki.interfaces.stores.records import ReportKind
from kouki.sandbox.stores.agent import PaymentAgent
from kouki.sandbox.stores.samples import demo_samples
from kouki.stores.importers import import_store_report
from kouki.stores.models import StoreWorkItem
from kouki.stores.samples import sample_codes
from stores.helpers import ACTOR, FY, person_with_slips


def test_the_agent_is_deterministic_and_writes_valid_files(tmp_path: Path) -> None:
    codes = sample_codes()
    one = PaymentAgent(seed=3).day(codes * 1, paid_on=date(2026, 7, 28), twice=0.5, cancel=0.5, unknown=2)
    two = PaymentAgent(seed=3).day(codes * 1, paid_on=date(2026, 7, 28), twice=0.5, cancel=0.5, unknown=2)
    assert one == two
    assert len(one.payments) == len(codes) + len(one.paid_twice) + 2 and len(one.unknown) == 2
    agent = PaymentAgent(seed=3)
    day = agent.day(codes, paid_on=date(2026, 7, 28), twice=0.5, cancel=0.5, unknown=2)
    pre, fin = agent.write(day, tmp_path, processed_on=date(2026, 7, 31), transfer_on=date(2026, 8, 7))
    s, k = parse(pre.read_bytes(), pre.name), parse(fin.read_bytes(), fin.name)
    assert s.ok and k.ok, (s.errors, k.errors)
    assert s.header is not None and s.header.kind is ReportKind.PRELIMINARY
    assert k.header is not None and k.header.kind is ReportKind.FINAL
    assert len(k.records) == len(s.records) + len(day.cancellations)
    assert all(r.transfer_on == date(2026, 8, 7) for r in k.records)


def test_demo_sample_parses(tmp_path: Path) -> None:
    paths = demo_samples(tmp_path)
    assert [p.name for p in paths] == ["CVS_SOKUHO_12345_20260728.dat", "CVS_KAKUHO_12345_20260728.dat"]
    for path in paths:
        result = parse(path.read_bytes(), path.name)
        assert result.ok and len(result.records) == 5  # 3 slips, 1 paid twice, 1 unknown


@pytest.mark.django_db
def test_an_agents_day_books_and_balances(tmp_path: Path) -> None:
    people = [person_with_slips() for _ in range(4)]
    codes = [s.barcode for _, slips in people for s in slips[:3]]
    agent = PaymentAgent(seed=11)
    day = agent.day(codes, paid_on=date(FY, 7, 20), twice=0.2, cancel=0.15, unknown=2)
    assert day.paid_twice and day.cancellations
    pre, fin = agent.write(day, tmp_path, processed_on=date(FY, 7, 24), transfer_on=date(FY, 7, 31))
    assert import_store_report(actor=ACTOR, path=pre).outcome == Outcome.APPLIED
    out = import_store_report(actor=ACTOR, path=fin)
    assert out.outcome == Outcome.APPLIED, out.errors
    kinds = Counter(StoreWorkItem.objects.values_list("kind", flat=True))
    assert kinds["unknown_slip"] == 2 and kinds["duplicate"] == len(day.paid_twice)
    cancelled_known = [c for c in day.cancellations if c.barcode not in day.unknown]
    statuses = Counter(Receipt.objects.values_list("status", flat=True))
    assert statuses[ReceiptStatus.CANCELLED] == len(cancelled_known)
    assert statuses[ReceiptStatus.PROVISIONAL] == 0
    assert statuses[ReceiptStatus.CONFIRMED] == len(codes) + len(day.paid_twice) - len(cancelled_known)
    for person, _ in people:
        assert ledger(person.pk, FY).balances
