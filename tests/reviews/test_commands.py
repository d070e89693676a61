"""`kouki audit monthly-report` and `kouki audit review` (issue 15 §1): run --as an auditor; a clerk is
refused (exit 3) and nothing is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kouki.cli import main
from kouki.reviews.models import AuditReview
from reviews.conftest import Month


def test_report_then_review(november: Month, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    report = ["audit", "monthly-report", "--month", "2025-11", "--out"]
    assert main([*report, str(out), "--as", "au.kimura"]) == 0
    pdf = out / "kansa-getsuji-tenken-2025-11.pdf"
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert capsys.readouterr().out.strip() == f"{pdf}  sha256 {digest}"
    assert [p.name for p in out.iterdir()] == [pdf.name]  # no temporary file left
    assert main(["audit", "review", "--month", "2025-11", "--findings", "特記事項なし", "--report", str(pdf),
                 "--as", "au.kimura"]) == 0
    assert "recorded: 2025-11 version 1 by au.kimura" in capsys.readouterr().out
    assert AuditReview.objects.get().report_sha256 == digest


def test_refusals(november: Month, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = ["audit", "monthly-report", "--month", "2025-11", "--out"]
    assert main([*report, str(tmp_path), "--as", "nc.ito"]) == 3
    assert list(tmp_path.iterdir()) == []
    assert main(["audit", "review", "--month", "2025-11", "--findings", "x", "--as", "nc.ito"]) == 3
    assert main(["audit", "review", "--month", "2025-13", "--findings", "x", "--as", "au.kimura"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert main(["audit", "review", "--month", "2025-11", "--findings", f"番号{november.number}",
                 "--as", "au.kimura"]) == 2
    err = capsys.readouterr().err
    assert "個人番号を書かないでください" in err and november.number not in err
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_text("hello")
    assert main(["audit", "review", "--month", "2025-11", "--findings", "x", "--report", str(not_pdf),
                 "--as", "au.kimura"]) == 2
    assert not AuditReview.objects.exists()
