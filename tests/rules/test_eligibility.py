"""Eligibility rules, case by case (高確法 第50–53条, 第55条; sources in kouki/rules/eligibility.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.interfaces.union.records import AcquisitionReason as A
from kouki.interfaces.union.records import LossReason as L
from kouki.rules.eligibility import (
    InsuredPeriodResult,
    PersonFacts,
    Residence,
    Span,
    birthday,
    first_difference,
    insured_periods,
    is_insured_on,
    period_on,
)

BIRTH = date(1951, 6, 10)  # 75 on 2026-06-10
HOME = (Residence(date(1990, 1, 1), None, "in-1990"),)


def facts(**kw: object) -> PersonFacts:
    base: dict[str, object] = {"birth_date": BIRTH, "birth_event_id": "birth", "residences": HOME}
    base.update(kw)
    return PersonFacts(**base)  # type: ignore[arg-type]


def spans(periods: list[InsuredPeriodResult]) -> list[tuple[object, ...]]:
    return [(p.start, p.end, p.acquisition_reason, p.loss_reason) for p in periods]


def test_acquisition_on_the_75th_birthday_itself() -> None:  # 第52条1号; "75歳の誕生日当日から"
    result = insured_periods(facts())
    assert spans(result) == [(date(2026, 6, 10), None, A.AGE, None)]
    assert result[0].source_event_ids == ("birth",)
    assert not is_insured_on(facts(), date(2026, 6, 9)) and is_insured_on(facts(), date(2026, 6, 10))


def test_born_on_29_february_reaches_75_on_1_march_in_a_common_year() -> None:  # 年齢計算ニ関スル法律
    assert birthday(date(1952, 2, 29), 75) == date(2027, 3, 1)
    assert birthday(date(1952, 2, 29), 72) == date(2024, 2, 29)
    assert insured_periods(facts(birth_date=date(1952, 2, 29)))[0].start == date(2027, 3, 1)


def test_people_already_75_when_the_scheme_started_acquired_on_2008_04_01() -> None:
    assert spans(insured_periods(facts(birth_date=date(1920, 1, 1)))) == [
        (date(2008, 4, 1), None, A.OTHER, None)
    ]


def test_moving_in_at_75_or_over_acquires_on_the_move_in_day() -> None:  # 第52条2号
    f = facts(birth_date=date(1940, 1, 1), residences=(Residence(date(2026, 4, 15), None, "move-in"),))
    result = insured_periods(f)
    assert spans(result) == [(date(2026, 4, 15), None, A.MOVE_IN, None)]
    assert result[0].source_event_ids == ("move-in",)


def test_moving_out_loses_the_day_after() -> None:  # 第53条
    f = facts(residences=(Residence(date(1990, 1, 1), date(2026, 9, 30), "in", "out"),))
    result = insured_periods(f)
    assert spans(result) == [(date(2026, 6, 10), date(2026, 10, 1), A.AGE, L.MOVE_OUT)]
    assert result[0].source_event_ids == ("birth", "out")


# 高確法 §53① proviso: "当該後期高齢者医療広域連合の区域内に住所を有しなくなつた日に
# 他の後期高齢者医療広域連合の区域内に住所を有するに至つたときは、その日から、その資格を喪失する";
# WAM NET https://www.wel.ne.jp/doc/feature/healthcare/kouki3/2.html:
# "住民でなくなった日に他の広域連合の住民になったときは当日". Death and moves abroad (or to an address not
# known to be in another union's area): the day after.
@pytest.mark.parametrize(
    ("moved_out_on", "to_other_union", "lost_on"),
    [
        (date(2026, 6, 30), True, date(2026, 6, 30)),  # to another prefecture on 6-30: June is not ours
        (date(2026, 6, 30), False, date(2026, 7, 1)),  # abroad / destination unknown on 6-30: June is ours
        (date(2026, 7, 1), True, date(2026, 7, 1)),
        (date(2026, 7, 1), False, date(2026, 7, 2)),
        (date(2026, 9, 15), True, date(2026, 9, 15)),
    ],
)
def test_moving_out_to_another_unions_area_loses_that_day(
    moved_out_on: date, to_other_union: bool, lost_on: date
) -> None:
    f = facts(residences=(Residence(date(1990, 1, 1), moved_out_on, "in", "out", "11100", to_other_union),))
    result = insured_periods(f)
    assert spans(result) == [(date(2026, 6, 10), lost_on, A.AGE, L.MOVE_OUT)]
    assert result[0].source_event_ids == ("birth", "out")


def test_acquired_and_moved_to_another_union_on_the_same_day_is_never_insured() -> None:
    f = facts(
        birth_date=date(1940, 1, 1),
        residences=(Residence(date(2026, 5, 1), date(2026, 5, 1), "in", "out", "11100", True),),
    )
    assert insured_periods(f) == []


def test_moving_into_a_facility_in_another_unions_area_under_the_address_exception_is_no_loss() -> None:
    # 第55条: the former union keeps the person; the 住所地特例 may be dated the move-out day or the day
    # after.
    for exception_from in (date(2027, 4, 30), date(2027, 5, 1)):
        f = facts(
            residences=(Residence(date(1990, 1, 1), date(2027, 4, 30), "in", "out", "11100", True),),
            exception_out=(Span(exception_from, None, "facility"),),
        )
        assert spans(insured_periods(f)) == [(date(2026, 6, 10), None, A.AGE, None)]


def test_death_on_the_day_of_a_move_to_another_union_is_a_loss_the_day_after_only_if_not_moved() -> None:
    # A death the day after moving to another union's area: the status here already ended on the move day.
    f = facts(
        residences=(Residence(date(1990, 1, 1), date(2027, 1, 5), "in", "out", "11100", True),),
        death_on=date(2027, 1, 6),
    )
    assert spans(insured_periods(f)) == [(date(2026, 6, 10), date(2027, 1, 5), A.AGE, L.MOVE_OUT)]


def test_death_loses_the_day_after() -> None:
    result = insured_periods(facts(death_on=date(2027, 1, 5), death_event_id="death-1"))
    assert spans(result) == [(date(2026, 6, 10), date(2027, 1, 6), A.AGE, L.DEATH)]
    assert result[0].source_event_ids == ("birth", "death-1")


def test_death_and_move_out_on_one_day_is_a_death() -> None:
    f = facts(
        residences=(Residence(date(1990, 1, 1), date(2027, 1, 5), "in", "out"),), death_on=date(2027, 1, 5)
    )
    assert insured_periods(f)[0].loss_reason == L.DEATH


def test_disability_certification_from_65_to_74_from_the_certification_date() -> None:  # 第50条2号, 第52条3号
    f = facts(disability=(Span(date(2020, 3, 3), None, "cert"),))
    assert spans(insured_periods(f)) == [(date(2020, 3, 3), None, A.DISABILITY, None)]
    assert insured_periods(f)[0].source_event_ids == ("cert",)


def test_disability_certified_before_65_counts_from_the_65th_birthday() -> None:
    f = facts(disability=(Span(date(2015, 1, 1), None, "cert"),))
    assert insured_periods(f)[0].start == date(2016, 6, 10)


def test_disability_withdrawal_before_75_ends_the_period_and_75_starts_a_new_one() -> None:
    f = facts(disability=(Span(date(2020, 3, 3), date(2022, 3, 31), "cert", "withdraw"),))
    result = insured_periods(f)
    assert spans(result) == [
        (date(2020, 3, 3), date(2022, 4, 1), A.DISABILITY, L.DISABILITY_WITHDRAWN),
        (date(2026, 6, 10), None, A.AGE, None),
    ]
    assert result[0].source_event_ids == ("cert", "withdraw")


# 高確法 §53①: "第五十条第二号の状態に該当しなくなつた日 … の翌日から、その資格を喪失する";
# WAM NET https://www.wel.ne.jp/doc/feature/healthcare/kouki3/2.html: "障害を有する状態でなくなった日の翌日".
# The withdrawal's date (Span.end) is the 該当しなくなった日 — the last day the certification counts.
@pytest.mark.parametrize(
    ("condition_ended_on", "lost_on"),
    [
        (date(2022, 3, 31), date(2022, 4, 1)),  # ended on a month's last day: that month still insured
        (date(2022, 4, 1), date(2022, 4, 2)),  # ended on the 1st: lost the 2nd
        (date(2022, 4, 15), date(2022, 4, 16)),
        (date(2020, 3, 3), date(2020, 3, 4)),  # withdrawn on the certification day: one insured day
    ],
)
def test_disability_status_is_lost_the_day_after_the_condition_ends(
    condition_ended_on: date, lost_on: date
) -> None:
    f = facts(disability=(Span(date(2020, 3, 3), condition_ended_on, "cert", "withdraw"),))
    first = insured_periods(f)[0]
    assert (first.start, first.end, first.loss_reason) == (date(2020, 3, 3), lost_on, L.DISABILITY_WITHDRAWN)
    assert is_insured_on(f, condition_ended_on) and not is_insured_on(f, lost_on)


def test_a_withdrawal_after_75_changes_nothing() -> None:
    f = facts(disability=(Span(date(2020, 3, 3), date(2026, 7, 1), "cert", "withdraw"),))
    assert spans(insured_periods(f)) == [(date(2020, 3, 3), None, A.DISABILITY, None)]


def test_public_assistance_loses_on_its_first_day_and_reacquires_when_it_ends() -> (
    None
):  # 第51条1号, 第52条4号
    f = facts(public_assistance=(Span(date(2027, 2, 1), date(2027, 9, 1), "pa-start", "pa-end"),))
    result = insured_periods(f)
    assert spans(result) == [
        (date(2026, 6, 10), date(2027, 2, 1), A.AGE, L.PUBLIC_ASSISTANCE),
        (date(2027, 9, 1), None, A.PUBLIC_ASSISTANCE_END, None),
    ]
    assert result[0].source_event_ids == ("birth", "pa-start") and result[1].source_event_ids == ("pa-end",)


def test_a_person_under_public_assistance_at_75_acquires_when_it_ends() -> None:
    f = facts(public_assistance=(Span(date(2020, 1, 1), date(2027, 3, 1), "pa", "pa-end"),))
    assert spans(insured_periods(f)) == [(date(2027, 3, 1), None, A.PUBLIC_ASSISTANCE_END, None)]


def test_a_move_within_the_area_changes_the_city_not_the_status() -> None:
    f = facts(
        residences=(
            Residence(date(1990, 1, 1), date(2027, 5, 9), "in", "out-a", "11100"),
            Residence(date(2027, 5, 10), None, "in-b", None, "11203"),
        )
    )
    assert spans(insured_periods(f)) == [(date(2026, 6, 10), None, A.AGE, None)]
    same_day = facts(
        residences=(
            Residence(date(1990, 1, 1), date(2027, 5, 10), "in", "out-a", "11100"),
            Residence(date(2027, 5, 10), None, "in-b", None, "11203"),
        )
    )
    assert spans(insured_periods(same_day)) == [(date(2026, 6, 10), None, A.AGE, None)]


def test_address_exception_out_keeps_a_person_insured_here() -> None:  # 第55条
    f = facts(
        residences=(Residence(date(1990, 1, 1), date(2027, 4, 30), "in", "out"),),
        exception_out=(Span(date(2027, 5, 1), None, "facility"),),
    )
    assert spans(insured_periods(f)) == [(date(2026, 6, 10), None, A.AGE, None)]
    ended = facts(
        residences=(Residence(date(1990, 1, 1), date(2027, 4, 30), "in", "out"),),
        exception_out=(Span(date(2027, 5, 1), date(2028, 1, 1), "facility", "facility-end"),),
    )
    result = insured_periods(ended)
    assert spans(result) == [(date(2026, 6, 10), date(2028, 1, 1), A.AGE, L.MOVE_OUT)]
    assert result[0].source_event_ids == ("birth", "facility-end")


def test_address_exception_in_someone_from_another_union_is_not_insured_here() -> None:  # 第55条
    f = facts(
        birth_date=date(1940, 1, 1),
        residences=(Residence(date(2026, 5, 1), None, "move-in"),),
        exception_in=(Span(date(2026, 5, 1), None, "other-union"),),
    )
    assert insured_periods(f) == []
    leaves_facility = facts(
        birth_date=date(1940, 1, 1),
        residences=(Residence(date(2026, 5, 1), None, "move-in"),),
        exception_in=(Span(date(2026, 5, 1), date(2026, 10, 1), "other-union", "other-union-end"),),
    )
    assert spans(insured_periods(leaves_facility)) == [(date(2026, 10, 1), None, A.MOVE_IN, None)]


def test_retroactive_death_recomputes_from_its_effective_date() -> None:  # 遡及
    before = insured_periods(facts())
    after = insured_periods(facts(death_on=date(2026, 8, 31), death_event_id="late-death"))
    assert first_difference(before, after) == date(2026, 9, 1)
    assert first_difference(before, before) is None
    assert period_on(after, date(2026, 9, 1)) is None and period_on(after, date(2026, 8, 31)) is not None


@pytest.mark.parametrize(
    ("day", "insured"),
    [(date(2026, 6, 9), False), (date(2026, 6, 10), True), (date(2030, 1, 1), True)],
)
def test_day_predicate(day: date, insured: bool) -> None:
    assert is_insured_on(facts(), day) is insured
