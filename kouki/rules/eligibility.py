"""Who is insured by the union (後期高齢者医療 被保険者資格), on which days, and why. Pure; no Django.

Law: 高齢者の医療の確保に関する法律 (高確法, 昭和57年法律第80号).
- 第50条: insured are people with an address in the union's area who are 75 or older (1号), or 65–74 and
  certified by the union as having a disability of the degree in the cabinet order (2号).
- 第51条: excluded are members of a household under public assistance (生活保護, 1号) and others (2号).
- 第52条: acquisition when a resident reaches 75 (1号), when a person of 75+ comes to live in the area
  (2号), when certified (3号), when no longer excluded (4号).
  "75歳の誕生日当日から" (e.g. https://www.city.sano.lg.jp/kurashi_gyosei/kurashi_tetsuzuki/nenkin_hoken/2/7592.html).
- 第53条①: loss the day after the address in the area is lost, the day after the person no longer has the
  disability of 第50条2号 (該当しなくなった日の翌日), and the day after death (no longer an address anywhere).
  Proviso: when on the day the address in the area is lost the person takes an address in ANOTHER union's area
  (another prefecture: one union per prefecture, 第48条), the status is lost THAT day — the new union insures
  them from the same day (第52条2号), so the month is never charged twice. Moves abroad, and moves whose
  destination is not known to be in another union's area, keep the day after. 第53条②: loss on the day the
  person becomes excluded (生活保護 start). Text: e-Gov 昭和57年法律第80号; the same reading:
  https://www.wel.ne.jp/doc/feature/healthcare/kouki3/2.html (WAM NET / 福祉医療機構:
  "住民でなくなった日に他の広域連合の住民になったときは当日", "障害を有する状態でなくなった日の翌日").
- 第55条: 住所地特例 — a person who moves into a facility (病院, 施設) outside the area and moves the address
  there stays insured by the former union; conversely a person from another union's area who moves into a
  facility here stays with that union.
- Disability certification: from the certification date, never before the 65th birthday (an application
  made before it takes effect on the birthday); it can be withdrawn at any time before 75, only for the
  future (https://www.city.otsu.lg.jp/kenko/koreiiryo/todoke/1389164911924.html,
  https://saga-kouiki.jp/main/476.html, the Sano page above).

Dates of facts are given as the administrative systems record them:
- a residence runs from the move-in (or birth) day to the move-out day inclusive; loss from the next day —
  except a move-out to another union's area (`moved_to_other_union`): loss on the move-out day itself
  (第53条① proviso), unless a 住所地特例 (exception_out) keeps the person insured here from the move-out day
  or the day after (第55条: moving into a facility in another union's area is no loss at all);
- death: alive through the day of death; loss from the next day;
- disability certification [certified_on, ended_on]: `Span.end` of a disability span is the 該当しなくなった日
  (the day the condition ended, or the day the certification was withdrawn), the last day it counts; the
  status is lost the day after (第53条①);
- public assistance and the address-exception intervals are half-open [start, end): the end of public
  assistance takes effect on its own date (第52条 "該当しなくなつた日から").

Age: the 75th birthday; for a person born on 29 February it is 1 March in a common year (年齢計算ニ関スル
法律: the age is reached at the end of the day before the birthday, 28 February).

The function is pure over all facts, so a retroactive fact (遡及) simply yields new periods from its
effective date; `first_difference` says from which day two results differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kouki.rules.union_codes import AcquisitionReason, LossReason

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class EligibilityRules:
    """Parameters of the rules; defaults are the law as of 2026."""

    scheme_start: date = date(2008, 4, 1)  # 後期高齢者医療制度 started (people already 75: acquired that day)
    age: int = 75
    disability_min_age: int = 65


DEFAULT_RULES = EligibilityRules()


@dataclass(frozen=True)
class Residence:
    """Living in the union's area: moved_in_on .. moved_out_on inclusive (None: still living there).

    moved_to_other_union: the move-out took the person to an address in another union's area (another
    prefecture) that same day — the 第53条① proviso: the move-out day is then not insured here."""

    moved_in_on: date
    moved_out_on: date | None
    event_id: str
    end_event_id: str | None = None
    municipality_code: str = ""
    moved_to_other_union: bool = False


@dataclass(frozen=True)
class Span:
    """A half-open interval [start, end) of a fact (end None: open), with the events that produced it."""

    start: date
    end: date | None
    event_id: str
    end_event_id: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class PersonFacts:
    """Everything the union knows about one person that matters for eligibility."""

    birth_date: date
    birth_event_id: str = "birth"
    residences: tuple[Residence, ...] = ()
    death_on: date | None = None
    death_event_id: str | None = None
    disability: tuple[Span, ...] = ()  # certified [on, ended_on] — end inclusive, see the module docstring
    public_assistance: tuple[Span, ...] = ()  # [started_on, ended_on)
    exception_out: tuple[Span, ...] = ()  # in a facility outside the area, insured HERE (住所地特例)
    exception_in: tuple[Span, ...] = ()  # in a facility here, insured by ANOTHER union


@dataclass(frozen=True)
class InsuredPeriodResult:
    start: date
    end: date | None  # exclusive: the 資格喪失日; None while insured
    acquisition_reason: AcquisitionReason
    loss_reason: LossReason | None
    source_event_ids: tuple[str, ...] = field(default=())

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def birthday(birth: date, age: int) -> date:
    """The day a person born on `birth` turns `age` (29 February → 1 March in a common year)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February in a common year
        return date(birth.year + age, 3, 1)


@dataclass(frozen=True)
class _State:
    alive: bool
    covered: bool
    aged: bool
    disabled: bool
    assisted: bool
    started: bool

    @property
    def insured(self) -> bool:
        return (
            self.started
            and self.alive
            and self.covered
            and (self.aged or self.disabled)
            and not self.assisted
        )


def last_day_here(facts: PersonFacts, r: Residence) -> date | None:
    """The last day a residence keeps the person in the union's area (None: still living there).

    The move-out day itself, or the day before it under the 第53条① proviso (address in another union's
    area that day) — unless a 住所地特例 keeps the person insured here from the move-out day or the day
    after (第55条), which makes the move no loss at all."""
    if r.moved_out_on is None:
        return None
    if r.moved_to_other_union and not any(s.covers(r.moved_out_on + ONE_DAY) for s in facts.exception_out):
        return r.moved_out_on - ONE_DAY
    return r.moved_out_on


def _in_area(facts: PersonFacts, day: date) -> bool:
    for r in facts.residences:
        last = last_day_here(facts, r)
        if r.moved_in_on <= day and (last is None or day <= last):
            return True
    return False


def certified_on(s: Span, day: date) -> bool:
    """A disability span counts on `day`: from the certification to the 該当しなくなった日, inclusive."""
    return s.start <= day and (s.end is None or day <= s.end)


def _state(facts: PersonFacts, day: date, rules: EligibilityRules) -> _State:
    covered_here = _in_area(facts, day) and not any(s.covers(day) for s in facts.exception_in)
    return _State(
        alive=facts.death_on is None or day <= facts.death_on,
        covered=covered_here or any(s.covers(day) for s in facts.exception_out),
        aged=day >= birthday(facts.birth_date, rules.age),
        disabled=day >= birthday(facts.birth_date, rules.disability_min_age)
        and any(certified_on(s, day) for s in facts.disability),
        assisted=any(s.covers(day) for s in facts.public_assistance),
        started=day >= rules.scheme_start,
    )


def is_insured_on(facts: PersonFacts, day: date, rules: EligibilityRules = DEFAULT_RULES) -> bool:
    """The day predicate the periods are built from."""
    return _state(facts, day, rules).insured


def _boundaries(facts: PersonFacts, rules: EligibilityRules) -> list[date]:
    """Every day on which some part of the state may change."""
    days = {
        rules.scheme_start,
        facts.birth_date,
        birthday(facts.birth_date, rules.age),
        birthday(facts.birth_date, rules.disability_min_age),
    }
    if facts.death_on is not None:
        days.add(facts.death_on + ONE_DAY)
    for r in facts.residences:
        days.add(r.moved_in_on)
        if r.moved_out_on is not None:
            days.add(r.moved_out_on)  # 第53条① proviso: lost that day
            days.add(r.moved_out_on + ONE_DAY)
    for s in facts.disability:
        days.add(s.start)
        if s.end is not None:
            days.add(s.end + ONE_DAY)  # lost the day after the condition ends
    for spans in (facts.public_assistance, facts.exception_out, facts.exception_in):
        for s in spans:
            days.add(s.start)
            if s.end is not None:
                days.add(s.end)
    return sorted(days)


def _ids_starting(spans: Iterable[Span], day: date) -> list[str]:
    return [s.event_id for s in spans if s.start == day]


def _ids_ending(spans: Iterable[Span], day: date) -> list[str]:
    return [s.end_event_id or s.event_id for s in spans if s.end == day]


def _acquisition(
    facts: PersonFacts, day: date, before: _State, now: _State
) -> tuple[AcquisitionReason, list[str]]:
    if now.covered and not before.covered:
        ids = [r.event_id for r in facts.residences if r.moved_in_on == day]
        ids += _ids_starting(facts.exception_out, day) + _ids_ending(facts.exception_in, day)
        return AcquisitionReason.MOVE_IN, ids
    if before.assisted and not now.assisted:
        return AcquisitionReason.PUBLIC_ASSISTANCE_END, _ids_ending(facts.public_assistance, day)
    if now.aged and not before.aged:
        return AcquisitionReason.AGE, [facts.birth_event_id]
    if now.disabled and not before.disabled:
        ids = _ids_starting(facts.disability, day) or [
            s.event_id for s in facts.disability if certified_on(s, day)
        ]
        return AcquisitionReason.DISABILITY, ids
    if now.started and not before.started:
        return AcquisitionReason.OTHER, [facts.birth_event_id]  # 制度創設 (2008-04-01)
    return AcquisitionReason.OTHER, []


def _loss(facts: PersonFacts, day: date, now: _State) -> tuple[LossReason, list[str]]:
    if not now.alive:
        return LossReason.DEATH, [facts.death_event_id or "death"]
    if now.assisted:
        return LossReason.PUBLIC_ASSISTANCE, _ids_starting(facts.public_assistance, day)
    if not now.covered:
        ids = [
            r.end_event_id or r.event_id for r in facts.residences if last_day_here(facts, r) == day - ONE_DAY
        ]
        ids += _ids_ending(facts.exception_out, day) + _ids_starting(facts.exception_in, day)
        return LossReason.MOVE_OUT, ids
    if not (now.aged or now.disabled):
        ended = [s.end_event_id or s.event_id for s in facts.disability if s.end == day - ONE_DAY]
        return LossReason.DISABILITY_WITHDRAWN, ended
    return LossReason.OTHER, []


def insured_periods(facts: PersonFacts, rules: EligibilityRules = DEFAULT_RULES) -> list[InsuredPeriodResult]:
    """The maximal runs of insured days, in order, each with its reasons and source event ids."""
    periods: list[InsuredPeriodResult] = []
    days = _boundaries(facts, rules)
    previous = _state(facts, days[0] - ONE_DAY, rules)
    start: date | None = None
    reason = AcquisitionReason.OTHER
    ids: list[str] = []
    for day in days:
        now = _state(facts, day, rules)
        if now.insured and not previous.insured:
            start = day
            reason, ids = _acquisition(facts, day, previous, now)
        elif previous.insured and not now.insured:
            assert start is not None
            loss, loss_ids = _loss(facts, day, now)
            periods.append(InsuredPeriodResult(start, day, reason, loss, _unique(ids + loss_ids)))
            start = None
        previous = now
    if start is not None:
        periods.append(InsuredPeriodResult(start, None, reason, None, _unique(ids)))
    return periods


def _unique(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in ids if i))


def period_on(periods: Sequence[InsuredPeriodResult], day: date) -> InsuredPeriodResult | None:
    return next((p for p in periods if p.covers(day)), None)


def first_difference(old: Sequence[InsuredPeriodResult], new: Sequence[InsuredPeriodResult]) -> date | None:
    """The first day from which the two results differ (status, reasons or sources), or None if equal."""
    if list(old) == list(new):
        return None
    days = sorted({p.start for p in [*old, *new]} | {p.end for p in [*old, *new] if p.end is not None})
    for day in days:
        if _clip(old, day + ONE_DAY) != _clip(new, day + ONE_DAY):
            return day
    return days[-1] if days else None


def _clip(periods: Sequence[InsuredPeriodResult], before: date) -> list[tuple[object, ...]]:
    """Periods restricted to days before `before` (loss data only for periods ending by then)."""
    out: list[tuple[object, ...]] = []
    for p in periods:
        if p.start >= before:
            continue
        ended = p.end is not None and p.end < before
        out.append(
            (p.start, p.end if ended else None, p.acquisition_reason, p.loss_reason if ended else None)
        )
    return out


def clip_before(periods: Sequence[InsuredPeriodResult], day: date) -> list[tuple[object, ...]]:
    """What a result says about the days before `day`: starts, reasons, and ends reached by then."""
    return _clip(periods, day)
