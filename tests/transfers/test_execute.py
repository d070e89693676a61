"""The execution gate (issue 13 §4): anything not matching a registered, approved definition is refused
and audited; a match writes one TransferRecord with its audit row. The paper 移転票 is one execution."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_person

from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.transfers.catalogue import Method
from kouki.transfers.models import Side, TransferRecord
from kouki.transfers.paper import transfer_paper
from kouki.transfers.services import TransferRefused, transfer_approve, transfer_execute
from transfers.conftest import approve_both

pytestmark = pytest.mark.django_db


def _refused(reason: str, **kwargs: object) -> None:
    before = AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count()
    with pytest.raises(TransferRefused) as caught:
        transfer_execute(**kwargs)  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count() == before + 1
    assert TransferRecord.objects.count() == 0


def test_every_refusal_of_the_gate(clerk: Actor, counter: Actor, chief: Actor, deputy: Actor,
                                   loaded: None) -> None:  # fmt: skip
    paper = {"person_ids": [1, 2], "items": ["簡易申告書"], "method": Method.PAPER}
    _refused("登録された移転定義ではありません", actor=clerk, code="T99", **paper)
    _refused("移転元・移転先の双方の承認がない移転定義です", actor=clerk, code="T02", **paper)
    transfer_approve(actor=chief, code="T02", version=1, side=Side.SENDING, kessai_ref="保年第101号")
    _refused(
        "移転元・移転先の双方の承認がない移転定義です", actor=clerk, code="T02", **paper
    )  # one side only
    transfer_approve(actor=deputy, code="T02", version=1, side=Side.RECEIVING, kessai_ref="市民税第7号",
                     approver_name="高橋 課長")  # fmt: skip
    _refused("移転定義にない項目は移転できません", actor=clerk, code="T02",
             **{**paper, "items": ["簡易申告書", "給付"]})  # fmt: skip
    _refused("移転定義にない方法です", actor=clerk, code="T02", **{**paper, "method": Method.FILE_SERVER})
    _refused("移転を実行する権限がありません", actor=counter, code="T02", **paper)
    _refused("対象者がいません", actor=clerk, code="T02", **{**paper, "person_ids": []})


def test_a_matching_execution_writes_one_record_with_its_audit_row(
    clerk: Actor, chief: Actor, deputy: Actor, loaded: None
) -> None:
    approve_both("T08", chief, deputy)
    record = transfer_execute(
        actor=clerk, code="T08", person_ids=[5, 3, 5], items=["資格"], method=Method.INTRA
    )
    record.refresh_from_db()
    assert (record.version.definition.code, record.version.version) == ("T08", 1)
    assert (record.executed_by, record.person_ids, record.person_count) == ("nc.ito", [3, 5], 2)
    assert (record.items, record.method, record.file_name) == (["資格"], "intra", "")
    row = AuditEntry.objects.get(action=AuditAction.TRANSFER_EXECUTE.value)
    assert (row.target_id, row.detail["definition"], row.detail["person_count"]) == (str(record.pk), "T08", 2)


def test_a_paper_transfer_writes_the_slip_and_its_record(clerk: Actor, chief: Actor, deputy: Actor,
                                                         loaded: None, tmp_path: Path) -> None:  # fmt: skip
    approve_both("T02", chief, deputy)
    people = [make_person(given_name=name) for name in ("一郎", "花子")]
    done = transfer_paper(actor=clerk, code="T02", person_ids=[p.pk for p in people], items=["簡易申告書"],
                          outbox=tmp_path)  # fmt: skip
    data = done.path.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data  # the IPAex font embedded
    assert done.record.file_name == done.path.name and done.record.person_count == 2
    assert done.record.method == "paper" and len(done.record.file_sha256) == 64
    assert list(tmp_path.iterdir()) == [done.path]


def test_a_refused_paper_transfer_writes_nothing(clerk: Actor, loaded: None, tmp_path: Path) -> None:
    person = make_person()
    with pytest.raises(TransferRefused):
        transfer_paper(actor=clerk, code="T02", person_ids=[person.pk], items=["簡易申告書"], outbox=tmp_path)
    assert list(tmp_path.iterdir()) == [] and TransferRecord.objects.count() == 0


def test_paper_command(clerk: Actor, chief: Actor, deputy: Actor, loaded: None, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    approve_both("T04", chief, deputy)
    person = make_person()
    argv = ["transfers", "paper", "T04", "--addressee-no", person.addressee_no, "--out", str(tmp_path)]
    assert main([*argv, "--items", "申請書,給付", "--as", "nc.ito"]) == 0
    assert "written: iten-hyo-T04-000001.pdf  persons: 1" in capsys.readouterr().out
    first = (tmp_path / "iten-hyo-T04-000001.pdf").read_bytes()
    # run again the same day (after a crash after the commit): not printed, not recorded again
    assert main([*argv, "--items", "申請書,給付", "--as", "nc.ito"]) == 0
    assert "already recorded today: iten-hyo-T04-000001.pdf" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["iten-hyo-T04-000001.pdf"]
    assert main([*argv, "--items", "申請書,給付", "--again", "--as", "nc.ito"]) == 0  # a second transfer
    assert "written: iten-hyo-T04-000002.pdf" in capsys.readouterr().out
    assert (tmp_path / "iten-hyo-T04-000001.pdf").read_bytes() == first
    assert main([*argv, "--items", "申請書", "--as", "nc.ito"]) == 0  # other items: another transfer
    assert "written: iten-hyo-T04-000003.pdf" in capsys.readouterr().out
    assert main([*argv, "--items", "賦課徴収", "--as", "nc.ito"]) == 2
    assert "移転定義にない項目" in capsys.readouterr().err
    assert main([*argv, "--items", "申請書", "--as", "cc.kato"]) == 3  # 窓口担当: no permission
    assert TransferRecord.objects.count() == 3
