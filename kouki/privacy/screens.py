"""The names of the screens and commands a personal number is referred to from, as the reference log
stores them (`ReferenceLog.screen`): one place for the screens (the 参照記録 filter) and the commands
(`kouki audit`)."""

from __future__ import annotations

SCREEN_LABELS: dict[str, str] = {
    "web.person_search_by_number": "個人番号による検索",
    "web.personal_number_reveal": "個人番号の表示",
    "web.jukinet_lookup": "住基ネット照会",
    "web.inquiry": "中間サーバによる情報照会",
    "kouki inquiries move-ins": "転入者の一括情報照会(コマンド)",
}
OTHER_SCREEN = "(その他の画面)"


def screen_label(screen: str) -> str:
    """``web.personal_number_reveal(遷移元:宛名詳細)`` → 個人番号の表示(遷移元:宛名詳細); never the
    screen id."""
    screen_id, _sep, rest = screen.partition("(")
    label = SCREEN_LABELS.get(screen_id, OTHER_SCREEN)
    return f"{label}({rest}" if rest else label
