"""Bulk loading of income records (initial loads, the synthetic city). Call inside the load's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from kouki.core.db import Row, insert_rows
from kouki.income.models import IncomeRecord

INCOME_FIELDS = (
    "person_id", "income_year", "public_pension_revenue", "salary_revenue", "other_income",
    "care_premium_annual", "care_deduction_pension_annual", "taxable_income", "recorded_at",
)


def income_rows_insert(rows: Iterable[Row]) -> int:
    """Rows of INCOME_FIELDS, each stored 申告あり (`declared`: a loaded income is a known one); returns how
    many."""
    return insert_rows(IncomeRecord, (*INCOME_FIELDS, "declared"), ((*row, True) for row in rows))
