"""移転票: every person is printed once, in order, across the pages (16 on the first, 26 on the others)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kouki.documents.transfer_slip import FIRST_PAGE, PER_PAGE, TransferSlipData, pages


def _slip(count: int) -> TransferSlipData:
    persons = tuple((f"{i:07d}", f"宛名{i}") for i in range(count))
    return TransferSlipData("T02-1", "T02", 1, "市民税課", "住民税の賦課", "根拠", "簡易申告書", "紙", "随時",
                            (), persons, date(2026, 12, 5), "伊藤 一郎", "保険年金課")  # fmt: skip


@given(st.integers(min_value=0, max_value=200))
def test_every_person_once_in_order(count: int) -> None:
    slip = _slip(count)
    split = list(pages(slip))
    assert tuple(p for page in split for p in page.persons) == slip.persons
    starts = [1 + sum(len(p.persons) for p in split[:n]) for n in range(len(split))]
    assert [page.first for page in split] == starts
    assert len(split[0].persons) <= FIRST_PAGE and all(len(p.persons) <= PER_PAGE for p in split[1:])
    assert {page.pages for page in split} == {len(split)}
