"""The 15 transfers (移転) of the assessment as data, each value with its source (issue 13 §4).

Source: ../shared/docs/domain-facts-next.md §4, a table drawn from Saitama City's 全項目評価書 No.24
(the PIA, published 2023-08-14); "PIA Lnnn" is a line of that file. The methods were reconstructed by
the facts file from a scrambled PDF layout and are marked partial there. A value no source gives is
`NOT_FOUND` and is never guessed: a definition whose legal basis is not found cannot be approved
(kouki.transfers.services.transfer_approve) until the catalogue names it in a reviewed code change,
which `kouki transfers load` registers as a new version.

Items are the data a definition may carry; an execution asking for anything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from kouki.core.config import t03_legal_basis

NOT_FOUND = ""  # a value no public source gives (shown as 未確認; approval refused while the basis is unset)


class Method(StrEnum):
    LEASED_LINE = "leased_line"
    FILE_SERVER = "file_server"
    INTRA = "intra"  # 庁内連携: the receiving department looks the data up on its screen
    WELFARE_SYSTEM = "welfare_system"
    PAPER = "paper"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS: dict[Method, str] = {
    Method.LEASED_LINE: "専用線",
    Method.FILE_SERVER: "ファイルサーバ",
    Method.INTRA: "庁内連携",
    Method.WELFARE_SYSTEM: "福祉医療システム",
    Method.PAPER: "紙",
}

FACTS = "domain-facts-next.md §4"
METHOD_SOURCE = f"{FACTS} 方法・頻度は評価書の表の再構成 [一部]"

# 番号法9条2項 + 市条例 (transfers 2 and 4–15, facts §4); which paragraph of 条例4条 per transfer: not found.
BASIS_ORDINANCE = "番号法第9条第2項、さいたま市個人番号の利用に関する条例第4条第2項又は第3項"
BASIS_UNION = "庁内利用として整理(府番第27号 平成27年2月13日)"

ELIGIBILITY = "資格"
BENEFITS = "給付"
LEVY = "賦課徴収"


@dataclass(frozen=True)
class CatalogueEntry:
    number: int
    recipient: str
    pia_lines: str  # the PIA lines the entry rests on
    persons: str
    purpose: str
    items: tuple[str, ...]
    legal_basis: str  # NOT_FOUND when no source gives it
    basis_source: str
    methods: tuple[Method, ...]
    frequency: str

    @property
    def code(self) -> str:
        return f"T{self.number:02d}"

    @property
    def sources(self) -> str:
        return f"PIA {self.pia_lines}; {FACTS}; 根拠: {self.basis_source}; {METHOD_SOURCE}"


def _ordinance(
    number: int,
    recipient: str,
    lines: str,
    persons: str,
    purpose: str,
    items: tuple[str, ...],
    methods: tuple[Method, ...],
    frequency: str,
) -> CatalogueEntry:
    return CatalogueEntry(number, recipient, lines, persons, purpose, items, BASIS_ORDINANCE,
                          f"{FACTS} (移転2・4〜15)", methods, frequency)  # fmt: skip


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        1,
        "埼玉県後期高齢者医療広域連合",
        "L1252–L1347",
        "被保険者、世帯構成員、過去の被保険者",
        "資格・負担割合の管理、保険料の賦課",
        (
            "届出",
            "住民基本台帳情報(世帯単位)",
            "住登外登録情報(世帯単位)",
            "所得・課税情報",
            "期割情報",
            "収納情報",
            "滞納情報",
            "療養費情報",
        ),
        BASIS_UNION,
        "PIA L1261–L1266",
        (Method.LEASED_LINE,),
        "届出: 随時、住基: 日次、所得・期割: 月次、収納・滞納: 日次、療養費: 月次",
    ),
    _ordinance(
        2,
        "市民税課",
        "L1351–L1393",
        "簡易申告をした者のうち住民税の申告のない者",
        "住民税の賦課",
        ("簡易申告書",),
        (Method.PAPER,),
        "随時",
    ),
    CatalogueEntry(
        3,
        "区政推進部",
        "L1397–L1429",
        "全被保険者",
        "住民票への記載(住民基本台帳法第7条第10号の2)",
        (ELIGIBILITY,),
        NOT_FOUND,
        f"{FACTS}: 移転3の根拠は記載なし",
        (Method.LEASED_LINE, Method.FILE_SERVER),
        "日次",  # file server: "?" in the facts
    ),
    _ordinance(
        4,
        "介護保険課",
        "L1431–L1481",
        "高額介護合算療養費の申請者",
        "申請の審査",
        ("申請書", ELIGIBILITY, BENEFITS),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        5,
        "子育て支援課",
        "L1485–L1527",
        "ひとり親家庭等医療費の受給者",
        "ひとり親家庭等医療費の支給",
        (ELIGIBILITY,),
        (Method.WELFARE_SYSTEM,),
        "随時",
    ),
    _ordinance(
        6,
        "収納対策課",
        "L1521–L1571",
        "市税の滞納者等",
        "徴収猶予、換価の猶予、滞納処分の停止、延滞金の減免、滞納処分",
        (ELIGIBILITY, BENEFITS, LEVY),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        7,
        "障害福祉課",
        "L1575–L1619",
        "自立支援給付の利用者",
        "自立支援給付・自立支援医療",
        (ELIGIBILITY,),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        8,
        "国保年金課",
        "L1609–L1658",
        "障害認定による加入者、国民健康保険の世帯員のいる世帯",
        "国民健康保険の資格喪失、資格の確認、不当利得",
        (ELIGIBILITY,),
        (Method.INTRA, Method.PAPER),
        "月次",
    ),
    _ordinance(
        9,
        "地域保健支援課",
        "L1662–L1706",
        "全被保険者",
        "がん検診の受診勧奨",
        (ELIGIBILITY,),
        (Method.INTRA,),
        "必要の都度",
    ),
    _ordinance(
        10,
        "疾病対策課",
        "L1696–L1749",
        "同課への申請者",
        "養育医療、感染症、小児慢性特定疾病、難病",
        (ELIGIBILITY, BENEFITS),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        11,
        "精神保健課",
        "L1755–L1799",
        "精神科の入院患者",
        "精神保健福祉法第31条の費用徴収",
        (ELIGIBILITY,),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        12,
        "生活福祉課",
        "L1789–L1840",
        "生活保護の受給者",
        "生活保護、中国残留邦人等の支援",
        (ELIGIBILITY, LEVY),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        13,
        "幼児・放課後児童課",
        "L1844–L1888",
        "放課後児童クラブの利用申請者",
        "放課後児童クラブの運営",
        (LEVY,),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        14,
        "保育課",
        "L1878–L1928",
        "就学前児童の保護者",
        "保育料の決定及び滞納処分",
        (LEVY,),
        (Method.PAPER,),
        "随時",
    ),
    _ordinance(
        15,
        "法人課税課",
        "L1932–L1974",
        "特別徴収の対象者",
        "住民税の賦課",
        ("特別徴収データ",),
        (Method.FILE_SERVER,),
        "年次",
    ),
)

BY_CODE: dict[str, CatalogueEntry] = {e.code: e for e in CATALOGUE}


def configured_catalogue() -> tuple[CatalogueEntry, ...]:
    """The catalogue with the values the installation configured for what no source gives: T03's legal
    basis (KOUKI_T03_LEGAL_BASIS, "根拠 | 出典"); while unset T03 stays NOT_FOUND and cannot be approved.
    A configured basis changes T03's content, so `kouki transfers load` registers it as a new version."""
    configured = t03_legal_basis()
    if configured is None:
        return CATALOGUE
    basis, source = configured
    return tuple(
        replace(e, legal_basis=basis, basis_source=f"設定 KOUKI_T03_LEGAL_BASIS: {source}")
        if e.number == 3
        else e
        for e in CATALOGUE
    )
