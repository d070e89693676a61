"""The fee of a disclosure (issue 15 §3): free, but copies cost a fixed amount per page.

Saitama: 開示 is free; 写しの交付 costs 10円 a page [PIA L3336–3338; requirements SEC-37]. The amount per
page is configuration (KOUKI_DISCLOSURE_COPY_FEE_YEN, kouki.core.config.disclosure_config); viewing (閲覧)
costs nothing. Postage of a postal request is not computed here (the counter adds it when it applies).
"""

from __future__ import annotations

from enum import StrEnum


class DisclosureMethod(StrEnum):
    VIEW = "view"  # 閲覧
    COPY = "copy"  # 写しの交付


METHOD_LABELS: dict[DisclosureMethod, str] = {
    DisclosureMethod.VIEW: "閲覧",
    DisclosureMethod.COPY: "写しの交付",
}


def disclosure_fee(pages: int, method: DisclosureMethod, fee_per_page: int) -> int:
    """Yen to pay: pages × fee_per_page for copies, 0 for viewing. ValueError on negative input."""
    if pages < 0 or fee_per_page < 0:
        raise ValueError("枚数・単価は0以上です")
    return pages * fee_per_page if method == DisclosureMethod.COPY else 0
