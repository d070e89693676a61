"""The file executions T03 (daily), T08 (monthly), T15 (yearly) through the shared file execution
(kouki.transfers.file_execution): gate first, the file whole, one TransferRecord, never twice."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from factories import make_person

from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.core.config import ConfigError
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.rules.union_codes import AcquisitionReason, LossReason
from kouki.transfers.catalogue import Method
from kouki.transfers.department_files import (
    t03_daily_eligibility,
    t08_monthly_kokuho,
    t15_yearly_special_collection,
)
from kouki.transfers.file_execution import FileContent, FileTransferStatus, execute_file_transfer
from kouki.transfers.models import Side, TransferRecord
from kouki.transfers.services import TransferRefused, transfer_approve, transfers_load
from transfers.conftest import T03_BASIS, approve_both, insure, pension_receipt

pytestmark = pytest.mark.django_db
DAY = date(2026, 8, 3)


def rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_t03_sends_the_days_acquisitions_and_losses_once(
    clerk: Actor, chief: Actor, deputy: Actor, loaded_with_t03: None, tmp_path: Path
) -> None:
    approve_both("T03", chief, deputy)
    a, b, c, d = (make_person() for _ in range(4))
    insure(a.pk, acquired_on=DAY)
    insure(b.pk, acquired_on=date(2020, 1, 1), lost_on=DAY, loss_reason=LossReason.DEATH)
    insure(c.pk, acquired_on=date(2026, 8, 4))  # the next day
    insure(d.pk, acquired_on=DAY, lost_on=DAY, loss_reason=LossReason.OTHER)  # 取消: not a change
    done = t03_daily_eligibility(actor=clerk, on=DAY, outbox=tmp_path)
    assert done.status == FileTransferStatus.SENT and done.lines == 2
    lines = rows(done.path)
    assert lines[0][:3] == ["異動日", "異動区分", "異動区分名"]
    assert [(r[1], r[4]) for r in lines[1:]] == [("1", a.addressee_no), ("2", b.addressee_no)]
    record = TransferRecord.objects.get()
    assert record.version.definition.code == "T03"
    assert (record.person_ids, record.person_count) == (sorted([a.pk, b.pk]), 2)
    assert (record.method, record.items) == ("leased_line", ["資格"])
    assert record.file_name == "T03_shikaku_20260803.csv"
    assert record.executed_by == "nc.ito" and len(record.file_sha256) == 64
    assert (done.path.stat().st_mode & 0o777) == 0o600
    again = t03_daily_eligibility(actor=clerk, on=DAY, outbox=tmp_path)
    assert again.status == FileTransferStatus.ALREADY_SENT and TransferRecord.objects.count() == 1
    quiet = t03_daily_eligibility(actor=clerk, on=date(2026, 8, 5), outbox=tmp_path)
    assert quiet.status == FileTransferStatus.NOTHING_TO_SEND
    assert sorted(p.name for p in tmp_path.iterdir()) == ["T03_shikaku_20260803.csv"]


def test_t03_cannot_be_approved_or_run_while_its_basis_is_not_configured(
    clerk: Actor, chief: Actor, deputy: Actor, admin: Actor, loaded: None, settings: object, tmp_path: Path
) -> None:
    with pytest.raises(TransferRefused, match="根拠が未確認"):
        transfer_approve(actor=chief, code="T03", version=1, side=Side.SENDING, kessai_ref="保年第1号")
    insure(make_person().pk, acquired_on=DAY)
    with pytest.raises(TransferRefused, match="双方の承認がない"):
        t03_daily_eligibility(actor=clerk, on=DAY, outbox=tmp_path)
    assert list(tmp_path.iterdir()) == [] and TransferRecord.objects.count() == 0
    settings.KOUKI_T03_LEGAL_BASIS = "住民基本台帳法第7条第10号の2"  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"根拠 \| 出典"):
        transfers_load(actor=admin)  # a basis without its source is refused
    settings.KOUKI_T03_LEGAL_BASIS = T03_BASIS  # type: ignore[attr-defined]
    assert transfers_load(actor=admin).revised == 1  # the configured basis is a new version of T03
    approve_both("T03", chief, deputy, version=2)
    assert t03_daily_eligibility(actor=clerk, on=DAY, outbox=tmp_path).status == FileTransferStatus.SENT


def test_every_refusal_of_a_file_execution_writes_nothing(
    clerk: Actor, counter: Actor, chief: Actor, deputy: Actor, loaded: None, tmp_path: Path
) -> None:
    person = make_person()
    pension_receipt(person.pk, 10_000, date(2025, 10, 15))
    built: list[str] = []

    def build() -> FileContent:
        built.append("read")
        return FileContent([person.pk], b"x", 1)

    def refused(reason: str, actor: Actor, items: list[str], method: Method = Method.FILE_SERVER) -> None:
        before = AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count()
        with pytest.raises(TransferRefused) as caught:
            execute_file_transfer(actor=actor, code="T15", method=method, items=items,
                                  path=tmp_path / "T15.csv", build=build)  # fmt: skip
        assert caught.value.reason == reason
        assert AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count() == before + 1

    refused("移転元・移転先の双方の承認がない移転定義です", clerk, ["特別徴収データ"])  # unapproved
    with pytest.raises(TransferRefused, match="双方の承認がない"):
        t15_yearly_special_collection(actor=clerk, year=2025, outbox=tmp_path)
    approve_both("T15", chief, deputy)
    # an item not in the definition's whitelist
    refused("移転定義にない項目は移転できません", clerk, ["特別徴収データ", "個人番号"])
    refused("移転定義にない方法です", clerk, ["特別徴収データ"], Method.LEASED_LINE)
    refused("移転を実行する権限がありません", counter, ["特別徴収データ"])  # 窓口担当: no permission
    assert built == [] and list(tmp_path.iterdir()) == [] and TransferRecord.objects.count() == 0


def test_t08_sends_the_months_entrants_and_disability_withdrawals(
    clerk: Actor, chief: Actor, deputy: Actor, loaded: None, tmp_path: Path
) -> None:
    approve_both("T08", chief, deputy)
    aged, disabled, withdrawn, died, later = (make_person() for _ in range(5))
    insure(aged.pk, acquired_on=date(2026, 8, 12), reason=AcquisitionReason.AGE)
    insure(disabled.pk, acquired_on=date(2026, 8, 31), reason=AcquisitionReason.DISABILITY)
    insure(withdrawn.pk, acquired_on=date(2024, 5, 1), reason=AcquisitionReason.DISABILITY,
           lost_on=date(2026, 8, 1), loss_reason=LossReason.DISABILITY_WITHDRAWN)  # fmt: skip
    insure(died.pk, acquired_on=date(2020, 5, 1), lost_on=date(2026, 8, 20), loss_reason=LossReason.DEATH)
    insure(later.pk, acquired_on=date(2026, 9, 1))
    done = t08_monthly_kokuho(actor=clerk, month=date(2026, 8, 1), outbox=tmp_path)
    assert done.path.name == "T08_kokuho_202608.csv" and done.lines == 3
    got = [(r[0], r[1], r[3], r[4]) for r in rows(done.path)[1:]]
    assert got == [
        ("20260801", "2", "04", withdrawn.addressee_no),
        ("20260812", "1", "01", aged.addressee_no),
        ("20260831", "1", "02", disabled.addressee_no),
    ]
    assert done.record is not None and done.record.method == "intra" and done.record.person_count == 3


def test_t15_sends_the_calendar_years_pension_deductions(clerk: Actor, chief: Actor, deputy: Actor,
                                                         loaded: None, tmp_path: Path) -> None:  # fmt: skip
    approve_both("T15", chief, deputy)
    a, b = make_person(), make_person()
    insure(a.pk, acquired_on=date(2020, 1, 1), insured_no="00000019")
    for month in (2, 4, 6, 8, 10, 12):
        pension_receipt(a.pk, 8_000, date(2025, month, 15))
    pension_receipt(a.pk, 9_000, date(2026, 2, 15))  # next calendar year
    pension_receipt(b.pk, 5_000, date(2025, 6, 15))
    pension_receipt(b.pk, 5_000, date(2025, 8, 15), status="cancelled")
    done = t15_yearly_special_collection(actor=clerk, year=2025, outbox=tmp_path)
    assert done.path.name == "T15_tokucho_2025.csv"
    assert rows(done.path)[1:] == [["2025", a.addressee_no, "00000019", "48000", "6"],
                                   ["2025", b.addressee_no, "", "5000", "1"]]  # fmt: skip
    assert done.record is not None and done.record.method == "file_server"
    assert done.record.items == ["特別徴収データ"]


def test_the_run_command(clerk: Actor, chief: Actor, deputy: Actor, loaded_with_t03: None, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    approve_both("T03", chief, deputy)
    insure(make_person().pk, acquired_on=DAY)
    argv = ["transfers", "run", "T03", "--out", str(tmp_path)]
    assert main([*argv, "--on", "2026-08-03", "--as", "nc.ito"]) == 0
    assert "sent: T03_shikaku_20260803.csv  lines: 1  persons: 1" in capsys.readouterr().out
    assert main([*argv, "--on", "2026-08-03", "--as", "nc.ito"]) == 0
    assert "already sent" in capsys.readouterr().out
    assert main([*argv, "--month", "2026-08", "--as", "nc.ito"]) == 2
    assert main([*argv, "--on", "2026-08-03", "--as", "cc.kato"]) == 3  # 窓口担当: no permission
    assert main(["transfers", "run", "T15", "--year", "2026", "--out", str(tmp_path), "--as", "nc.ito"]) == 2
    assert "双方の承認がない" in capsys.readouterr().err
    assert main(["transfers", "records", "--code", "T03", "--as", "nc.ito"]) == 0
    assert "T03 第1版" in capsys.readouterr().out and TransferRecord.objects.count() == 1
