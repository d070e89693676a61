"""Reads of the recorded monthly reviews (the /audit/reviews/ screen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.reviews.models import AuditReview


@dataclass(frozen=True)
class MonthRow:
    month: date
    reviews: list[AuditReview]  # newest version first

    @property
    def latest(self) -> AuditReview | None:
        return self.reviews[0] if self.reviews else None


def review_months(today: date, count: int = 12) -> list[MonthRow]:
    """The last `count` months up to today's (newest first) with their recorded reviews."""
    months: list[date] = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    by_month: dict[date, list[AuditReview]] = {m: [] for m in months}
    reviews = AuditReview.objects.filter(month__in=months).select_related("reviewer").order_by("-version")
    for review in reviews:
        by_month[review.month].append(review)
    return [MonthRow(m, by_month[m]) for m in months]


def reviews_of(month: date) -> list[AuditReview]:
    return list(AuditReview.objects.filter(month=month).select_related("reviewer").order_by("-version"))
