"""領収証書: the slip handed over at the counter when a premium is paid there (窓口収納).

A5 landscape, one page per receipt: title, 科目 (後期高齢者医療保険料), the payer (宛名番号, 氏名), the
fiscal year and instalment (期別, 納期限 in 和暦) the money was taken for, the amount in large figures,
the date received (和暦), which instalments the money paid and what became an overpayment (過誤納金),
the receipt number and who took it, and the issuer (the city). The payer is identified by 宛名番号
only: no personal number is ever printed. Plain values in, PDF bytes out (no Django); the data is
built by kouki.collection.web_selectors.counter_receipt_data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import ACCENT, INK, MUTED, RULE, TINT, WARN, fit, text
from kouki.documents.pages import DocumentKind
from kouki.rules.formatting import yen, yen_figure
from kouki.rules.wareki import format_wareki, wareki_year

PAGE_SIZE = landscape(A5)
TITLE = "領収証書"
SUBJECT = "後期高齢者医療保険料"
FILE_STEM = "ryoshu-shosho"


@dataclass(frozen=True)
class CounterReceiptData:
    receipt_no: str  # the receipt's number in the ledger (not a slip number, never a personal number)
    addressee_no: str  # 宛名番号
    name: str  # 氏名 (family and given name)
    fiscal_year: int
    period_label: str  # 第3期, or the note that the earliest instalments are paid first
    due_date: date | None  # of the named instalment
    amount: int  # yen
    paid_on: date
    received_by: str  # the member of staff who took the money
    office: str  # where (the ward office)
    issuer: str  # さいたま市長
    applied: tuple[tuple[str, int], ...] = ()  # the instalments the money paid (label, yen)
    overpaid: int = 0  # what became an overpayment (過誤納金), to be refunded or set off

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError(f"領収金額は正の額です: {self.amount}")


def _row(c: Canvas, x: float, y: float, label: str, value: str, width: float, *, size: float = 11) -> float:
    c.setFillColor(TINT)
    c.rect(x, y - 8 * mm, 32 * mm, 8 * mm, stroke=0, fill=1)
    text(c, x + 2 * mm, y - 5.4 * mm, label, 9, color=MUTED)
    fit(c, x + 35 * mm, y - 5.6 * mm, value, size, width - 37 * mm)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(x, y - 8 * mm, x + width, y - 8 * mm)
    return y - 8 * mm


def draw(c: Canvas, data: CounterReceiptData) -> None:
    """One page (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    left, width = 16 * mm, page_w - 32 * mm
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.rect(10 * mm, 10 * mm, page_w - 20 * mm, page_h - 20 * mm, stroke=1, fill=0)
    text(c, page_w / 2, page_h - 26 * mm, TITLE, 22, color=ACCENT, align="center")
    text(c, page_w - left, page_h - 18 * mm, f"領収番号 {data.receipt_no}", 8.5, color=MUTED, align="right")

    y = page_h - 33 * mm
    fit(c, left, y - 6 * mm, f"{data.name}\u3000様", 15, width * 0.6)
    text(c, left + width, y - 6 * mm, f"宛名番号 {data.addressee_no}", 9, color=MUTED, align="right")
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(left, y - 8 * mm, left + width * 0.6, y - 8 * mm)

    y -= 14 * mm
    c.setFillColor(TINT)
    c.rect(left, y - 15 * mm, width, 15 * mm, stroke=0, fill=1)
    text(c, left + 4 * mm, y - 9.5 * mm, "金額", 11, color=MUTED)
    text(c, left + width / 2, y - 10.5 * mm, yen_figure(data.amount), 22, align="center")
    y -= 15 * mm

    due = format_wareki(data.due_date) if data.due_date is not None else "―"
    y = _row(c, left, y, "科目", SUBJECT, width)
    y = _row(c, left, y, "年度・期別", f"{wareki_year(data.fiscal_year)} {data.period_label}", width)
    y = _row(c, left, y, "納期限", due, width)
    y = _row(c, left, y, "領収日", format_wareki(data.paid_on), width)
    if data.applied or data.overpaid:
        y = _row(c, left, y, "充当内訳", breakdown(data), width, size=9.5)
    y = _row(c, left, y, "取扱者", f"{data.received_by}({data.office})", width, size=9.5)

    y -= 7 * mm
    text(c, left, y, "上記の金額を領収しました。", 10.5)
    text(c, left + width, y, data.issuer, 12, align="right")
    text(c, left, 15 * mm, "この領収証書は大切に保管してください。", 8, color=WARN)
    text(c, left + width, 15 * mm, f"({yen(data.amount)})", 8, color=MUTED, align="right")


LIST_EACH_UP_TO = 3  # more instalments paid at once: their names, and one total


def breakdown(data: CounterReceiptData) -> str:
    """普通徴収 第1期 10,000円 / 過誤納金 3,000円(還付または充当); many instalments as
    普通徴収 第1期・第2期・第3期・第4期 計 40,000円, so that the line stays readable."""
    if len(data.applied) <= LIST_EACH_UP_TO:
        parts = [f"{label} {yen(amount)}" for label, amount in data.applied]
    else:
        first = data.applied[0][0].split(" ")[0]
        names = [label.split(" ")[-1] for label, _ in data.applied]
        same = all(label.split(" ")[0] == first for label, _ in data.applied)
        listed = f"{first} {'・'.join(names)}" if same else "・".join(label for label, _ in data.applied)
        parts = [f"{listed} 計 {yen(sum(amount for _, amount in data.applied))}"]
    if data.overpaid:
        parts.append(f"過誤納金 {yen(data.overpaid)}(還付または充当)")
    return " / ".join(parts)


KIND: DocumentKind[CounterReceiptData] = DocumentKind(FILE_STEM, TITLE, draw, PAGE_SIZE)


def render_counter_receipt(data: CounterReceiptData) -> bytes:
    """The 領収証書 as a one-page PDF with the IPAex font embedded (reproducible bytes)."""
    return KIND.render([data])


def file_name(data: CounterReceiptData) -> str:
    return f"{FILE_STEM}-{data.receipt_no}.pdf"
