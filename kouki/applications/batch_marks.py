"""The marks a batch leaves on many applications at once (送付, 決定): their steps and their audit rows,
written set-wise inside the batch's transaction.

- Steps: one `ApplicationStep` per application (who, when, the note), appended with one bulk insert
  (kouki.core.db.insert_rows: COPY on PostgreSQL, executemany on SQLite).
- Audit: as the other batches do (kouki.collection.services: receipts of a file), up to AUDIT_EACH_UP_TO
  applications get one audit row each (target the application's id, as a counter write); more (a day's or
  a month's file) get one audit row per chunk of CHUNK applications, its target the id range
  `<first>-<last>` and its detail the count, every application id of the chunk (`ids`: the audit still
  names each application) and the batch's own summary (the file, the results …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from kouki.applications.models import ApplicationStep, StepAction
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked, db_datetime, insert_rows
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor

AUDIT_EACH_UP_TO = 50
CHUNK = 2_000
STEP_FIELDS = ("application_id", "action", "actor_id", "actor_name", "at", "note")

# one marked application: (its id, the step's note, its audit detail when audited one by one)
Marked = tuple[int, str, Mapping[str, Any]]


def steps_append(actor: Actor, action: StepAction, at: datetime, marked: Sequence[Marked]) -> int:
    """One step each, with one bulk insert."""
    stamp = db_datetime(at)
    rows = [(pk, action.value, actor.user_id, actor.username, stamp, note) for pk, note, _ in marked]
    return insert_rows(ApplicationStep, STEP_FIELDS, rows) if rows else 0


def audit_applications(
    actor: Actor, action: AuditAction, marked: Sequence[Marked], *, common: Mapping[str, Any],
    summary: Callable[[Sequence[Marked]], Mapping[str, Any]] = lambda part: {},
) -> int:  # fmt: skip
    """The batch's audit rows (see the module's docstring); `common` goes in every row, `summary` of a
    chunk in its chunk row. Returns how many rows."""
    ordered = sorted(marked, key=lambda m: m[0])
    if len(ordered) <= AUDIT_EACH_UP_TO:
        items = [AuditItem(action, AuditTarget.APPLICATION, str(pk), {**detail, **common})
                 for pk, _, detail in ordered]  # fmt: skip
    else:
        items = [
            AuditItem(action, AuditTarget.APPLICATION, f"{part[0][0]}-{part[-1][0]}",
                      {**common, "applications": len(part), "ids": [pk for pk, _, _ in part],
                       **summary(part)})
            for part in chunked(ordered, CHUNK)
        ]  # fmt: skip
    return audit_record_many(actor=actor, items=items)
