"""What kouki asks over the network: 別表第二 item 82 only, the city as 照会者 [domain-facts-next §4; PIA
L402–410; R35]. The city provides nothing for this work.

- 年金給付関係情報 from 厚労大臣, 日本年金機構 or 共済組合等: for the pension deduction (特別徴収) and the
  income of people moving in;
- 保険料の徴収に関する情報 from another 後期高齢者医療広域連合: the premium collection of a move-in.

The PIA's "別表第二 82項" is outdated since 令和5年法律第48号 (text in force 2024-06-21: 番号法 §19⑧ and a
主務省令); the successor item number is [NOT FOUND] and is cited as such (ADR 0006, issue 13 §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kouki.core.config import city_config

JIMU = "高齢者の医療の確保に関する法律による保険料の徴収に関する事務"
BASIS = (
    "番号法第19条第8号・別表第二 第82項 (PIA L402–410)。"
    "令和5年法律第48号による改正後の主務省令の項番は未確認 "
    "[NOT FOUND]"
)


class InquiryKind(StrEnum):
    PENSION = "pension"
    UNION_PREMIUM = "union_premium"


@dataclass(frozen=True)
class KindSpec:
    kind: InquiryKind
    item: str
    label: str
    providers: tuple[str, ...]  # the first is the default


PENSION_PROVIDERS = (
    "日本年金機構",
    "国家公務員共済組合連合会",
    "地方職員共済組合",
    "日本私立学校振興・共済事業団",
)
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県",
    "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県",
    "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip  (埼玉県 is this city's own union: not asked over the network)
UNION_PROVIDERS = tuple(f"{p}後期高齢者医療広域連合" for p in PREFECTURES)


def union_of(address: str) -> str | None:
    """The 後期高齢者医療広域連合 of the prefecture an address lies in (None for 埼玉県 or unknown)."""
    for prefecture in PREFECTURES:
        if address.startswith(prefecture):
            return f"{prefecture}後期高齢者医療広域連合"
    return None


KINDS: dict[InquiryKind, KindSpec] = {
    InquiryKind.PENSION: KindSpec(
        InquiryKind.PENSION, "年金給付関係情報", "年金給付関係情報(特別徴収・転入者の所得)", PENSION_PROVIDERS
    ),
    InquiryKind.UNION_PREMIUM: KindSpec(
        InquiryKind.UNION_PREMIUM,
        "保険料の徴収に関する情報",
        "他の広域連合の保険料徴収情報(転入者)",
        UNION_PROVIDERS,
    ),
}


def inquirer() -> str:
    """照会者: the city's mayor (市町村長), e.g. さいたま市長."""
    return f"{city_config().city_name}長"
