"""`kouki retention plan` and `kouki retention purge` (issue 15 §5): who may run them, what they print
(counts, never a record's content), the dry run, a refused setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import make_staff

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.cli import main
from kouki.inquiries.models import InquiryRecord

from .conftest import clock, inquiry_record, local

pytestmark = pytest.mark.django_db
NOW = local(2033, 6, 15, 10, 0)


def test_the_auditor_reads_the_plan_but_only_the_administrator_purges(
        clerk: StaffUser, operator: str, checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    auditor = make_staff(Role.AUDITOR, username="audit.sato").user.username
    inquiry_record(clerk, local(2026, 6, 14, 9, 0))
    inquiry_record(clerk, local(2026, 6, 16, 9, 0))
    with clock(NOW):
        assert main(["retention", "plan", "--as", auditor]) == 0
        out = capsys.readouterr().out
        line = next(x for x in out.splitlines() if x.startswith("情報提供等記録\t"))
        assert line.split("\t")[2:5] == ["7年", "2026-06-15 より前", "1"]
        assert "保存期間が未設定のため消去しない種類: " in out and "alerts" in out
        assert next(x for x in out.splitlines() if x.startswith("監査ログ\t")).split("\t")[5] == "消去しない"
        assert main(["retention", "purge", "--as", auditor]) == 3
        assert "retention.purge" in capsys.readouterr().err
        assert InquiryRecord.objects.count() == 2
        assert main(["retention", "purge", "--dry-run", "--as", operator]) == 0
        assert "何も消去していません" in capsys.readouterr().out and InquiryRecord.objects.count() == 2
        assert main(["retention", "purge", "--as", operator]) == 0
        out = capsys.readouterr().out
    assert InquiryRecord.objects.count() == 1
    assert next(x for x in out.splitlines() if x.startswith("情報提供等記録\t")).split("\t")[4] == "1"
    assert "REQ-" not in out  # counts, never a record's number


def test_a_refused_setting_stops_both_commands(operator: str, checkpoint_file: Path, settings: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    settings.KOUKI_RETENTION = "inquiry_records=5y"
    assert main(["retention", "plan", "--as", operator]) == 2
    assert main(["retention", "purge", "--as", operator]) == 2
    err = capsys.readouterr().err
    assert err.count("shorter than the 7年") == 2 and "nothing was done" in err


def test_the_purge_without_a_checkpoint_file_says_why(operator: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["retention", "purge", "--as", operator]) == 2
    assert "KOUKI_AUDIT_CHECKPOINT_FILE is not set" in capsys.readouterr().err
    assert main(["retention", "purge", "--batch-size", "0", "--as", operator]) == 2
