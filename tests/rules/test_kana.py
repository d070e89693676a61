"""Kana normalisation for name search (issue 2 §6: width and voiced-mark normalisation)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.kana import is_kana_name, kana_search_key, to_katakana


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"),  # half-width with separate voiced mark
        ("やまだたろう", "ヤマダタロウ"),  # hiragana
        ("ヤマタ", "ヤマダ"),  # voiced mark ignored
        ("ハンハ", "バンバ"),  # semi-voiced and voiced ignored
        ("サイトウ", "サイトヴ"),  # ヴ ↔ ウ
        ("キヨウコ", "キョウコ"),  # small kana
        ("ｷｮｳｺ", "キョウコ"),
    ],
)
def test_typed_forms_match_the_stored_name(typed: str, stored: str) -> None:
    assert kana_search_key(typed) == kana_search_key(stored)


def test_different_names_stay_different() -> None:
    assert kana_search_key("ヤマダ") != kana_search_key("ヤマネ")
    assert kana_search_key("オオノ") != kana_search_key("オノ")  # long vowels spelled out are kept


kana_text = st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x30FA), max_size=20)


@given(kana_text)
def test_key_is_idempotent(text: str) -> None:
    assert kana_search_key(kana_search_key(text)) == kana_search_key(text)


@given(kana_text)
def test_hiragana_and_katakana_give_the_same_key(text: str) -> None:
    assert kana_search_key(text) == kana_search_key(to_katakana(text))


@given(kana_text, kana_text)
def test_prefix_of_the_name_is_prefix_of_the_key(prefix: str, rest: str) -> None:
    # The search uses "key starts with normalised query"; normalisation must keep prefixes.
    assert kana_search_key(prefix + rest).startswith(kana_search_key(prefix))


def test_is_kana_name() -> None:
    assert is_kana_name("ヤマダ タロウ")
    assert is_kana_name("ｻｲﾄｳ")
    assert not is_kana_name("山田")
    assert not is_kana_name("  ")
