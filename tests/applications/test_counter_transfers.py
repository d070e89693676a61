"""The counter applications' paper transfers through the transfers gate (issue 12 §1, issue 13 §4):
T02 簡易申告 → 市民税課 (the month's confirmed declarations in one 移転票) and T04 高額介護合算療養費 →
介護保険課 (one 移転票 per application), by `kouki transfers counter KIND --month --out --as`."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from factories import make_staff

from applications.conftest import Counter, actor_of
from kouki.accounts.permissions import Role
from kouki.applications.models import Application, StepAction
from kouki.applications.services import ApplicationInput, application_confirm, application_receive
from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.models import AuditEntry
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.transfers.models import Side, TransferRecord
from kouki.transfers.services import transfer_approve, transfers_load

RECEIVED = date(2026, 4, 10)


def taken(counter: Counter, kind: ApplicationKind, person_id: int, details: dict[str, object],
          documents: set[str]) -> Application:  # fmt: skip
    data = ApplicationInput(
        person_id=person_id, kind=kind, received_on=RECEIVED, applicant=Applicant.SELF, details=details,
        documents=frozenset(documents), identity_documents=frozenset({"my_number_card"}),  # type: ignore[arg-type]
    )  # fmt: skip
    a = application_receive(actor=actor_of(counter.clerk), data=data)
    return application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="申告書と照合")


def declaration(counter: Counter, person_id: int) -> Application:
    return taken(counter, ApplicationKind.SIMPLE_DECLARATION, person_id, {"income_kind": "none"}, {"form"})


def approve(counter: Counter, code: str, *, sending: bool = True, receiving: bool = True) -> None:
    """Register the catalogue (once) and approve `code`'s sides."""
    if not _loaded():
        transfers_load(actor=actor_of(make_staff(Role.SYSTEM_ADMIN)))
    if sending:
        transfer_approve(actor=actor_of(counter.supervisor), code=code, version=1, side=Side.SENDING,
                         kessai_ref="保年第101号")  # fmt: skip
    if receiving:
        transfer_approve(actor=actor_of(counter.other_supervisor), code=code, version=1, side=Side.RECEIVING,
                         kessai_ref="受第7号", approver_name="高橋 課長")  # fmt: skip


def _loaded() -> bool:
    from kouki.transfers.models import TransferDefinition

    return TransferDefinition.objects.exists()


def run(counter: Counter, kind: str, out: Path, who: str = "") -> int:
    from django.utils import timezone

    month = f"{timezone.localdate():%Y-%m}"
    user = who or counter.number_clerk.user.username
    return main(["transfers", "counter", kind, "--month", month, "--out", str(out), "--as", user])


def test_simple_declarations_go_to_the_tax_department_in_one_slip_once_approved(
    counter: Counter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = declaration(counter, counter.living.pk)
    second = declaration(counter, counter.deceased.pk)
    out = tmp_path / "slips"
    assert run(counter, "simple-declaration", out) == 2  # no definition registered
    assert "登録された移転定義ではありません" in capsys.readouterr().err
    approve(counter, "T02", receiving=False)
    # approved by the sending side only: refused, nothing written, nothing marked
    assert run(counter, "simple-declaration", out) == 2
    assert "双方の承認がない移転定義です" in capsys.readouterr().err
    assert not TransferRecord.objects.exists() and not list(out.glob("*.pdf"))
    first.refresh_from_db()
    assert first.transferred_on is None

    approve(counter, "T02", sending=False)
    assert run(counter, "simple-declaration", out, who=counter.clerk.user.username) == 3  # 窓口担当
    assert run(counter, "simple-declaration", out) == 0
    [record] = TransferRecord.objects.all()
    assert (record.version.definition.code, record.method, record.person_count) == ("T02", "paper", 2)
    assert record.executed_by == counter.number_clerk.user.username
    assert record.person_ids == sorted([counter.living.pk, counter.deceased.pk])
    assert record.items == ["簡易申告書"]
    assert (out / record.file_name).read_bytes().startswith(b"%PDF")
    for a in (first, second):
        a.refresh_from_db()
        assert a.transferred_to == "市民税課" and a.transferred_on is not None
        step = a.steps.last()
        assert step is not None and step.action == StepAction.TRANSFERRED and record.file_name in step.note
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_TRANSFER).count() == 2
    printed = capsys.readouterr().out
    assert "T02 written" in printed and "applications: 2" in printed and "鈴木" not in printed
    # sent once: a second run finds nothing waiting
    assert run(counter, "simple-declaration", out) == 0
    assert "nothing was written" in capsys.readouterr().out
    assert TransferRecord.objects.count() == 1


def test_high_cost_combined_goes_to_the_care_department_one_slip_each(
    counter: Counter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    details = {"period_end_year": 2025, "other_insurer": False}
    apps = [taken(counter, ApplicationKind.HIGH_COST_COMBINED, p.pk, details, {"form", "account"})
            for p in (counter.living, counter.deceased)]  # fmt: skip
    declaration(counter, counter.living.pk)  # another kind: not on these slips
    approve(counter, "T04")
    assert run(counter, "high-cost-combined", tmp_path) == 0
    records = list(TransferRecord.objects.order_by("pk"))
    assert [(r.version.definition.code, r.person_count) for r in records] == [("T04", 1), ("T04", 1)]
    assert records[0].items == ["申請書", "資格", "給付"]
    for a, r in zip(apps, records, strict=True):
        a.refresh_from_db()
        assert a.transferred_to == "介護保険課" and r.person_ids == [a.person_id]
    # one slip each, numbered in turn (two slips of the same second once shared a name: the first was lost)
    assert [r.file_name for r in records] == ["iten-hyo-T04-000001.pdf", "iten-hyo-T04-000002.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [r.file_name for r in records]
    assert {r.file_sha256 for r in records} == {
        hashlib.sha256((tmp_path / r.file_name).read_bytes()).hexdigest() for r in records}
    waiting = Application.objects.filter(kind=ApplicationKind.SIMPLE_DECLARATION, transferred_on=None)
    assert waiting.count() == 1
