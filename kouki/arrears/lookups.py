"""Bulk reads for the 特別徴収結果 import and the union files, composed from the owning apps' selectors."""

from __future__ import annotations

from collections.abc import Iterable

from kouki.addressees.selectors import addressee_numbers, person_ids_by_addressee_no
from kouki.assessment.selectors import assessed_insured_numbers, instalment_months, pension_instalments
from kouki.collection.selectors import pension_receipts_recorded
from kouki.eligibility.selectors import latest_insured_numbers

__all__ = [
    "addressee_numbers", "instalment_months", "insured_numbers", "pension_instalments",
    "pension_receipts_recorded",
    "person_ids_by_addressee_no",
]  # fmt: skip


def insured_numbers(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """(person, fiscal year) → 被保険者番号, by the rule of kouki.arrears.people.insured_no_of: the latest
    valid number of the union's insured periods, else the assessment in force for the year, else the
    latest assessment; absent when there is none."""
    pairs = set(keys)
    people = {p for p, _ in pairs}
    from_periods = latest_insured_numbers(people)
    in_force, latest = assessed_insured_numbers(people)
    out: dict[tuple[int, int], str] = {}
    for person_id, fy in pairs:
        found = from_periods.get(person_id) or in_force.get((person_id, fy)) or latest.get(person_id)
        if found:
            out[(person_id, fy)] = found
    return out
