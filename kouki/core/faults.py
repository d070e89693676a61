"""Crash-test fault points: a process SIGKILLs itself at a named point, only when asked to.

`fault_point("before-commit", name)` does nothing unless the environment variable KOUKI_FAULT_KILL_AT
is set (one dictionary lookup: free in production, where it is never set). When it is set to
`<point>[:<text>]`, the process kills itself with SIGKILL at the first call naming that point whose
`name` contains <text> (an empty <text> matches every call); in a worker process (the parallel PDF
batches) it kills the batch's main process first. Nothing is cleaned up, nothing is flushed: exactly
what a power cut or `kill -9` leaves. The crash tests (tests/faults/, tests/eligibility/
test_outbox_crash.py) use it; docs/operations/crash-safety.md lists the points.

The points are placed in the shared writers, so every batch gets them without copies of its own:

- kouki.core.outbox (every outgoing file and every batch whose rows are tied to files):
  `after-read` (the data read and built, before the first byte is written), `mid-write` (half the
  bytes in the temporary file), `before-rename`, `after-rename`, `before-commit` (every file under its
  final name, rows not committed), `after-commit`;
- kouki.interfaces.importing.run_import (every `kouki import` kind): `after-read` (file parsed and
  validated), `before-commit` (every record applied, not committed), `after-commit`; its reports are
  written through kouki.core.outbox.write_whole (`mid-write`, `before-rename`, `after-rename`);
- kouki.documents.batch (PDF batches): `mid-write`, `after-rename` per part, by file name;
- kouki.inquiries.services (every 情報照会, the counter's and the monthly batch's): `before-commit`,
  `after-commit` per inquiry (by 照会番号), the answer received; the batch adds `after-read` (the
  move-ins listed), the purge its three points;
- rows-only batches without a shared writer, one call each: kouki.applications.decisions (`after-read`,
  `before-commit`/`after-commit` per chunk);
- `batch_transaction` (batches that write only rows: `kouki retention purge`, `kouki alerts scan`,
  `kouki linkage backfill`): `before-commit` (every row written, not committed), `after-commit`; the
  batch calls `fault_point("after-read", name)` itself where its reading ends.

This module imports nothing of kouki's: every app may use it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

FAULT_ENV = "KOUKI_FAULT_KILL_AT"
FAULT_POINTS = ("after-read", "mid-write", "before-rename", "after-rename", "before-commit", "after-commit")


def fault_requested() -> bool:
    """True only in a crash test (KOUKI_FAULT_KILL_AT set)."""
    return bool(os.environ.get(FAULT_ENV))


def fault_point(point: str, name: str = "") -> None:
    """SIGKILL this process if KOUKI_FAULT_KILL_AT names `point` (and part of `name`); else nothing."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    want_point, _, want_text = wanted.partition(":")
    if want_point == point and want_text in name:
        parent = multiprocessing.parent_process()
        if parent is not None and parent.pid is not None:  # a worker (PDF batches): the batch dies with it
            os.kill(parent.pid, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def batch_transaction(name: str) -> Iterator[None]:
    """`transaction.atomic()` for a batch that writes only rows, with the `before-commit` (the work done,
    not committed) and `after-commit` points named `name`."""
    with transaction.atomic():
        yield
        fault_point("before-commit", name)
    fault_point("after-commit", name)
