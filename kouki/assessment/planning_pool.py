"""The pure planning of a bulk run, chunk by chunk, optionally in forked worker processes (the parent
reads the inputs and writes the results; the workers only compute)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Sequence

from kouki.assessment.plan_rows import instalment_values
from kouki.assessment.planning_inputs import Due, PlanningInputs, plan_of
from kouki.rules import instalments as rules

# A planned chunk: per assessment, (amount due, deduction start 'YYYY-MM' or '', direct reason or '',
# overpayment, instalment rows without the plan id: (method, stage, period, month, due date, amount)).
Planned = list[tuple[int, str, str, int, list[tuple[object, ...]]]]
_FORK_STATE: tuple[list[Due], PlanningInputs, rules.CityInstalmentRules] | None = None


def planned(batch: Sequence[Due], inputs: PlanningInputs, city: rules.CityInstalmentRules) -> Planned:
    """Plan a chunk (pure: no database access, so it can run in a forked worker)."""
    out: Planned = []
    for a in batch:
        r = plan_of(a, inputs, city)
        starts = r.pension_deduction_starts.iso() if r.pension_deduction_starts else ""
        rows = instalment_values(r.instalments)
        out.append((r.annual_premium, starts, r.direct_reason or "", r.overpayment, rows))
    return out


def _planned_span(span: tuple[int, int]) -> Planned:
    """Worker side of `planned_chunks`: the inputs come from the parent by fork, not by pickling."""
    assert _FORK_STATE is not None
    due, inputs, city = _FORK_STATE
    return planned(due[span[0] : span[1]], inputs, city)


def planned_chunks(
    due: list[Due], inputs: PlanningInputs, city: rules.CityInstalmentRules, chunk: int, workers: int
) -> Iterable[tuple[Sequence[Due], Planned]]:
    """The chunks of `due` with their plans, in order; with workers > 1 planned in that many forked
    processes (the parent only reads the results and writes)."""
    spans = [(start, min(start + chunk, len(due))) for start in range(0, len(due), chunk)]
    if workers <= 1 or len(spans) <= 1:
        for lo, hi in spans:
            yield due[lo:hi], planned(due[lo:hi], inputs, city)
        return
    global _FORK_STATE
    _FORK_STATE = (due, inputs, city)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (lo, hi), made in zip(spans, pool.imap(_planned_span, spans), strict=True):
                yield due[lo:hi], made
    finally:
        _FORK_STATE = None
