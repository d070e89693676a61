"""What the retention purge would delete today: per kind the cut-off and the count (issue 15 §5). Reads only.

A record has expired when its clock started before the cut-off (kouki.rules.retention.cutoff: kept through
the anniversary day). A datetime clock is compared with the start of the cut-off day in the city's time
zone; the inquiry results with now − KOUKI_INQUIRY_RESULT_DAYS, as their own purge does. Rows another table
points at through a PROTECT key (other than the kind's own children) are kept and counted as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from django.apps import apps
from django.db import models
from django.db.models import Max
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone

from kouki.core.config import outbox_dirs
from kouki.retention.periods import configured_periods
from kouki.retention.registry import KINDS, KOUKI_RETENTION, Kind, Target
from kouki.rules.retention import Period, cutoff

Status = Literal["purge", "not_configured", "never"]
STATUS_LABELS: dict[Status, str] = {
    "purge": "期間経過分を消去", "not_configured": "保存期間未設定(消去しない)", "never": "消去しない"}
FILES = "files"


@dataclass(frozen=True)
class KindPlan:
    kind: Kind
    status: Status
    period: Period | None = None
    cutoff: date | None = None  # records that started before this day have expired
    bound: datetime | None = None  # the exact moment for the inquiry results
    counts: dict[str, int] = field(default_factory=dict)  # per table ("app.Model") or "files"
    kept_referenced: int = 0  # expired, but another record still points at them

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _bound(model: type[models.Model], clock: str, day: date, exact: datetime | None) -> date | datetime:
    if exact is not None:
        return exact
    if isinstance(model._meta.get_field(clock), models.DateTimeField):
        return timezone.make_aware(datetime.combine(day, time.min))
    return day


def _protectors(model: type[models.Model], children: tuple[tuple[str, str], ...]) -> list[tuple[Any, str]]:
    """(referencing model, field name) of every PROTECT key pointing at `model`, except its children."""
    own = {(_model(label), name) for label, name in children}
    out = []
    for rel in model._meta.get_fields(include_hidden=True):  # related_name="+" keys are hidden
        if isinstance(rel, ForeignObjectRel) and rel.on_delete is models.PROTECT:
            pair = (rel.related_model, rel.field.name)
            if pair not in own:
                out.append(pair)
    return out


def expired_rows(target: Target, day: date, exact: datetime | None = None) -> tuple[Any, Any]:
    """(the expired rows that may be deleted, all the expired rows) of one table."""
    model = _model(target.model)
    rows = model._default_manager.filter(
        **{f"{target.clock}__lt": _bound(model, target.clock, day, exact)}, **target.only)
    for name in target.exclude_null:
        rows = rows.exclude(**{f"{name}__isnull": True})
    if target.keep_newest_per:
        newest = model._default_manager.values(target.keep_newest_per).annotate(last=Max("pk")).values("last")
        rows = rows.exclude(pk__in=newest)
    deletable = rows
    for other, name in _protectors(model, target.children):
        deletable = deletable.exclude(pk__in=other._default_manager.filter(
            **{f"{name}__isnull": False}).values(name))
    return deletable, rows


def expired_files(day: date) -> list[Path]:
    """Files directly in KOUKI_OUTBOX_DIRS last modified before the cut-off day (local time)."""
    bound = timezone.make_aware(datetime.combine(day, time.min)).timestamp()
    found = []
    for folder in outbox_dirs():
        path = Path(folder)
        if not path.is_dir():
            continue
        for entry in sorted(path.iterdir()):
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < bound:
                found.append(entry)
    return found


def plan_kind(kind: Kind, period: Period | None, now: datetime) -> KindPlan:
    if kind.never:
        return KindPlan(kind, "never")
    if period is None:
        return KindPlan(kind, "not_configured")
    day = cutoff(timezone.localdate(now), period)
    exact = now - timedelta(days=period.amount) if kind.setting != KOUKI_RETENTION else None
    if kind.files:
        return KindPlan(kind, "purge", period, day, None, {FILES: len(expired_files(day))})
    counts: dict[str, int] = {}
    kept = 0
    for target in kind.targets:
        deletable, expired = expired_rows(target, day, exact)
        counts[target.model] = deletable.count()
        kept += expired.count() - counts[target.model]
    return KindPlan(kind, "purge", period, day, exact, counts, kept)


def retention_plan(now: datetime | None = None) -> list[KindPlan]:
    """Every kind in registry order; RetentionConfigError when KOUKI_RETENTION cannot be used."""
    now = now or timezone.now()
    periods = configured_periods()
    return [plan_kind(kind, periods[kind.key], now) for kind in KINDS]
