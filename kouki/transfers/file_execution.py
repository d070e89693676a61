"""The shared piece of every file transfer (移転 by ファイルサーバ, 専用線 or 庁内連携): gate, file, record.

`execute_file_transfer` is what each file execution (T03 daily 資格, T08 monthly, T15 yearly, and any
other) calls with its definition code, method, items, the file's path and a `build` function:

1. the gate first, before any personal data is read (kouki.transfers.services.transfer_check: the actor's
   特定個人情報の移転の実行 permission, a registered definition whose current version both sides approved,
   every item in its whitelist, the method one of the definition's) — TransferRefused, audited, otherwise;
2. a file already recorded under the same name for the same definition is not sent again (idempotent:
   the name carries the day, month or year it covers) — `already_sent`;
3. `build()` reads the data and returns the persons and the bytes; no persons: nothing is written or
   recorded — `nothing_to_send` (the gate refuses an execution without persons);
4. the file is written temp + fsync + rename and the TransferRecord (who, when, definition and version,
   persons, count, items, method, file name, SHA-256) with its audit row commits in the same block
   (kouki.core.outbox.outgoing_files): recorded as sent only once the file exists whole.

`csv_bytes` encodes the CSV files of these transfers: UTF-8 with BOM, CR LF, a header line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kouki.core.outbox import outgoing_files
from kouki.privacy.context import Actor
from kouki.transfers.catalogue import Method
from kouki.transfers.models import TransferDefinition, TransferRecord
from kouki.transfers.services import transfer_check, transfer_execute


class FileTransferStatus(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    NOTHING_TO_SEND = "nothing_to_send"


@dataclass(frozen=True)
class FileContent:
    person_ids: Sequence[int]  # 宛名 ids of the persons in the file
    data: bytes
    lines: int  # data lines (records) in the file


@dataclass(frozen=True)
class FileTransferResult:
    code: str
    path: Path
    status: FileTransferStatus
    record: TransferRecord | None = None
    lines: int = 0


class _SentMeanwhile(Exception):
    pass


def _recorded(code: str, file_name: str) -> TransferRecord | None:
    return TransferRecord.objects.filter(version__definition__code=code, file_name=file_name).first()


def execute_file_transfer(*, actor: Actor, code: str, method: Method, items: Sequence[str], path: Path,
                          build: Callable[[], FileContent]) -> FileTransferResult:  # fmt: skip
    """One file execution of definition `code` (see the module docstring). Raises TransferRefused."""
    transfer_check(actor=actor, code=code, person_ids=None, items=items, method=method)
    done = _recorded(code, path.name)
    if done is not None:
        return FileTransferResult(code, path, FileTransferStatus.ALREADY_SENT, done, 0)
    content = build()
    if not content.person_ids:
        return FileTransferResult(code, path, FileTransferStatus.NOTHING_TO_SEND)
    try:
        with outgoing_files() as out:
            TransferDefinition.objects.select_for_update().get(code=code)  # one run of a file at a time
            if _recorded(code, path.name) is not None:
                raise _SentMeanwhile
            sha = out.add(path, content.data)
            record = transfer_execute(actor=actor, code=code, person_ids=content.person_ids, items=items,
                                      method=method, file_name=path.name, file_sha256=sha)  # fmt: skip
    except _SentMeanwhile:
        return FileTransferResult(code, path, FileTransferStatus.ALREADY_SENT, _recorded(code, path.name))
    return FileTransferResult(code, path, FileTransferStatus.SENT, record, content.lines)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with BOM and CR LF (so that spreadsheet software shows the Japanese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
