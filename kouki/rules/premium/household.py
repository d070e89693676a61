"""Input of the engine: the members of one household and their insured months in a fiscal year. Pure."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple


class SameMonthRule(StrEnum):
    """A month in which the status is both acquired and lost (同月得喪).

    高確法 has no 同月得喪 rule; the 月割 comes from the union's 条例: "from the month of acquisition to the
    month before the month of loss", which for both in one month is 0 months (NOT_CHARGED, the usual
    広域連合条例 wording, domain-facts §9). CHARGED is the employee schemes' rule (健康保険法 §156③ read
    with 昭和27年7月1日保文発129107号: one month). A union setting (`same_month_acquisition_and_loss`)."""

    NOT_CHARGED = "not_charged"
    CHARGED = "charged"


class HouseholdMember(NamedTuple):
    """One member of the household on the judgement date, with the income of the income year (FY − 1).

    insured_from: 資格取得日 (may be before the fiscal year; None = insured since before the fiscal year).
    insured_until: 資格喪失日, the first day no longer insured (the day after death or move-out); None = still
    insured. disability_entry: insured by 障害認定 (65–74).
    first_insured_from: the date of the first entry into 後期高齢者医療 in any union (the first 資格取得日,
    e.g. in the union of another prefecture before a move here); the 被扶養者軽減 counts its 24 months from
    it, not from the acquisition in this union (domain-facts §9). None = not known: insured_from is used
    (right for anyone whose first entry was in this union).
    left_certifying_area_after_75: a disability entrant who, after turning 75, no longer has an address in
    the area of the union that made the 障害認定 (the FY2024 transitional cap's exclusion).
    income_declared: False when the income year's income is not known (未申告: no 住民税申告, no 源泉徴収票 or
    給与支払報告書, no 簡易申告). A household in which anyone counted is 未申告 gets no 均等割軽減
    (domain-facts-next §3: "If any income is unknown, the 軽減 cannot be applied" [R31]–[R34]).

    A named tuple (immutable, compared by value; a copy with a change is `m._replace(...)`): the union's
    annual assessment builds one per member of 1.1M households, and a frozen dataclass's __init__ cost
    more than the premium computation (issue 16 §6).
    """

    id: str
    insured: bool
    birth_date: date
    householder: bool = False
    public_pension_revenue: int = 0
    salary_revenue: int = 0
    other_income: int = 0
    former_dependant: bool = False
    insured_from: date | None = None
    insured_until: date | None = None
    disability_entry: bool = False
    first_insured_from: date | None = None
    left_certifying_area_after_75: bool = False
    income_declared: bool = True

    def former_dependant_start(self) -> date | None:
        """The day the 24 months of the 被扶養者軽減 count from: the first entry into 後期 anywhere."""
        return self.first_insured_from if self.first_insured_from is not None else self.insured_from

    def insured_on(self, day: date) -> bool:
        if not self.insured:
            return False
        if self.insured_from is not None and self.insured_from > day:
            return False
        return self.insured_until is None or self.insured_until > day


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fiscal_year_start(fiscal_year: int) -> date:
    return date(fiscal_year, 4, 1)


def insured_months(
    member: HouseholdMember, fiscal_year: int, same_month: SameMonthRule = SameMonthRule.NOT_CHARGED
) -> list[int]:
    """Month indexes of the fiscal year for which the premium is due: from the month of acquisition to the
    month before the month of loss (高確法 §104 and the unions' 条例: 月割 from the month in which the
    insured status was acquired; not for the month in which it was lost —
    https://qa.city.nagaoka.niigata.jp/print/faq/1103 ,
    https://www.city.ashikaga.tochigi.jp/living/000017/000126/000554/p002431.html ). A person who acquires and
    loses the status within the same month owes that month only under SameMonthRule.CHARGED."""
    if not member.insured:
        return []
    first = month_index(fiscal_year_start(fiscal_year))
    last = first + 11
    start = first if member.insured_from is None else max(first, month_index(member.insured_from))
    end = last
    if member.insured_until is not None:
        loss = month_index(member.insured_until)
        both = member.insured_from is not None and month_index(member.insured_from) == loss
        end = min(last, loss if both and same_month == SameMonthRule.CHARGED else loss - 1)
    return list(range(start, end + 1))


def judgement_date(member: HouseholdMember, fiscal_year: int) -> date:
    """The day the household is judged for the reduction: April 1 (賦課期日), or the acquisition date."""
    start = fiscal_year_start(fiscal_year)
    if member.insured_from is None or member.insured_from <= start:
        return start
    return member.insured_from
