"""期割情報 to the union (transfer #1: 「所得 and 期割 monthly」, issue 13 §4): the plans made or superseded
since the last file, byte-exact CP932, once per run day, recorded as an OutboundFile and as one T01
TransferRecord; the simulated union takes it in and reconciles the 収納情報 against it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from collection_factories import reassess
from django.utils import timezone
from factories import make_staff

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.accounts.permissions import Role
from kouki.arrears.instalment_file import instalment_file_write
from kouki.arrears.union_files import collection_files_write
from kouki.cli import main
from kouki.interfaces.fixedwidth import layout_table
from kouki.interfaces.union.files import addressee_numbers_in
from kouki.interfaces.union.instalment_info import (
    INSTALMENT_INFO,
    CollectionMethod,
    InstalmentInfoRecord,
    dump_instalment_info,
    parse_instalment_info,
)
from kouki.sandbox.union.__main__ import main as union_main
from kouki.sandbox.union.collection import UnionCollection
from kouki.sandbox.union.simulator import UnionFileRejected
from kouki.transfers.models import TransferRecord
from kouki.transfers.selectors import union_files_without_record
from kouki.transfers.services import transfers_load

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "interfaces" / "union-instalment-info.md"


def test_the_document_holds_the_layout_table() -> None:
    assert layout_table(INSTALMENT_INFO) in DOC.read_text(encoding="utf-8")


def test_first_file_carries_every_plan_then_only_the_changed_ones(tmp_path: Path) -> None:
    transfers_load(actor=ACTOR)
    direct, plan = direct_person(90_000)
    pension, _ = pension_person(90_000)
    first = instalment_file_write(actor=ACTOR, on=date(2025, 8, 1), outbox=tmp_path)
    assert first.sent is not None
    data = first.sent.path.read_bytes()
    assert all(len(line) == 128 for line in data.split(b"\r\n")[:-1])  # byte-exact, CP932
    parsed = parse_instalment_info(data, first.sent.path.name)
    assert parsed.errors == []
    mine = [r for r in parsed.records if r.addressee_no == direct.addressee_no]
    assert [(r.method, r.period, r.amount) for r in mine] == [
        (CollectionMethod.DIRECT, i.period, i.amount) for i in instalments(plan)
    ]
    assert sum(r.amount for r in mine) == 90_000 and {r.plan_no for r in mine} == {plan.pk}
    assert {r.addressee_no for r in parsed.records} == {direct.addressee_no, pension.addressee_no}
    record = TransferRecord.objects.get(file_name=first.sent.path.name)
    assert (record.version.definition.code, record.items, record.person_count) == ("T01", ["期割情報"], 2)
    assert union_files_without_record() == []

    again = instalment_file_write(actor=ACTOR, on=date(2025, 8, 1), outbox=tmp_path)
    assert again.already_sent and again.sent is None and TransferRecord.objects.count() == 1

    replanned = reassess(direct, 60_000, 2025, date(2025, 8, 20))
    second = instalment_file_write(actor=ACTOR, on=date(2025, 9, 1), outbox=tmp_path)
    assert second.sent is not None
    records = parse_instalment_info(second.sent.path.read_bytes(), "x").records
    assert {r.addressee_no for r in records} == {direct.addressee_no}  # the pension plan did not change
    assert {r.plan_no for r in records} == {replanned.pk} and sum(r.amount for r in records) == 60_000
    numbers = addressee_numbers_in("instalment-info", second.sent.path.read_bytes())
    assert numbers == [direct.addressee_no] * len(records)


def test_the_union_reconciles_receipts_against_the_instalments(tmp_path: Path) -> None:
    honest, plan = direct_person(90_000)
    over, plan_over = direct_person(45_000)
    rows, rows_over = instalments(plan), instalments(plan_over)
    day = date(2025, 7, 31)
    pay(honest, rows[0], paid_on=day)
    pay(over, rows_over[0], rows_over[0].amount + 50_000, paid_on=day)  # more than the whole year
    union = UnionCollection(tmp_path / "union")
    today = timezone.localdate()  # 収納情報 carries the receipts recorded on the day
    sent = collection_files_write(actor=ACTOR, on=today, outbox=tmp_path / "out")
    for file in sent.sent:
        union.receive(file.path)
    before = union.reconcile()
    assert {(m.addressee_no, m.kind) for m in before} == {(honest.addressee_no, "期割なし"),
                                                           (over.addressee_no, "期割なし")}  # fmt: skip
    plans = instalment_file_write(actor=ACTOR, on=today, outbox=tmp_path / "out")
    assert plans.sent is not None and union.receive(plans.sent.path) == len(rows) + len(rows_over)
    after = union.reconcile()
    assert [(m.addressee_no, m.kind, m.period, m.expected, m.received) for m in after] == [
        (over.addressee_no, "期割超過", 0, 45_000, 55_000),
        (over.addressee_no, "期別超過", rows_over[0].period, rows_over[0].amount, 55_000),
    ]
    assert union.receive(plans.sent.path) == 0  # the same file twice is taken in once


def test_a_rejected_instalment_file_changes_nothing_at_the_union(tmp_path: Path) -> None:
    union = UnionCollection(tmp_path / "union")
    bad = InstalmentInfoRecord("11100", "0000000001", "00000019", 2025, 1, 0, CollectionMethod.NONE, 1,
                               "000000", None, 0)  # fmt: skip
    path = tmp_path / "KOUKI_instalment-info_11100_20250801.dat"
    path.write_bytes(dump_instalment_info([bad], created_on=date(2025, 8, 1)))
    with pytest.raises(UnionFileRejected) as caught:
        union.receive(path)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "method")]
    assert union.state.instalments == {} and union.state.received == []


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_staff(Role.SYSTEM_ADMIN, username="adm.plans")
    payer, plan = direct_person(45_000)
    pay(payer, instalments(plan)[0], 99_000, paid_on=date(2025, 7, 31))
    today = timezone.localdate().isoformat()
    argv = ["collect", "instalment-file", "--date", today, "--outbox", str(tmp_path)]
    assert main([*argv, "--as", "adm.plans"]) == 0
    assert "sent: KOUKI_instalment-info_" in capsys.readouterr().out
    assert main([*argv, "--as", "adm.plans"]) == 0
    assert "already sent" in capsys.readouterr().out
    union_files = ["collect", "union-files", "--date", today, "--outbox", str(tmp_path)]
    assert main([*union_files, "--as", "adm.plans"]) == 0
    state = str(tmp_path / "union")
    files = [str(p) for p in sorted(tmp_path.glob("KOUKI_*.dat"))]
    assert union_main(["--state", state, "collection-receive", *files]) == 0
    capsys.readouterr()
    assert union_main(["--state", state, "reconcile"]) == 1
    out = capsys.readouterr().out
    assert f"期割超過 11100 {payer.addressee_no} 2025 期別00 期割 45000 収納 99000" in out
    assert "mismatches: 2" in out
