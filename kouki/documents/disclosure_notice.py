"""開示決定等期限延長通知書: the written notice that the decision on a 開示・訂正・利用停止請求 is extended
(APPI §83②: the extended period and its reason, in writing, within the first period; issue 15 §3).

The A4 letter of kouki.documents.letter, one page, to the person's address (an agent's name printed
under the table when an agent made the request). Plain values in, PDF bytes out (no Django).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, paragraph
from kouki.documents.letter import LEFT, PAGE_SIZE, footer, grid, heading, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.wareki import format_wareki

TITLE = "開示決定等期限延長通知書"
STEM = "kaiji-kigen-encho-tsuchisho"
BODY = (
    "{received}付けで受け付けた{kind}について、個人情報の保護に関する法律第83条第2項の規定により、"
    "決定の期限を下記のとおり延長しますので通知します。"
)


@dataclass(frozen=True)
class ExtensionNoticeData:
    addressee: Addressee
    request_no: str
    kind: str  # 開示請求 / 訂正請求 / 利用停止請求
    received_on: date
    due_on: date  # the first period's last day
    extended_due_on: date
    reason: str
    agent: str  # "法定代理人 山田 花子" or ""
    issued_on: date
    issuer: str
    insurer_name: str
    office: str = ""
    phone: str = ""


def draw(c: Canvas, d: ExtensionNoticeData) -> None:
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, d, TITLE, 16)
    width = page_w - 2 * LEFT
    y = paragraph(
        c, LEFT, page_h - 78 * mm, BODY.format(received=format_wareki(d.received_on), kind=d.kind), 10, width
    )
    y -= 6 * mm
    heading(c, LEFT, y, "記")
    y -= 4 * mm
    rows = [
        ["受付番号", d.request_no],
        ["請求の種類", d.kind],
        ["請求日", format_wareki(d.received_on)],
        ["当初の決定期限", format_wareki(d.due_on)],
        ["延長後の決定期限", format_wareki(d.extended_due_on)],
    ]
    if d.agent:
        rows.append(["請求者(代理人)", d.agent])
    y = grid(c, LEFT, y, [50 * mm, width - 50 * mm], rows, row_h=8 * mm, size=10, header=False)
    y -= 8 * mm
    heading(c, LEFT, y, "延長の理由")
    y -= 7 * mm
    y = paragraph(c, LEFT, y, d.reason, 10, width)
    paragraph(
        c, LEFT, y - 6 * mm, "ご不明な点は下記のお問い合わせ先までご連絡ください。", 8.5, width, color=MUTED
    )
    footer(c, office, d.phone)


KIND: DocumentKind[ExtensionNoticeData] = DocumentKind(STEM, TITLE, draw, PAGE_SIZE)
