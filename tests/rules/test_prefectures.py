"""The prefecture an address is written in (JIS X 0401; one 広域連合 per prefecture, 高確法 §48)."""

from __future__ import annotations

import pytest

from kouki.rules.prefectures import PREFECTURES, is_prefecture_code, prefecture_of_address


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("東京都豊島区南池袋一丁目１番１号", "13"),
        ("京都府京都市中京区", "26"),  # not 東京都 although it contains 京都
        ("北海道札幌市中央区北1条西2丁目", "01"),
        ("神奈川県横浜市中区", "14"),
        ("　埼玉県さいたま市浦和区", "11"),  # a leading full-width space is not part of the address
        ("横浜市中区", None),  # no prefecture name: unknown
        ("アメリカ合衆国ニューヨーク州", None),  # abroad
        ("", None),
    ],
)
def test_prefecture_of_address(address: str, code: str | None) -> None:
    assert prefecture_of_address(address) == code


def test_the_47_codes() -> None:
    assert len(PREFECTURES) == 47 and sorted(PREFECTURES) == [f"{i:02d}" for i in range(1, 48)]
    assert is_prefecture_code("11") and not is_prefecture_code("48") and not is_prefecture_code("1")
