"""The retention purge: delete what has expired, nothing else, and say how much (issue 15 §5).

1. The plan is computed (kouki.retention.plan); a KOUKI_RETENTION the registry refuses stops everything.
2. Unless it is a dry run, and only when the plan has rows to delete, a sealed audit checkpoint is written
   first (kouki.privacy.checkpoint): it checks every chain row since the last checkpoint and anchors the
   head outside the database. When the chain does not verify, nothing is deleted: what the purge would
   remove may be the evidence. When the last checkpoint already seals the chain as it stands (no row
   since: a re-run after a crash that followed its checkpoint), no second one is written.
3. In one transaction: the inquiry results through their own purge (kouki.inquiries.services.
   purge_results, its audit row), then every other configured kind with rows to delete, in batches of
   `batch_size` rows, with the rows pointing at it through its listed PROTECT keys first, and one audit
   row `retention.purge` per kind that deleted something: the kind, its period, the cut-off and the counts
   per table — never an id or any content. Rows another table still points at stay (counted as kept).
   A crash before the commit leaves every row; its re-run deletes exactly what an uninterrupted run does.
4. The outbox files go last, after the database is done (a file cannot be rolled back); one audit row
   `retention.files_purge` with the count.

The audit log and the reference log are never deleted (registry: `never`), so `kouki audit verify` walks
them whole as before. A dry run is the plan: it writes nothing, not even an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction
from kouki.core.faults import batch_transaction, fault_point
from kouki.inquiries.services import purge_results
from kouki.privacy.audit import audit_record
from kouki.privacy.checkpoint import CheckpointError, checkpoint_path, sealed_at_head, write_checkpoint
from kouki.privacy.context import Actor
from kouki.retention.plan import FILES, KindPlan, expired_files, expired_rows, retention_plan
from kouki.retention.registry import KOUKI_RETENTION

DEFAULT_BATCH = 1000


class PurgeRefused(RuntimeError):
    """The purge did not start (no checkpoint file, or the audit chain does not verify): nothing deleted."""


@dataclass
class PurgeReport:
    plan: list[KindPlan]
    dry_run: bool
    deleted: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → table → rows
    kept_referenced: dict[str, int] = field(default_factory=dict)
    file_errors: int = 0

    def total(self, key: str) -> int:
        return sum(self.deleted.get(key, {}).values())


def _checkpoint_file_set() -> None:
    if checkpoint_path() is None:
        raise PurgeRefused("KOUKI_AUDIT_CHECKPOINT_FILE is not set: the purge seals the audit chain "
                           "before it deletes anything; nothing was deleted")


def _seal_first(actor: Actor) -> None:
    try:
        if sealed_at_head():
            return
        result = write_checkpoint(actor=actor)
    except (CheckpointError, OSError) as exc:
        raise PurgeRefused(f"no audit checkpoint could be written ({exc}); nothing was deleted") from None
    if result.problems:
        raise PurgeRefused(f"the audit chain does not verify ({result.problems[0]}); nothing was deleted — "
                           "run `kouki audit verify`")


def _purge_kind(actor: Actor, item: KindPlan, batch_size: int) -> tuple[dict[str, int], int]:
    assert item.cutoff is not None and item.period is not None
    deleted: dict[str, int] = {}
    kept = 0
    with transaction.atomic():
        for target in item.kind.targets:
            while True:
                rows, _ = expired_rows(target, item.cutoff, item.bound)
                batch = list(rows.values_list("pk", flat=True)[:batch_size])
                if not batch:
                    break
                for label, name in target.children:
                    _, by_model = apps.get_model(label)._default_manager.filter(
                        **{f"{name}__in": batch}).delete()
                    for model, count in by_model.items():
                        deleted[model] = deleted.get(model, 0) + count
                _, by_model = apps.get_model(target.model)._default_manager.filter(pk__in=batch).delete()
                for model, count in by_model.items():
                    deleted[model] = deleted.get(model, 0) + count
            _, expired = expired_rows(target, item.cutoff, item.bound)
            kept += expired.count()
        if deleted:  # a kind whose expired rows are all still referenced deleted nothing: no row
            audit_record(actor=actor, action=AuditAction.RETENTION_PURGE, target_id=item.kind.key, detail={
                "kind": item.kind.key, "period": str(item.period), "cutoff": item.cutoff.isoformat(),
                "deleted": deleted, "kept_referenced": kept})
    return deleted, kept


def _purge_files(actor: Actor, item: KindPlan) -> tuple[int, int]:
    assert item.cutoff is not None and item.period is not None
    removed = errors = 0
    for path in expired_files(item.cutoff):
        try:
            path.unlink()
            removed += 1
        except OSError:
            errors += 1
    if removed or errors:
        with transaction.atomic():
            audit_record(actor=actor, action=AuditAction.RETENTION_FILES_PURGE, target_id=item.kind.key,
                         detail={"kind": item.kind.key, "period": str(item.period),
                                 "cutoff": item.cutoff.isoformat(), "deleted": removed, "failed": errors})
    return removed, errors


def purge_expired(*, actor: Actor, now: datetime | None = None, dry_run: bool = False,
                  batch_size: int = DEFAULT_BATCH) -> PurgeReport:
    """Delete what the plan says has expired (see the module's steps); a dry run only returns the plan."""
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    now = now or timezone.now()
    plan = retention_plan(now)
    report = PurgeReport(plan, dry_run)
    if dry_run:
        return report
    _checkpoint_file_set()  # even with nothing to delete today: the setting is wrong
    fault_point("after-read", "retention")
    kinds = [i for i in plan if i.status == "purge" and not i.kind.files]
    for item in kinds:  # nothing to delete: reported from the plan, nothing written
        report.deleted[item.kind.key], report.kept_referenced[item.kind.key] = {}, item.kept_referenced
    if any(i.total for i in kinds):
        _seal_first(actor)
        with batch_transaction("retention"):
            for item in kinds:
                if not item.total:
                    continue
                if item.kind.setting != KOUKI_RETENTION:  # the inquiry results: their own purge and row
                    summary = purge_results(actor=actor, now=now)
                    report.deleted[item.kind.key] = {"inquiries.InquiryResult": summary.deleted}
                else:
                    report.deleted[item.kind.key], report.kept_referenced[item.kind.key] = _purge_kind(
                        actor, item, batch_size)
    for item in plan:
        if item.status == "purge" and item.kind.files:
            removed, report.file_errors = _purge_files(actor, item)
            report.deleted[item.kind.key] = {FILES: removed}
    return report
