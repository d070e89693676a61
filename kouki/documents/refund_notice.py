"""還付通知書 (refund notice): one A4 page per refund transferred to the person's 還付金振込口座.

Reportlab at canvas level with the embedded IPAex font, reproducible bytes (invariant mode), as the
premium notices (kouki/documents/premium_notice.py). The account number is printed masked (last 3 digits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, paragraph, text, wareki
from kouki.documents.pages import render_pages
from kouki.documents.premium_data import Addressee
from kouki.documents.premium_notice import (
    LEFT,
    footer,
    grid,
    heading,
    mailing_block,
    office_of,
    sender_block,
    wareki_year,
    yen,
)

PAGE_SIZE = A4
TITLE = "後期高齢者医療保険料還付通知書"
rl_config.useA85 = 0
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
    office = office_of(d.addressee.address, d.office)
    mailing_block(c, d.addressee, 25 * mm, page_h - 14 * mm)
    sender_block(
        c,
        issued_on=d.issued_on,
        issuer=d.issuer,
        insurer_name=d.insurer_name,
        office=office,
        phone=d.phone,
        right=page_w - 16 * mm,
        top=page_h - 14 * mm,
    )
    text(c, page_w / 2, page_h - 67 * mm, f"{wareki_year(d.fiscal_year)} {TITLE}", 16, align="center")
    width = page_w - 2 * LEFT
    y = paragraph(c, LEFT, page_h - 78 * mm, BODY, 10, width)
    y -= 6 * mm
    heading(c, LEFT, y, "還付の内容")
    y -= 4 * mm
    rows = [
        ["還付する年度", wareki_year(d.fiscal_year)],
        ["還付金額", yen(d.amount)],
        ["還付の理由", d.reason],
        ["還付決定日", wareki(d.decided_on)],
        ["お振込予定日", wareki(d.transfer_date)],
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


def render_refund_notices(items: Iterable[RefundNoticeData]) -> bytes:
    """All notices, one page each, in one PDF."""
    return render_pages(draw, items, TITLE, pagesize=PAGE_SIZE)
