"""Prefectures (都道府県) by their JIS X 0401 code, and the prefecture an address is written in. Pure.

A 後期高齢者医療広域連合 covers exactly one prefecture (高確法 §48: 都道府県の区域ごとに … 広域連合), so
"another union's area" is "another prefecture" (高確法 §53① proviso). The 住基異動 file gives the 転出先
only as text (転出先住所); its prefecture is read from the leading 都道府県名, which a 住民票 address
carries. A text that does not begin with one of the 47 names (an address abroad, or one written without
its prefecture) has no prefecture: the destination is unknown and the main rule (loss the day after)
applies.
"""

from __future__ import annotations

PREFECTURES: dict[str, str] = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県", "06": "山形県",
    "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県", "11": "埼玉県", "12": "千葉県",
    "13": "東京都", "14": "神奈川県", "15": "新潟県", "16": "富山県", "17": "石川県", "18": "福井県",
    "19": "山梨県", "20": "長野県", "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県",
    "25": "滋賀県", "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県", "36": "徳島県",
    "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県", "41": "佐賀県", "42": "長崎県",
    "43": "熊本県", "44": "大分県", "45": "宮崎県", "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip


def is_prefecture_code(value: str) -> bool:
    return value in PREFECTURES


def prefecture_of_address(address: str) -> str | None:
    """The JIS code of the prefecture an address begins with, or None (abroad, or no prefecture name)."""
    text = address.lstrip(" \u3000")
    for code, name in PREFECTURES.items():
        if text.startswith(name):
            return code
    return None
