"""The pure transfer gate (issue 13 §4, SEC-28; domain-facts-next.md §4): both sides, different people,
whitelisted items only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.transfer_gate import (
    RECEIVING,
    SENDING,
    both_sides_approved,
    items_outside,
    normalized_name,
    same_person,
)

ITEMS = st.sampled_from(["資格", "給付", "賦課徴収", "簡易申告書", "申請書", "特別徴収データ"])


@pytest.mark.parametrize(
    ("sides", "usable"),
    [((), False), ((SENDING,), False), ((RECEIVING,), False), ((SENDING, RECEIVING), True)],
)
def test_usable_only_with_both_sides(sides: tuple[str, ...], usable: bool) -> None:
    assert both_sides_approved(sides) is usable


@given(st.lists(ITEMS), st.lists(ITEMS))
def test_items_outside_is_exactly_what_the_whitelist_lacks(
    requested: list[str], whitelist: list[str]
) -> None:
    outside = items_outside(requested, whitelist)
    assert set(outside) | (set(requested) & set(whitelist)) == set(requested)
    assert not set(outside) & set(whitelist)
    assert list(outside) == sorted(set(outside))


@given(st.lists(ITEMS, min_size=1))
def test_the_whitelist_itself_is_always_allowed(whitelist: list[str]) -> None:
    assert items_outside(whitelist, whitelist) == ()


@given(st.text(alphabet="田中太郎 　", min_size=1))
def test_spaces_never_make_two_people_of_one(name: str) -> None:
    spaced = " ".join(name) + "\u3000"
    assert normalized_name(spaced) == normalized_name(name)
    assert same_person("sv.a", name, "sv.b", spaced)


@given(st.text(min_size=1), st.text(min_size=1))
def test_the_same_recording_account_is_always_the_same_person(name_a: str, name_b: str) -> None:
    assert same_person("sv.a", name_a, "sv.a", name_b)


def test_different_accounts_and_names_are_different_people() -> None:
    assert not same_person("sv.tanaka", "田中 一郎", "sv.suzuki", "高橋 二郎")
