"""History rules, properties over random sequences of changes (retroactive, same-day, late deaths,
corrections): live intervals stay disjoint, exactly one version is current, nothing recorded is ever lost,
and what each change does to the answers "as of D" is exactly what the rules say."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.history import (
    DECEASED,
    RESIDENT,
    Change,
    Close,
    Effect,
    Insert,
    MarkCurrent,
    NothingInForce,
    Plan,
    Supersede,
    Version,
    apply,
    current_of,
    plan_change,
    stored_order,
)

FIRST = date(2025, 1, 1)
DAYS = 40
EVERY_DAY = [FIRST + timedelta(days=n) for n in range(-1, DAYS + 1)]
START = datetime(2026, 1, 1, tzinfo=UTC)

_changes = st.lists(
    st.tuples(
        st.sampled_from(list(Effect)),
        st.integers(0, DAYS - 1),
        st.sampled_from([None, RESIDENT, "moved_out"]),
    ),
    min_size=1,
    max_size=25,
)


@dataclass
class Step:
    before: list[Version]
    change: Change
    plan: Plan | None  # None: a correction with nothing to correct
    after: list[Version]


def run(changes: list[tuple[Effect, int, str | None]]) -> list[Step]:
    """Apply the changes in order to one person, keeping the whole history (superseded versions too)."""
    history: list[Version] = []
    next_key = 1
    steps = []
    for n, (effect, day, status) in enumerate(changes):
        change = Change(FIRST + timedelta(days=day), START + timedelta(minutes=n), effect, status)
        try:
            plan: Plan | None = plan_change(history, change, next_key=next_key)
        except NothingInForce:
            plan = None
        if plan is None:
            after = history
        else:
            after = apply(history, plan.operations, change.at)
            next_key = plan.next_key
        steps.append(Step(history, change, plan, after))
        history = after
    return steps


def live(versions: list[Version]) -> list[Version]:
    return sorted((v for v in versions if v.superseded_at is None), key=stored_order)


def as_of(versions: list[Version], on: date) -> Version | None:
    hits = [v for v in live(versions) if v.in_force(on)]
    assert len(hits) <= 1
    return hits[0] if hits else None


def key_of(version: Version | None) -> int | None:
    return version.key if version is not None else None


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_live_intervals_are_disjoint(changes: list[tuple[Effect, int, str | None]]) -> None:
    for step in run(changes):
        spans = [v for v in live(step.after) if not v.empty]
        for a, b in itertools.pairwise(spans):
            assert a.valid_to is not None and a.valid_to <= b.valid_from


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_exactly_one_current_version(changes: list[tuple[Effect, int, str | None]]) -> None:
    for step in run(changes):
        current = [v for v in step.after if v.current]
        if not live(step.after):
            assert current == []
            continue
        assert len(current) == 1
        (one,) = current
        assert one.superseded_at is None and not one.empty
        assert one == current_of(step.after)
        # The latest known state: nothing live and non-empty starts after it.
        assert all(v.valid_from <= one.valid_from for v in live(step.after) if not v.empty)


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_nothing_recorded_is_lost(changes: list[tuple[Effect, int, str | None]]) -> None:
    """Every version stays; a superseded one keeps its values and its superseded time; a change only closes
    (shortens) the one version in force on its date, and a correction closes nothing."""
    for step in run(changes):
        after = {v.key: v for v in step.after}
        closed = [op.key for op in step.plan.operations if isinstance(op, Close)] if step.plan else []
        for old in step.before:
            new = after[old.key]
            assert (new.valid_from, new.recorded_at, new.status) == (
                old.valid_from, old.recorded_at, old.status)
            if old.superseded_at is not None:
                assert new == old
            elif new.valid_to != old.valid_to:
                assert old.key in closed and new.valid_to == step.change.on
        if step.change.effect is Effect.CORRECTION:
            assert closed == []
        assert len(closed) <= 1


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_a_correction_keeps_the_superseded_version_and_changes_only_its_interval(
    changes: list[tuple[Effect, int, str | None]],
) -> None:
    for step in run(changes):
        if step.change.effect is not Effect.CORRECTION:
            continue
        target = as_of(step.before, step.change.on)
        if target is None:
            assert step.plan is None and step.after == step.before
            continue
        assert step.plan is not None
        kept = next(v for v in step.after if v.key == target.key)
        assert kept.superseded_at == step.change.at and not kept.current
        replacement = next(v for v in step.after if v.key == step.plan.version)
        assert (replacement.valid_from, replacement.valid_to, replacement.status) == (
            target.valid_from, target.valid_to, target.status)
        for day in EVERY_DAY:
            before, now = as_of(step.before, day), as_of(step.after, day)
            if target.in_force(day):
                assert now == replacement
            else:
                assert key_of(now) == key_of(before)


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_a_change_acts_from_its_date_only(changes: list[tuple[Effect, int, str | None]]) -> None:
    """Before E nothing changes; from E the new version is in force up to its end; after its end only a
    death changes anything (the later versions become deceased copies over the same intervals)."""
    for step in run(changes):
        if step.change.effect is Effect.CORRECTION or step.plan is None:
            continue
        own = next(v for v in step.after if v.key == step.plan.version)
        assert own.valid_from == step.change.on and not own.empty
        for day in EVERY_DAY:
            before, now = as_of(step.before, day), as_of(step.after, day)
            if day < step.change.on:
                assert key_of(now) == key_of(before)
            elif own.in_force(day):
                assert now == own
            elif step.change.effect is Effect.DEATH and before is not None and before.status != DECEASED:
                assert now is not None and now.status == DECEASED
                assert (now.valid_from, now.valid_to) == (before.valid_from, before.valid_to)
            else:
                assert key_of(now) == key_of(before)
        if step.change.effect is Effect.DEATH:
            assert own.status == DECEASED


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_plans_are_consistent(changes: list[tuple[Effect, int, str | None]]) -> None:
    """Operations name live versions or new keys from next_key on, in order; `live`, `version`, `touched`
    and `next_key` say what the operations do."""
    next_key = 1
    for step in run(changes):
        if step.plan is None:
            continue
        plan = step.plan
        live_keys = {v.key for v in live(step.before)}
        inserted = [op.key for op in plan.operations if isinstance(op, Insert)]
        assert inserted == list(range(next_key, next_key + len(inserted)))
        assert plan.next_key == next_key + len(inserted)
        next_key = plan.next_key
        assert plan.version == inserted[0]
        assert all(op.key in live_keys for op in plan.operations if isinstance(op, Close | Supersede))
        assert all(op.copy_of in live_keys for op in plan.operations
                   if isinstance(op, Insert) and op.copy_of is not None)
        assert plan.touched == tuple(op.key for op in plan.operations if isinstance(op, Close | Supersede))
        assert isinstance(plan.operations[-1], MarkCurrent)
        assert list(plan.live) == live(step.after)
        assert all(not op.in_household for op in plan.operations
                   if isinstance(op, Insert) and op.status != RESIDENT)
