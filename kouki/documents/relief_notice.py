"""保険料減免決定通知書 and 保険料徴収猶予決定通知書 (承認, 一部承認, 不承認, 却下): one A4 page per decision
of the union on a 減免 or 徴収猶予 application, which the city hands over or mails (事務 10, 12;
domain-facts-next §2 「City role」). The notice form names are not public (domain-facts-next §2 [NOT
FOUND]): the wording is kouki's (ADR 0006, issue 12 §2). Same letter blocks and head as
kouki.documents.benefit_notice; plain values in (`ReliefNoticeData`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.benefit_notice import DEFAULT_DECIDER, decision_head
from kouki.documents.drawing import MUTED, paragraph
from kouki.documents.letter import APPEAL, LEFT, PAGE_SIZE, footer, grid, heading
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_year

REDUCTION = "減免"
DEFERRAL = "徴収猶予"


@dataclass(frozen=True)
class ReliefNoticeData:
    addressee: Addressee
    relief: str  # REDUCTION / DEFERRAL
    result: str  # 承認 / 一部承認 / 不承認 / 却下
    insured_name: str
    insured_no: str
    reception_no: str
    received_on: date
    fiscal_year: int
    ground: str  # 減免・猶予の事由 (one of the six)
    amount: int  # 対象となる保険料額
    amount_decided: int  # 減免額 / 猶予する額
    percent: int  # 減免率 (減免 granted)
    deferral_from: date | None
    deferral_until: date | None
    reason: str  # "" for a grant in full
    decided_on: date
    issued_on: date
    decider: str = DEFAULT_DECIDER
    office: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.amount_decided <= self.amount:
            raise ValueError("決定額は0以上、対象額以下です")
        if self.relief not in (REDUCTION, DEFERRAL):
            raise ValueError(f"減免 or 徴収猶予, got {self.relief!r}")

    @property
    def granted(self) -> bool:
        return self.amount_decided > 0


def draw(c: Canvas, d: ReliefNoticeData) -> None:
    page_w, page_h = PAGE_SIZE
    office = decision_head(c, d, f"後期高齢者医療保険料{d.relief}決定通知書")
    width = page_w - 2 * LEFT
    year = wareki_year(d.fiscal_year)
    if d.granted:
        body = (
            f"さきに申請のありました{year}の保険料の{d.relief}について、"
            "下記のとおり決定しましたので通知します。"
        )
    else:
        body = (
            f"さきに申請のありました{year}の保険料の{d.relief}について、"
            "下記の理由により承認しないことに決定しましたので通知します。"
        )
    y = paragraph(c, LEFT, page_h - 78 * mm, body, 10, width) - 6 * mm
    heading(c, LEFT, y, "決定の内容")
    rows = [
        ["被保険者", f"{d.insured_name}（被保険者番号 {d.insured_no}）"],
        ["受付番号", d.reception_no],
        ["申請日", format_wareki(d.received_on)],
        ["年度", year],
        ["事由", d.ground],
        ["対象となる保険料額", yen(d.amount)],
        ["決定", d.result],
    ]
    if d.relief == REDUCTION and d.granted:
        rows += [["減免の割合", f"{d.percent}%"], ["減免する額", yen(d.amount_decided)]]
    if d.relief == DEFERRAL and d.granted and d.deferral_from and d.deferral_until:
        rows += [
            ["猶予する額", yen(d.amount_decided)],
            ["猶予の期間", f"{format_wareki(d.deferral_from)}から{format_wareki(d.deferral_until)}まで"],
        ]
    rows.append(["決定日", format_wareki(d.decided_on)])
    if d.reason:
        rows.append(["理由", d.reason])
    y = grid(c, LEFT, y - 4 * mm, [50 * mm, width - 50 * mm], rows, row_h=8 * mm, size=10, header=False)
    note = ""
    if d.relief == REDUCTION and d.granted:
        note = "減免後の保険料額と納期ごとの金額は、別にお送りする保険料額変更決定通知書でお知らせします。"
    elif d.relief == DEFERRAL and d.granted:
        note = "猶予の期間中は、猶予した保険料の延滞金はかかりません。期間の終わりまでに納めてください。"
    if note:
        y = paragraph(c, LEFT, y - 6 * mm, note, 9.5, width)
    paragraph(c, LEFT, y - 8 * mm, APPEAL, 8.5, width, color=MUTED)
    footer(c, office, d.phone)


REDUCTION_KIND: DocumentKind[ReliefNoticeData] = DocumentKind(
    "genmen-kettei-tsuchisho", "保険料減免決定通知書", draw, PAGE_SIZE
)
DEFERRAL_KIND: DocumentKind[ReliefNoticeData] = DocumentKind(
    "choshu-yuyo-kettei-tsuchisho", "保険料徴収猶予決定通知書", draw, PAGE_SIZE
)


def render_relief_notices(items: Iterable[ReliefNoticeData]) -> bytes:
    return REDUCTION_KIND.render(items)
