"""`kouki certificates batch` (issue 11 §2): the yearly batch from the command line, with its steps, a
summary by kind and the files written; a second run finds nothing pending; bad arguments are refused
before anything is done."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.certificates.models import CertificateBatch, CertificateIssue, Kind
from kouki.cli import main
from kouki.eligibility.selectors import certificate_requests_pending
from kouki.privacy.models import AuditEntry

from .conftest import City

pytestmark = pytest.mark.django_db


def test_the_batch_prints_progress_and_a_summary_by_kind(city: City, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    clerk = make_staff(Role.COUNTER_CLERK, username="clerk.sato", staff_name="佐藤 花子").user.username
    admin = make_staff(Role.SYSTEM_ADMIN, username="ops.kimura", staff_name="木村 運用").user.username
    argv = ["certificates", "batch", "--outbox", str(tmp_path), "--workers", "1"]
    assert main([*argv, "--as", admin]) == 3  # the office issues certificates, not the administrator
    assert "certificates.issue_certificate" in capsys.readouterr().err
    assert not CertificateBatch.objects.exists()
    assert main([*argv, "--as", clerk]) == 0
    out = capsys.readouterr().out
    batch = CertificateBatch.objects.get()
    assert "発行対象: 3件" in out and "資格確認書: 2件を作成中" in out and "発行記録を登録中" in out
    assert f"一括発行 第{batch.pk}回: 3件" in out
    assert "  資格確認書: 2件" in out and "  資格情報のお知らせ: 1件" in out
    written = [Path(line.removeprefix("wrote: ")) for line in out.splitlines() if line.startswith("wrote: ")]
    assert len(written) == 2 and all(p.is_file() and p.parent.parent == tmp_path for p in written)
    assert {f["name"] for f in batch.files} == {p.name for p in written}
    assert CertificateIssue.objects.filter(kind=Kind.CERTIFICATE).count() == 2
    assert not certificate_requests_pending().exists()
    assert AuditEntry.objects.filter(action="certificates.batch_issue", target_id=str(batch.pk)).exists()
    assert AuditEntry.objects.filter(action="certificates.issue").count() == 3
    # who ran it (issue 11 §2): on the batch, on every issue and on every audit row
    assert batch.created_by == clerk
    assert set(CertificateIssue.objects.values_list("issued_by", flat=True)) == {clerk}
    audited = AuditEntry.objects.filter(action__startswith="certificates.")
    assert set(audited.values_list("actor", flat=True)) == {clerk}

    assert main(["certificates", "batch", "--outbox", str(tmp_path), "--as", clerk]) == 0
    assert "発行依頼はありません" in capsys.readouterr().out
    assert CertificateBatch.objects.count() == 1


def test_bad_workers_are_refused_before_anything(city: City, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["certificates", "batch", "--outbox", str(tmp_path), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert not CertificateBatch.objects.exists() and not list(tmp_path.iterdir())
