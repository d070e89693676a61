"""The notice PDFs of a planning batch: 保険料額決定通知書 of the new plans and 変更通知 of the re-plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kouki.assessment.notice_data import premium_change_notice_data, premium_notice_data
from kouki.documents import premium_change_notice, premium_notice
from kouki.documents.render import render_batch


def instalment_notice_files(
    *, created: Sequence[int], replanned: Sequence[int], issued_on: date, out_dir: Path
) -> list[Path]:
    """Render the notices of the created and of the re-planned plans into out_dir; the files written."""
    files: list[Path] = []
    if created:
        notices = premium_notice_data(created, issued_on=issued_on)
        files += [f.path for f in render_batch(premium_notice.KIND, notices, out_dir)]
    if replanned:
        changes = premium_change_notice_data(replanned, issued_on=issued_on)
        files += [f.path for f in render_batch(premium_change_notice.KIND, changes, out_dir)]
    return files
