"""The outbox writer (kouki.core.outbox): whole files or none, 0600, rows committed after the rename."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kouki.core import outbox
from kouki.core.outbox import FAULT_ENV, outgoing_files, write_whole
from kouki.eligibility.models import OutboundFile

DATA = b"1header\r\n" + b"2" + b"x" * 500 + b"\r\n" + b"9trailer\r\n"


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_whole_is_0600_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    previous = os.umask(0)  # even with a permissive umask
    try:
        target = tmp_path / "out" / "KOUKI_resident-info_11100_20260401.dat"
        sha = write_whole(target, DATA)
    finally:
        os.umask(previous)
    assert target.read_bytes() == DATA
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _listing(target.parent) == [target.name]
    assert sha == hashlib.sha256(DATA).hexdigest()


def test_a_write_failing_midway_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.dat"
    write_whole(target, b"old whole file")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outbox.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_whole(target, DATA)
    assert target.read_bytes() == b"old whole file"
    assert _listing(tmp_path) == ["f.dat"]


def test_a_failing_rename_leaves_no_file_under_the_final_name(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.dat"

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(outbox.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_whole(target, DATA)
    assert _listing(tmp_path) == []


def test_temporary_files_of_a_crashed_write_are_swept_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "f.dat"
    stale = tmp_path / ".f.dat.abc123.tmp"
    stale.write_bytes(DATA[:10])
    other = tmp_path / ".g.dat.abc123.tmp"  # another file's: left alone
    other.write_bytes(b"x")
    write_whole(target, DATA)
    assert _listing(tmp_path) == [".g.dat.abc123.tmp", "f.dat"]


def _row(name: str) -> None:
    from django.utils import timezone

    OutboundFile.objects.create(kind="test-kind", run_date=date(2026, 4, 1), file_name=name, record_count=1,
                                sha256="0" * 64, created_at=timezone.now(), created_by="test")


@pytest.mark.django_db(transaction=True)
def test_rows_commit_with_the_files_and_an_error_leaves_neither(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), outgoing_files() as out:
        out.add(tmp_path / "a.dat", DATA)
        _row("a.dat")
        raise RuntimeError("failed after the file was staged")
    assert _listing(tmp_path) == [] and not OutboundFile.objects.exists()

    with outgoing_files() as out:
        out.add(tmp_path / "a.dat", DATA)
        out.add(tmp_path / "b.dat", DATA[:20])
        _row("a.dat")
        assert _listing(tmp_path)[0].startswith(".a.dat.")  # hidden until the block ends
        assert not (tmp_path / "a.dat").exists()
    assert _listing(tmp_path) == ["a.dat", "b.dat"]
    assert (tmp_path / "b.dat").read_bytes() == DATA[:20]
    assert OutboundFile.objects.get().file_name == "a.dat"
    with pytest.raises(ValueError), outgoing_files() as out:
        out.add(tmp_path / "c.dat", DATA)
        out.add(tmp_path / "c.dat", DATA)
    assert _listing(tmp_path) == ["a.dat", "b.dat"]


@pytest.mark.django_db(transaction=True)
def test_the_transfer_audit_row_needs_the_transaction_that_records_the_file() -> None:
    from kouki.privacy.context import Actor
    from kouki.privacy.models import AuditEntry
    from kouki.privacy.transfer import UNION_ELIGIBILITY, numbers_for_transfer

    with pytest.raises(RuntimeError, match="inside the transaction"):
        numbers_for_transfer(actor=Actor.system("test"), transfer_id=UNION_ELIGIBILITY, person_ids=[1])
    assert not AuditEntry.objects.exists()


def _child(code: str, tmp_path: Path, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault is not None:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


WRITE = ("import sys; from pathlib import Path; from kouki.core.outbox import write_whole; "
         f"write_whole(Path(sys.argv[1]) / 'KOUKI_income-info_11100_20260401.dat', {DATA!r})")


@pytest.mark.parametrize("fault", ["mid-write", "before-rename", "mid-write:income-info"])
def test_killed_before_the_rename_only_a_hidden_0600_temporary_remains(tmp_path: Path, fault: str) -> None:
    proc = _child(WRITE, tmp_path, fault)
    assert proc.returncode == -9, proc.stderr[-2000:]
    (temp,) = tmp_path.iterdir()
    assert temp.name.startswith(".KOUKI_income-info_11100_20260401.dat.") and temp.name.endswith(".tmp")
    assert stat.S_IMODE(temp.stat().st_mode) == 0o600
    if fault.startswith("mid-write"):
        assert temp.read_bytes() == DATA[: len(DATA) // 2]  # half a file, hidden: no trailer
    proc = _child(WRITE, tmp_path, None)  # the re-run writes it whole and sweeps the leftover
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _listing(tmp_path) == ["KOUKI_income-info_11100_20260401.dat"]


@pytest.mark.parametrize("fault", ["after-rename", "before-rename:resident-info", "after-commit"])
def test_the_hook_fires_only_at_its_point_and_file(tmp_path: Path, fault: str) -> None:
    proc = _child(WRITE, tmp_path, fault)
    assert proc.returncode == (-9 if fault == "after-rename" else 0), proc.stderr[-2000:]
    assert (tmp_path / "KOUKI_income-info_11100_20260401.dat").read_bytes() == DATA
