"""A refund transfer file left by a run that stopped between the rename and the commit (kouki.core.outbox):
the re-run recognises it (same bytes, same name, recorded once) or refuses to write a second one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from banking.helpers import FY, refund_account
from collection_factories import ACTOR, make_direct_plan

from kouki.addressees.models import Person
from kouki.banking.models import RefundTransferRun
from kouki.banking.refunds import RefundTransferError, refund_transfer_create
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Channel, RefundStatus
from kouki.collection.services import ReceiptInput, receipts_record
from kouki.core import outbox

pytestmark = pytest.mark.django_db(transaction=True)  # the commit itself is what is interrupted
TRANSFER = date(2025, 9, 10)
OLD_STAMP = "20250909235959"


class Crash(BaseException):
    pass


def _refund_with_account(amount: int) -> None:
    person, _plan = make_direct_plan(90_000, FY)
    receipts_record(actor=ACTOR, on=date(2025, 8, 1), items=[ReceiptInput(
        person_id=person.pk, fiscal_year=FY, channel=Channel.COUNTER, amount=90_000 + amount,
        paid_on=date(2025, 8, 1))])
    refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=amount, reason="過納",
                  on=date(2025, 9, 1))
    refund_account(Person.objects.get(pk=person.pk))


def _crash_before_commit(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Run the transfer and stop it after both files are renamed, before the commit; the files are then
    given an earlier run's time stamp (as if the crash were long ago)."""
    def fault(point: str, name: str = "") -> None:
        if point == "before-commit":
            raise Crash

    with monkeypatch.context() as m:
        m.setattr(outbox, "fault_point", fault)
        with pytest.raises(Crash):
            refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=folder)
    for path in folder.iterdir():
        path.rename(folder / (path.stem.rsplit("-", 1)[0] + f"-{OLD_STAMP}{path.suffix}"))


def test_the_rerun_takes_the_whole_file_a_crash_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _refund_with_account(3_400)
    _crash_before_commit(monkeypatch, tmp_path)
    dat = f"sofuri-{TRANSFER:%Y%m%d}-{OLD_STAMP}.dat"
    left = (tmp_path / dat).read_bytes()
    assert not RefundTransferRun.objects.exists()
    assert set(refund_status_values()) == {RefundStatus.DECIDED}  # nothing paid: no commit
    result = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path)
    assert result.path is not None and result.path.name == dat and result.data == left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"kanpu-tsuchisho-{TRANSFER:%Y%m%d}-{OLD_STAMP}.pdf", dat]
    assert RefundTransferRun.objects.get().file_name == dat
    assert set(refund_status_values()) == {RefundStatus.PAID}


def test_a_different_file_left_by_a_crash_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _refund_with_account(3_400)
    _crash_before_commit(monkeypatch, tmp_path)
    _refund_with_account(1_200)  # decided meanwhile: the re-run's file would differ
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(RefundTransferError, match="記録のない総合振込ファイル"):
        refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not RefundTransferRun.objects.exists()
    assert set(refund_status_values()) == {RefundStatus.DECIDED}


def refund_status_values() -> list[str]:
    from kouki.collection.models import Refund

    return list(Refund.objects.values_list("status", flat=True))


def test_the_rerun_removes_the_temporaries_a_run_killed_while_writing_left(tmp_path: Path) -> None:
    """Their names carry the crashed run's time, not the re-run's: the writer's own sweep never meets them."""
    _refund_with_account(3_400)
    left = [tmp_path / f".sofuri-{TRANSFER:%Y%m%d}-{OLD_STAMP}.dat.x1.tmp",
            tmp_path / f".kanpu-tsuchisho-{TRANSFER:%Y%m%d}-{OLD_STAMP}.pdf.x2.tmp"]
    other_day = tmp_path / f".sofuri-20250911-{OLD_STAMP}.dat.x3.tmp"
    for path in [*left, other_day]:
        path.write_bytes(b"half")
    result = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path)
    assert result.path is not None and result.notice_path is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [other_day.name, result.path.name, result.notice_path.name])
