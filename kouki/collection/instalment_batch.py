"""`kouki batch instalments`: the initial plans of the year with their 保険料額決定通知書, the re-plans due
after a 更正 (with the ledger re-allocated, kouki.collection.replanning) with their 変更通知, PDFs in a
folder. It lives in collection because a re-plan re-derives the ledger; the planning and the notices
are kouki.assessment's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from kouki.assessment.notice_batch import instalment_notice_files
from kouki.assessment.planning import instalment_plans_initial_created
from kouki.assessment.planning_config import city_rules
from kouki.collection.replanning import instalment_plans_replan_due
from kouki.core.faults import fault_point
from kouki.privacy.context import Actor


@dataclass(frozen=True)
class InstalmentBatchResult:
    planned: int
    replanned: int
    files: tuple[Path, ...]


def instalment_batch(
    *, actor: Actor, fiscal_year: int, on: date, out_dir: Path, direct_months: Sequence[int] | None = None,
    workers: int = 2,
) -> InstalmentBatchResult:  # fmt: skip
    """Initial plans + 保険料額決定通知書, re-plans + 変更通知, PDFs in out_dir, in one transaction that
    commits once every notice is under its final name: a crash leaves no plan without its notice (the
    re-run plans and prints them again). The initial planning runs in `workers` forked processes when there is
    more than one chunk. Raises PlanningError (kouki.assessment.planning_config) when a plan cannot be
    made."""
    months = city_rules(direct_months).direct_months
    with transaction.atomic():  # the plans commit only once their notices exist whole (a crash: neither)
        created = instalment_plans_initial_created(
            actor=actor, fiscal_year=fiscal_year, on=on, direct_months=months, workers=workers
        )
        replanned = instalment_plans_replan_due(actor=actor, fiscal_year=fiscal_year, on=on,
                                                direct_months=months)  # fmt: skip
        files = instalment_notice_files(created=created, replanned=replanned, issued_on=on, out_dir=out_dir)
        fault_point("before-commit", "instalments")
    fault_point("after-commit", "instalments")
    return InstalmentBatchResult(len(created), len(replanned), tuple(files))
