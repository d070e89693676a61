"""`kouki inquiries`: the month's move-ins, the purge, the records for auditors, the simulator's seed —
and the simulated providers answering consistently with the synthetic city."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from jukinet_samples import CONFIG

from kouki.accounts.models import StaffUser
from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.income.models import IncomeRecord
from kouki.inquiries.models import InquiryRecord, InquiryResult
from kouki.inquiries.services import inquire
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry, IntegratedAddressee
from kouki.sandbox.synth.load import synthetic_city_load

from .conftest import Sim, move_in

pytestmark = pytest.mark.django_db


def test_move_ins_inquires_each_move_in_of_the_month_once(
    sim: Sim, inquiry_clerk: StaffUser, capsys: pytest.CaptureFixture[str]
) -> None:
    move_in(sim.mover, date(2026, 5, 10))
    move_in(sim.no_number, date(2026, 5, 20))
    move_in(sim.unknown, date(2026, 6, 1))  # another month
    argv = ["inquiries", "move-ins", "--month", "2026-05", "--as", inquiry_clerk.username]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "転入者 2人: 提供 1 (所得に反映 1), 拒否 0, 照会済 0, 個人番号なし 1" in out
    assert main(argv) == 0
    assert "照会済 1" in capsys.readouterr().out
    assert InquiryRecord.objects.count() == 1 and IncomeRecord.objects.filter(person=sim.mover).exists()


def test_move_ins_refuses_a_role_without_the_permission(sim: Sim, number_clerk: StaffUser) -> None:
    move_in(sim.mover, date(2026, 5, 10))
    assert main(["inquiries", "move-ins", "--month", "2026-05", "--as", number_clerk.username]) == 3
    assert not InquiryRecord.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.COMMAND_REFUSED).exists()


def test_purge_deletes_old_results_and_refuses_without_the_period(
    sim: Sim, inquiry_clerk: StaffUser, system_admin: StaffUser, settings: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    outcome = inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", purpose="move_in",
                      screen="情報照会", terminal_id="T-1")  # fmt: skip
    InquiryResult.objects.update(received_at=timezone.now() - timedelta(days=40))
    assert main(["inquiries", "purge", "--as", system_admin.username]) == 0
    assert "1件" in capsys.readouterr().out
    assert not InquiryResult.objects.exists() and InquiryRecord.objects.filter(pk=outcome.record_id).exists()
    settings.KOUKI_INQUIRY_RESULT_DAYS = None
    assert main(["inquiries", "purge", "--as", system_admin.username]) == 2


def test_records_print_both_parties_for_auditors_without_numbers(
    sim: Sim, inquiry_clerk: StaffUser, auditor: StaffUser, capsys: pytest.CaptureFixture[str]
) -> None:
    inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", purpose="move_in",
            screen="情報照会", terminal_id="T-1")  # fmt: skip
    assert main(["inquiries", "records", "--as", auditor.username]) == 0
    out = capsys.readouterr().out
    assert "さいたま市長\t日本年金機構\t年金給付関係情報\t提供済" in out
    assert sim.mover_number not in out
    assert main(["inquiries", "records", "--as", inquiry_clerk.username]) == 3


def test_the_simulated_providers_answer_what_the_synthetic_city_holds(
    tmp_path: Path, settings: Any, inquiry_clerk: StaffUser, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.KOUKI_INQUIRY_KEY = str(tmp_path / "inquiry.key")
    settings.KOUKI_CHUKAN_SIM_DIR = str(tmp_path / "chukan")
    settings.KOUKI_INTEGRATED_ADDRESSEE_DIGITS = "15"
    admin = StaffUser.objects.create_user(username="admin09", password=None, role="system_admin",
                                          staff_name="管理者")  # fmt: skip
    assert main(["inquiries", "key-init", "--as", admin.username]) == 0
    argv = ["inquiries", "sandbox-seed", "--residents", str(CONFIG.residents), "--seed", str(CONFIG.seed)]
    assert main([*argv, "--outsiders", "4"]) == 0
    capsys.readouterr()
    synthetic_city_load(actor=Actor.counterpart("synth"), config=CONFIG)
    with_pension = (
        IncomeRecord.objects.filter(care_deduction_pension_annual__gt=0,
                                    person_id__in=IntegratedAddressee.objects.values("person_id"))
        .order_by("pk").first()
    )  # fmt: skip
    assert with_pension is not None
    expected = (with_pension.income_year, with_pension.care_deduction_pension_annual)
    outcome = inquire(user=inquiry_clerk, person_id=with_pension.person_id, kind="pension",
                      purpose="pension_deduction", screen="情報照会", terminal_id="T-1")  # fmt: skip
    assert outcome.status == "provided" and outcome.applied is False  # the same values: nothing changes
    row = IncomeRecord.objects.get(person_id=with_pension.person_id, income_year=expected[0])
    assert (row.income_year, row.care_deduction_pension_annual) == expected


@pytest.mark.django_db(transaction=True)
def test_commands_run_outside_a_test_transaction_are_audited(
    auditor: StaffUser, tmp_path: Path, settings: Any
) -> None:
    # run for real a command has no surrounding transaction: its audit row must still be written
    assert main(["inquiries", "records", "--as", auditor.username]) == 0
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_RECORDS_VIEW).count() == 1
    settings.KOUKI_INQUIRY_KEY = str(tmp_path / "inquiry.key")
    admin = StaffUser.objects.create_user(username="admin10", password=None, role="system_admin",
                                          staff_name="管理者")  # fmt: skip
    assert main(["inquiries", "key-init", "--as", admin.username]) == 0
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_KEY_CREATE).count() == 1
