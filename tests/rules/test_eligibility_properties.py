"""Eligibility rules, properties: periods agree with an independent day predicate, never overlap, and a later
fact never changes what was decided about earlier days."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.eligibility import PersonFacts, Residence, Span, clip_before, insured_periods

LO, HI = date(2005, 1, 1), date(2035, 12, 31)
ONE = timedelta(days=1)


def oracle(f: PersonFacts, day: date) -> bool:
    """Written from the law, independently of the module: is the person insured on `day`?"""
    if day < date(2008, 4, 1):
        return False
    if f.death_on is not None and day > f.death_on:
        return False
    y, m, d = f.birth_date.year, f.birth_date.month, f.birth_date.day
    if (m, d) == (2, 29):
        turned75 = date(y + 75, 2, 29) if _leap(y + 75) else date(y + 75, 3, 1)
        turned65 = date(y + 65, 2, 29) if _leap(y + 65) else date(y + 65, 3, 1)
    else:
        turned75, turned65 = date(y + 75, m, d), date(y + 65, m, d)
    def within(spans: tuple[Span, ...], on: date = day) -> bool:
        return any(s.start <= on and (s.end is None or on < s.end) for s in spans)

    def address_here(r: Residence) -> bool:
        if r.moved_out_on is None:
            return r.moved_in_on <= day
        # 第53条① proviso: a move to another union's area loses that day (第55条 facility exception aside)
        proviso = r.moved_to_other_union and not within(f.exception_out, r.moved_out_on + ONE)
        return r.moved_in_on <= day and (day < r.moved_out_on if proviso else day <= r.moved_out_on)

    lives_here = any(address_here(r) for r in f.residences)
    # 第53条①: the disability status is lost the day AFTER the condition ends (end inclusive)
    certified = any(s.start <= day and (s.end is None or day <= s.end) for s in f.disability)
    here = (lives_here and not within(f.exception_in)) or within(f.exception_out)
    old_enough = day >= turned75 or (day >= turned65 and certified)
    return here and old_enough and not within(f.public_assistance)


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_days = st.dates(min_value=LO, max_value=HI)


@st.composite
def span(draw: st.DrawFn, prefix: str) -> Span:
    start = draw(_days)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=HI)))
    n = draw(st.integers(0, 999))
    return Span(start, end, f"{prefix}{n}", f"{prefix}{n}-end" if end else None)


@st.composite
def residence(draw: st.DrawFn) -> Residence:
    start = draw(_days)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=HI)))
    n = draw(st.integers(0, 999))
    other_union = end is not None and draw(st.booleans())
    return Residence(start, end, f"in{n}", f"out{n}" if end else None, "", other_union)


@st.composite
def person(draw: st.DrawFn) -> PersonFacts:
    return PersonFacts(
        birth_date=draw(st.dates(min_value=date(1925, 1, 1), max_value=date(1965, 12, 31))),
        residences=tuple(draw(st.lists(residence(), max_size=3))),
        death_on=draw(st.one_of(st.none(), _days)),
        death_event_id="death",
        disability=tuple(draw(st.lists(span("dis"), max_size=2))),
        public_assistance=tuple(draw(st.lists(span("pa"), max_size=2))),
        exception_out=tuple(draw(st.lists(span("xo"), max_size=1))),
        exception_in=tuple(draw(st.lists(span("xi"), max_size=1))),
    )


def _probe_days(f: PersonFacts) -> set[date]:
    """Every day on which something may change, the day before it, and a few fixed days."""
    days = {LO, HI, date(2008, 3, 31), date(2008, 4, 1)}
    for p in insured_periods(f):
        days |= {p.start, p.start - ONE}
        if p.end is not None:
            days |= {p.end, p.end - ONE}
    for r in f.residences:
        days |= {r.moved_in_on, r.moved_in_on - ONE}
        if r.moved_out_on is not None:
            days |= {r.moved_out_on - ONE, r.moved_out_on, r.moved_out_on + ONE}
    for s in (*f.disability, *f.public_assistance, *f.exception_in, *f.exception_out):
        days |= {s.start, s.start - ONE}
        if s.end is not None:
            days |= {s.end, s.end - ONE, s.end + ONE}
    if f.death_on is not None:
        days |= {f.death_on, f.death_on + ONE}
    for age in (65, 75):
        for delta in (-1, 0, 1, 2):
            try:
                days.add(f.birth_date.replace(year=f.birth_date.year + age) + timedelta(days=delta))
            except ValueError:
                days.add(date(f.birth_date.year + age, 3, 1) + timedelta(days=delta))
    return days


@settings(max_examples=300, deadline=None)
@given(person(), st.lists(_days, max_size=10))
def test_periods_agree_with_the_day_predicate(f: PersonFacts, extra: list[date]) -> None:
    periods = insured_periods(f)
    for day in _probe_days(f) | set(extra):
        covered = sum(p.start <= day and (p.end is None or day < p.end) for p in periods)
        assert covered == int(oracle(f, day)), day


@settings(max_examples=300, deadline=None)
@given(person())
def test_periods_are_ordered_maximal_and_never_overlap(f: PersonFacts) -> None:
    periods = insured_periods(f)
    for p in periods:
        assert p.end is None or p.start < p.end
        assert (p.end is None) == (p.loss_reason is None)
        assert p.source_event_ids, "every period says which events produced it"
    for a, b in itertools.pairwise(periods):
        assert a.end is not None and a.end < b.start  # a gap of at least one day: runs are maximal


@settings(max_examples=300, deadline=None)
@given(person(), _days, st.data())
def test_a_later_fact_never_changes_earlier_days(f: PersonFacts, cut: date, data: st.DataObject) -> None:
    later = st.dates(min_value=cut, max_value=HI)
    kind = data.draw(st.sampled_from(["death", "residence", "disability", "public_assistance", "out", "in"]))
    start = data.draw(later)
    end = data.draw(st.one_of(st.none(), st.dates(min_value=start, max_value=HI)))
    if kind == "death":
        if f.death_on is not None and f.death_on < cut:
            return  # an earlier death already decides
        g = dataclasses.replace(f, death_on=start)
    elif kind == "residence":
        g = dataclasses.replace(f, residences=(*f.residences, Residence(start, end, "new")))
    else:
        field = {"disability": "disability", "public_assistance": "public_assistance", "out": "exception_out",
                 "in": "exception_in"}[kind]  # fmt: skip
        g = dataclasses.replace(f, **{field: (*getattr(f, field), Span(start, end, "new", "new-end"))})
    # A 住所地特例 dated the day after a move to another union's area reaches back one day: the move-out day
    # is then still insured here (第55条 instead of the 第53条① proviso).
    reach = cut - ONE if kind == "out" else cut
    assert clip_before(insured_periods(g), reach) == clip_before(insured_periods(f), reach)


@settings(max_examples=200, deadline=None)
@given(person())
def test_the_result_does_not_depend_on_the_order_of_facts(f: PersonFacts) -> None:
    g = dataclasses.replace(
        f,
        residences=tuple(reversed(f.residences)),
        disability=tuple(reversed(f.disability)),
        public_assistance=tuple(reversed(f.public_assistance)),
    )
    assert [(p.start, p.end, p.acquisition_reason, p.loss_reason) for p in insured_periods(g)] == [
        (p.start, p.end, p.acquisition_reason, p.loss_reason) for p in insured_periods(f)
    ]
