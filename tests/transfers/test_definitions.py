"""The 15 transfers as registered definitions (issue 13 §4, SEC-28): the catalogue and its sources,
registration with versions, the two-sided approval and its refusals, `kouki transfers list`."""

from __future__ import annotations

import dataclasses

import pytest

from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.transfers.catalogue import BASIS_ORDINANCE, BASIS_UNION, BY_CODE, CATALOGUE, NOT_FOUND, Method
from kouki.transfers.models import Side, TransferApproval, TransferDefinitionVersion
from kouki.transfers.selectors import definition_rows
from kouki.transfers.services import TransferRefused, transfer_approve, transfers_load
from transfers.conftest import actor_of, approve_both

pytestmark = pytest.mark.django_db


# (transfer, recipient, method(s), frequency) from domain-facts-next.md §4 (PIA L1252–L1974)
@pytest.mark.parametrize(
    ("code", "recipient", "methods", "frequency"),
    [
        ("T02", "市民税課", (Method.PAPER,), "随時"),
        ("T08", "国保年金課", (Method.INTRA, Method.PAPER), "月次"),
        ("T09", "地域保健支援課", (Method.INTRA,), "必要の都度"),
        ("T15", "法人課税課", (Method.FILE_SERVER,), "年次"),
    ],
)
def test_catalogue_follows_the_facts_table(code: str, recipient: str, methods: tuple[Method, ...],
                                           frequency: str) -> None:  # fmt: skip
    entry = BY_CODE[code]
    assert (entry.recipient, entry.methods, entry.frequency) == (recipient, methods, frequency)
    assert entry.sources.startswith(f"PIA {entry.pia_lines}")


def test_catalogue_holds_the_fifteen_with_their_basis_and_marks_the_unknown_one() -> None:
    assert [e.number for e in CATALOGUE] == list(range(1, 16))
    assert BY_CODE["T01"].legal_basis == BASIS_UNION  # 府番第27号 (PIA L1261–1266)
    assert {e.code for e in CATALOGUE if e.legal_basis == BASIS_ORDINANCE} == {
        f"T{n:02d}" for n in (2, *range(4, 16))
    }
    assert BY_CODE["T03"].legal_basis == NOT_FOUND


def test_load_registers_version_one_once_and_a_changed_entry_as_a_new_version(admin: Actor) -> None:
    assert transfers_load(actor=admin).created == 15
    again = transfers_load(actor=admin)
    assert (again.created, again.revised, again.unchanged) == (0, 0, 15)
    changed = [dataclasses.replace(e, frequency="週次") if e.code == "T02" else e for e in CATALOGUE]
    assert transfers_load(actor=admin, catalogue=changed).revised == 1
    versions = TransferDefinitionVersion.objects.filter(definition__code="T02").order_by("version")
    assert [(v.version, v.frequency) for v in versions] == [(1, "随時"), (2, "週次")]
    registered = AuditEntry.objects.filter(action=AuditAction.TRANSFER_DEFINITION_REGISTER.value)
    assert registered.count() == 16


def test_a_new_version_needs_both_approvals_again(
    admin: Actor, chief: Actor, deputy: Actor, loaded: None
) -> None:
    approve_both("T02", chief, deputy)
    rows = {r.code: r for r in definition_rows()}
    assert rows["T02"].approval == "承認済"
    changed = [dataclasses.replace(e, frequency="週次") if e.code == "T02" else e for e in CATALOGUE]
    transfers_load(actor=admin, catalogue=changed)
    assert {r.code: r for r in definition_rows()}["T02"].approval == "未承認"


def test_approval_records_both_sides_with_their_kessai(chief: Actor, deputy: Actor, loaded: None) -> None:
    approve_both("T02", chief, deputy)
    sides = {a.side: a for a in TransferApproval.objects.filter(version__definition__code="T02")}
    assert sides[Side.SENDING].approver_name == "田中 課長"
    assert (sides[Side.RECEIVING].approver_name, sides[Side.RECEIVING].kessai_ref) == (
        "高橋 課長",
        "市民税第7号",
    )
    assert AuditEntry.objects.filter(action=AuditAction.TRANSFER_APPROVE.value).count() == 2


def _refused_with(reason: str, **kwargs: object) -> None:
    before = AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count()
    with pytest.raises(TransferRefused) as caught:
        transfer_approve(**kwargs)  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert AuditEntry.objects.filter(action=AuditAction.TRANSFER_REFUSED.value).count() == before + 1


def test_the_same_person_cannot_approve_both_sides(chief: Actor, deputy: Actor, loaded: None) -> None:
    transfer_approve(actor=chief, code="T02", version=1, side=Side.SENDING, kessai_ref="保年第101号")
    same = "移転元と移転先は別の者が承認してください"
    _refused_with(same, actor=chief, code="T02", version=1, side=Side.RECEIVING, kessai_ref="市民税第7号",
                  approver_name="高橋 課長")  # fmt: skip
    _refused_with(same, actor=deputy, code="T02", version=1, side=Side.RECEIVING, kessai_ref="市民税第7号",
                  approver_name="田中　課長")  # fmt: skip
    assert TransferApproval.objects.count() == 1


def test_approval_refusals(admin: Actor, clerk: Actor, chief: Actor, loaded: None) -> None:
    base = {"version": 1, "side": Side.SENDING, "kessai_ref": "保年第101号"}
    _refused_with("移転定義を承認する権限がありません", actor=clerk, code="T02", **base)
    _refused_with("移転定義を承認する権限がありません", actor=admin, code="T02", **base)
    _refused_with("登録された移転定義ではありません", actor=chief, code="T99", **base)
    _refused_with("承認しようとした版は現在の版ではありません", actor=chief, code="T02",
                  **{**base, "version": 2})  # fmt: skip
    _refused_with("根拠が未確認の移転定義は承認できません", actor=chief, code="T03", **base)
    _refused_with("決裁番号がありません", actor=chief, code="T02", **{**base, "kessai_ref": " "})
    _refused_with("移転先の承認者の氏名がありません", actor=chief, code="T02",
                  **{**base, "side": Side.RECEIVING})  # fmt: skip
    transfer_approve(actor=chief, code="T02", **base)  # type: ignore[arg-type]
    _refused_with("この版のこの側は承認済みです", actor=actor_of("sv.tanaka"), code="T02", **base)


def test_list_prints_every_definition_with_basis_method_frequency_and_approval(
    chief: Actor, deputy: Actor, loaded: None, capsys: pytest.CaptureFixture[str]
) -> None:
    approve_both("T02", chief, deputy)
    assert main(["transfers", "list"]) == 0
    out = capsys.readouterr().out
    for entry in CATALOGUE:
        assert f"{entry.code} 第1版" in out
        assert f"移転先: {entry.recipient}" in out
    assert "T02 第1版 承認済" in out
    assert "T08 第1版 未承認" in out
    assert "方法: 庁内連携・紙  頻度: 月次" in out
    assert "根拠: 未確認" in out


def test_commands_load_and_approve(admin: Actor, chief: Actor, deputy: Actor,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["transfers", "load", "--as", "adm.sato"]) == 0
    approve = ["transfers", "approve", "T08", "--version", "1"]
    assert main([*approve, "--side", "sending", "--kessai", "保年第5号", "--as", "sv.tanaka"]) == 0
    receiving = [*approve, "--side", "receiving", "--kessai", "国保第9号", "--approver-name", "山本 課長"]
    assert main([*receiving, "--as", "sv.tanaka"]) == 2
    assert "別の者" in capsys.readouterr().err
    assert main([*receiving, "--as", "sv.suzuki"]) == 0
    assert {r.code: r for r in definition_rows()}["T08"].approval == "承認済"
    assert main(["transfers", "load", "--as", "sv.tanaka"]) == 3  # a supervisor does not register
