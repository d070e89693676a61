"""The convenience-store worklist: open items listed by the selector, resolved with who and a note
(audited), and 速報 payments that never got their 確報 flagged after N days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kouki.interfaces.stores.records import ReportKind
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.stores.importers import import_store_report
from kouki.stores.selectors import open_work_counts, open_work_items, payments_awaiting_final
from kouki.stores.services import WorkItemError, flag_unconfirmed, work_item_resolve
from stores.helpers import ACTOR, PAID_ON, payment, person_with_slips, write

pytestmark = pytest.mark.django_db
CLERK = Actor("clerk-tanaka", terminal_id="T01")


def test_resolve_closes_the_item_with_who_and_note(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    records = [payment(slips[0].barcode), payment(slips[0].barcode, minute=700)]
    import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", ReportKind.FINAL, records))
    (item,) = open_work_items()
    assert (item.kind, item.line, item.amount, item.slip_no) == ("duplicate", 3, 10_000, slips[0].slip_no)
    assert item.receipt_id is not None and item.kind_label == "二重納付"
    assert open_work_counts() == {"duplicate": 1}
    with pytest.raises(WorkItemError):
        work_item_resolve(actor=CLERK, item_id=item.item_id, note="  ")
    done = work_item_resolve(actor=CLERK, item_id=item.item_id, note="還付決定済み")
    assert (done.status, done.resolved_by, done.note) == ("resolved", "clerk-tanaka", "還付決定済み")
    assert open_work_items() == [] and open_work_counts() == {}
    audit = AuditEntry.objects.get(action="store_work_item_resolve")
    assert audit.target_id == str(item.item_id)
    with pytest.raises(WorkItemError, match="処理済"):
        work_item_resolve(actor=CLERK, item_id=item.item_id, note="again")
    with pytest.raises(WorkItemError, match="ありません"):
        work_item_resolve(actor=CLERK, item_id=10**9, note="x")


def test_selector_filters_by_kind(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    records = [payment(slips[0].barcode), payment(slips[0].barcode, minute=700), payment(slips[1].barcode,
               minute=800, amount=1)]  # fmt: skip
    import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", ReportKind.FINAL, records))
    assert [i.kind for i in open_work_items(kind="amount_mismatch")] == ["amount_mismatch"]
    assert len(open_work_items(limit=1)) == 1


def test_preliminary_without_final_is_flagged_after_n_days(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    import_store_report(
        actor=ACTOR, path=write(tmp_path, "s.dat", ReportKind.PRELIMINARY, [payment(slips[0].barcode)])
    )
    assert payments_awaiting_final() == 1
    assert flag_unconfirmed(actor=ACTOR, on=date(2025, 7, 30), days=14) == 0
    assert flag_unconfirmed(actor=ACTOR, on=date(2025, 8, 3), days=14) == 0  # 14 days: not yet
    assert flag_unconfirmed(actor=ACTOR, on=date(2025, 8, 4), days=14) == 1  # more than 14 days
    assert flag_unconfirmed(actor=ACTOR, on=date(2025, 8, 6), days=14) == 0  # flagged once
    (item,) = open_work_items()
    assert item.kind == "preliminary_never_confirmed" and item.paid_on == PAID_ON
    assert AuditEntry.objects.filter(action="store_flag_unconfirmed").count() == 1


def test_a_later_final_report_flags_old_preliminaries(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    old = payment(slips[0].barcode)
    import_store_report(actor=ACTOR, path=write(tmp_path, "s.dat", ReportKind.PRELIMINARY, [old]))
    later = payment(slips[1].barcode, paid_on=date(2025, 8, 20))
    path = write(tmp_path, "k.dat", ReportKind.FINAL, [later])
    data = path.read_bytes().replace(b"1220250724", b"1220250825", 1)  # the 確報 made on 25 August
    path.write_bytes(data)
    out = import_store_report(actor=ACTOR, path=path)
    assert out.summary is not None and out.summary.counts["work_preliminary_never_confirmed"] == 1
    assert [i.kind for i in open_work_items()] == ["preliminary_never_confirmed"]
