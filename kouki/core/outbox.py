"""The one writer of outgoing files (to the union, the bank, staff): whole or absent, never half.

A file is first written to a hidden temporary name in its own folder (`.NAME.<random>.tmp`, mode 0600,
so a pick-up job that takes `*.dat` never sees it), flushed to disk (fsync), then renamed to its final
name (an atomic replace within one folder) and the folder itself is fsynced. A crash can therefore
leave only a hidden temporary file, never a partial file under the final name; the temporary files a
crash leaves behind are removed by the next write of the same name.

`outgoing_files()` ties the files to the database rows that say they were sent:

    with outgoing_files() as out:
        ...read and build the data...
        sha = out.add(outbox / name, data)      # written to a temporary file now
        ...record the file, its audit rows, move the "last sent" watermark...
    # on leaving the block: every file renamed to its final name, then the transaction commits

The rows commit only after every file of the block exists whole under its final name; an exception
(or a crash) before that rolls the rows back and leaves no final file of the block behind except
those already renamed, which the caller regenerates identically on the re-run (see
docs/operations/outbox.md for the crash cases). Files renamed before a failed commit are left in
place: a commit whose outcome is unknown must not lose a file the database may have recorded.

Fault injection for the crash tests (and only for them, kouki.core.faults): `KOUKI_FAULT_KILL_AT=
<point>[:<text>]` makes the process SIGKILL itself at the named point, for the first file whose name
contains <text>. Points: `after-read` (the file's data built, nothing written), `mid-write` (half the
bytes in the temporary file), `before-rename`, `after-rename`, `before-commit` (every file renamed, rows
not committed), `after-commit`.

This module imports nothing of kouki's but kouki.core.faults: every app may use it.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kouki.core.faults import FAULT_ENV, FAULT_POINTS, fault_point, fault_requested

__all__ = ["FAULT_ENV", "FAULT_POINTS", "fault_point", "outgoing_files", "remove_temporaries", "write_whole"]
FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """The name every temporary file of `path` starts with (hidden: a leading dot)."""
    return f".{path.name}."


def _sweep(path: Path) -> None:
    """Remove temporary files of `path` left by an earlier crash."""
    prefix = temp_prefix(path)
    for old in path.parent.glob(f"{glob.escape(prefix)}*{TEMP_SUFFIX}"):
        old.unlink(missing_ok=True)


def remove_temporaries(folder: Path, names: str) -> None:
    """Remove the temporary files left by a crash for every final name in `folder` matching the glob
    `names` — for files whose names differ from run to run (a time stamp), which the sweep of one name
    (on its next write) never meets."""
    for old in folder.glob(f".{names}.*{TEMP_SUFFIX}"):
        old.unlink(missing_ok=True)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: Path, data: bytes) -> Path:
    """`data` whole in a new temporary file next to `path` (mode 0600), on disk; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            half = len(data) // 2
            fh.write(data[:half])
            if fault_requested():
                fh.flush()
                fault_point("mid-write", path.name)
            fh.write(data[half:])
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def publish(tmp: Path, path: Path) -> None:
    """Rename a whole temporary file to its final name and make the rename durable."""
    fault_point("before-rename", path.name)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    fault_point("after-rename", path.name)


def write_whole(path: Path, data: bytes) -> str:
    """Write one file whole or not at all (no database rows tied to it); returns its SHA-256."""
    tmp = write_temp(path, data)
    try:
        publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


@dataclass
class OutgoingFiles:
    """The files of one `outgoing_files()` block: written to temporary files, renamed on success."""

    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, final)
    published: list[Path] = field(default_factory=list)

    def add(self, path: Path, data: bytes) -> str:
        """Write `data` for `path` to a temporary file now; returns its SHA-256 (hex)."""
        if any(final == path for _, final in self.staged):
            raise ValueError(f"{path.name}: already added to this block")
        fault_point("after-read", path.name)
        self.staged.append((write_temp(path, data), path))
        return hashlib.sha256(data).hexdigest()

    def names(self) -> str:
        return " ".join(final.name for _, final in self.staged)

    def publish_all(self) -> None:
        while self.staged:
            tmp, final = self.staged[0]
            publish(tmp, final)
            self.staged.pop(0)
            self.published.append(final)

    def discard(self) -> None:
        """Remove the temporary files not yet renamed."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged.clear()


@contextmanager
def outgoing_files() -> Iterator[OutgoingFiles]:
    """One transaction whose rows commit only once all its files exist whole under their final names."""
    out = OutgoingFiles()
    names = ""
    try:
        with transaction.atomic():
            yield out
            names = out.names()
            out.publish_all()
            fault_point("before-commit", names)
    except BaseException:
        out.discard()
        raise
    fault_point("after-commit", names)
