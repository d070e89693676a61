"""還付通知書 (refund notice): one A4 page per refund transferred to the person's 還付金振込口座.

The A4 letter of kouki.documents.letter (embedded IPAex font, reproducible bytes), as the premium notices.
The account number is printed masked (last 3 digits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, paragraph
from kouki.documents.letter import LEFT, PAGE_SIZE, footer, grid, heading, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_year

TITLE = "後期高齢者医療保険料還付通知書"
STEM = "kanpu-tsuchisho"
BODY = (
    "あなたの後期高齢者医療保険料に過誤納金が生じましたので、下記のとおり還付します。"
    "還付金は下記の口座へお振り込みします。"
)
APPEAL = (
    "この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、"
    "市長に対して審査請求をすることができます。"
)


@dataclass(frozen=True)
class RefundNoticeData:
    addressee: Addressee
    fiscal_year: int
    amount: int
    reason: str
    decided_on: date
    transfer_date: date
    bank_name: str
    branch_name: str
    deposit_type: str  # 普通 / 当座 / …
    account_tail: str  # last 3 digits
    holder_kana: str
    issued_on: date
    issuer: str
    insurer_name: str
    office: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("還付額は正の整数です")


def draw(c: Canvas, d: RefundNoticeData) -> None:
    """One page for one refund (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, d, f"{wareki_year(d.fiscal_year)} {TITLE}", 16)
    width = page_w - 2 * LEFT
    y = paragraph(c, LEFT, page_h - 78 * mm, BODY, 10, width)
    y -= 6 * mm
    heading(c, LEFT, y, "還付の内容")
    y -= 4 * mm
    rows = [
        ["還付する年度", wareki_year(d.fiscal_year)],
        ["還付金額", yen(d.amount)],
        ["還付の理由", d.reason],
        ["還付決定日", format_wareki(d.decided_on)],
        ["お振込予定日", format_wareki(d.transfer_date)],
    ]
    y = grid(c, LEFT, y, [50 * mm, width - 50 * mm], rows, row_h=8 * mm, size=10, header=False)
    y -= 8 * mm
    heading(c, LEFT, y, "お振込先")
    y -= 4 * mm
    account = [
        ["金融機関", f"{d.bank_name}　{d.branch_name}"],
        ["預金種目・口座番号", f"{d.deposit_type}　****{d.account_tail}"],
        ["口座名義（カナ）", d.holder_kana],
    ]
    y = grid(c, LEFT, y, [50 * mm, width - 50 * mm], account, row_h=8 * mm, size=10, header=False)
    y -= 8 * mm
    paragraph(c, LEFT, y, APPEAL, 8.5, width, color=MUTED)
    footer(c, office, d.phone)


KIND: DocumentKind[RefundNoticeData] = DocumentKind(STEM, TITLE, draw, PAGE_SIZE)


def render_refund_notices(items: Iterable[RefundNoticeData]) -> bytes:
    """All notices, one page each, in one PDF."""
    return KIND.render(items)
