"""A file the city sends the union, staged and recorded in one step: the daily/initial registry files
(kouki.eligibility.batch) and the collection files (kouki.arrears.union_files) go through `union_file_send`.

The file is staged in the caller's `outgoing_files()` block (kouki.core.outbox: renamed to its final name
when the block commits) and recorded as an OutboundFile with its audit row in the same transaction.

`union_file_sent` is sent, in that same transaction, once per file: kouki.transfers (a layer above) records
each union file as one execution of transfer T01 (kouki.transfers.union_records), so that the domain apps
that write union files need not know of the transfers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.dispatch import Signal

from kouki.core.config import municipality_code
from kouki.core.outbox import OutgoingFiles
from kouki.eligibility.services import outbound_file_record
from kouki.interfaces.union.files import union_file_name
from kouki.privacy.context import Actor

# sent with actor, kind, path, sha256, record_count, data (the file's bytes), inside the recording transaction
union_file_sent = Signal()


@dataclass(frozen=True)
class SentFile:
    kind: str
    path: Path
    record_count: int
    sha256: str


def union_file_send(
    out: OutgoingFiles,
    *,
    actor: Actor,
    kind: str,
    on: date,
    outbox: Path,
    data: bytes,
    count: int,
    record_kind: str | None = None,
    through: int | None = None,
) -> SentFile:
    """Stage the union file of `kind` for day `on` in `out` and record it (as `record_kind`, default
    `kind`; `through`: the last change or income id the file covers)."""
    path = outbox / union_file_name(kind, municipality_code(), on)
    sha = out.add(path, data)
    outbound_file_record(
        actor=actor,
        kind=record_kind or kind,
        run_date=on,
        path=path,
        record_count=count,
        sha256=sha,
        through_change_id=through,
    )
    union_file_sent.send(sender=SentFile, actor=actor, kind=kind, path=path, sha256=sha, record_count=count,
                         data=data)  # fmt: skip
    return SentFile(kind, path, count, sha)
