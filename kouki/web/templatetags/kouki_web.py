"""Template filters of the staff screens: 和暦 dates (kouki.rules.wareki) and yen (kouki.rules.formatting)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import PERM_LABELS, ROLE_LABELS, Perm, Role
from kouki.documents.payment_slip_data import slip_number_text
from kouki.privacy.screens import screen_label as privacy_screen_label
from kouki.rules.formatting import wari as format_wari
from kouki.rules.formatting import yen as format_yen
from kouki.rules.wareki import DateOutOfEraRange, format_wareki, wareki_year
from kouki.web.screen_text import japanese_or

register = template.Library()


@register.filter
def wareki(value: date | None) -> str:
    """令和8年4月1日; empty for None."""
    if value is None:
        return ""
    try:
        return format_wareki(value)
    except DateOutOfEraRange:
        return value.isoformat()


@register.filter
def seireki(value: date | None) -> str:
    """2026年4月1日; empty for None."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def yen(value: int | str | None) -> str:
    """30,000円 (as letters print it); empty for None or a missing value ("")."""
    if value is None or value == "":
        return ""
    return format_yen(int(value))


@register.filter
def slip_no(value: int | None) -> str:
    """A 納付書番号 as printed on the slip (groups of three: never read as a personal number)."""
    return "" if value is None else slip_number_text(int(value))


@register.filter
def wari(percent: int | str | None) -> str:
    """負担割合 「1割」 for 10 (%); empty for None."""
    if percent is None or percent == "":
        return ""
    return format_wari(int(percent))


@register.filter
def wareki_datetime(value: datetime | None) -> str:
    """令和8年4月1日 10:15 in the local time zone; empty for None."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki(local.date())} {local:%H:%M}"


@register.filter
def nendo(fiscal_year: int | None) -> str:
    """令和7年度 for 2025; empty for None."""
    if fiscal_year is None:
        return ""
    return wareki_year(int(fiscal_year))


@register.filter
def role_label(code: str) -> str:
    """The Japanese name of a role (「窓口担当(個人番号なし)」), never its code."""
    try:
        return ROLE_LABELS[Role(code)]
    except ValueError:
        return "(不明な役割)"


@register.filter
def perm_label(code: str) -> str:
    """The Japanese name of a permission (「届出の入力」), never its code."""
    try:
        return PERM_LABELS.get(Perm(code), "(名称未設定の権限)")
    except ValueError:
        return "(不明な権限)"


SYSTEM_ACTOR_LABEL = "システム処理"


@register.filter
def who(username: str | None) -> str:
    """The member of staff who did something, by name: a batch (``system:…``) as システム処理; an account
    that no longer exists keeps its stored id."""
    if not username:
        return ""
    if username.startswith("system:"):
        return SYSTEM_ACTOR_LABEL
    name = StaffUser.objects.filter(username=username).values_list("staff_name", flat=True).first()
    return name or username


NUMBER_RESULT_LABELS: dict[str, str] = {
    "stored": "登録しました",
    "unchanged": "登録済みの番号と同じ(変更なし)",
    "pending": "登録済みの番号と異なるため確認待ち",
}


@register.filter
def number_result_label(result: str) -> str:
    """What became of a personal number typed on a notification (kouki.privacy.services.RegisterResult)."""
    return NUMBER_RESULT_LABELS.get(result, "")


SYNTHETIC_SOURCE = "synth"  # kouki.sandbox.synth.load.NUMBER_SOURCE (the demo's simulated city)


@register.filter
def number_source(source: str) -> str:
    """Where a personal number came from, for the screen: 住基異動の取込 (not the file's name), 届出 N,
    住登外登録; the demo's simulated numbers as 模擬データ; anything else not in Japanese as その他."""
    if source == SYNTHETIC_SOURCE:
        return "模擬データ(デモ)"
    head, _sep, _rest = source.partition(" ")
    if head == "住基異動":
        return "住基異動の取込"
    return japanese_or(source, "その他")


@register.filter
def screen_label(screen: str) -> str:
    """The name of the screen a personal number was shown on, as stored in the reference log
    (``web.personal_number_reveal(遷移元:宛名詳細)`` → 個人番号の表示(遷移元:宛名詳細)); never the
    screen id (kouki.privacy.screens)."""
    return privacy_screen_label(screen)


@register.filter
def item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """mapping[key] in a template (None when missing): `{% with x=by_person|item:r.person_id %}`."""
    if mapping is None:
        return None
    return mapping.get(key)
