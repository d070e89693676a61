"""督促状: A4 reminder for one person's instalments that were not paid by their due date.

地方自治法 §231-3 ①: the mayor reminds, naming a deadline (指定期限). Top: window-envelope address and
sender (kouki.documents.letter), then the instalments (年度, 期別, 納期限, 未納額), the deadline, the ways
to pay and the 審査請求 notice. Dates in 和暦. No personal number: the person is named by 被保険者番号
and 宛名番号. Rendering is reproducible (invariant mode): the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import WARN, paragraph, text
from kouki.documents.letter import APPEAL, LEFT, PAGE_SIZE, footer, grid, heading, intro, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_year

TITLE = "後期高齢者医療保険料 督促状"
STEM = "tokusokujo"
LEGAL = "地方自治法第231条の3第1項の規定により督促します。"
NOTES = (
    "指定期限までに、同封の納付書により金融機関・コンビニエンスストア等または市役所・区役所の窓口で"
    "お納めください。",
    "この督促状と行き違いに納付された場合は、ご容赦ください。",
    "納付が難しい事情がある場合は、指定期限までにお問い合わせ先へご相談ください(分割による納付の"
    "ご相談も承ります)。",
)


@dataclass(frozen=True)
class ReminderLine:
    fiscal_year: int
    period: int
    due_date: date
    amount: int  # unpaid


@dataclass(frozen=True)
class ReminderData:
    addressee: Addressee
    insured_no: str
    issued_on: date
    deadline: date  # 指定期限
    lines: tuple[ReminderLine, ...]
    issuer: str
    insurer_name: str
    office: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("a reminder names at least one instalment")
        if self.deadline <= self.issued_on:
            raise ValueError("the deadline comes after the issue date")

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def draw(c: Canvas, data: ReminderData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, data, TITLE, 17)
    width = page_w - 2 * LEFT
    y = intro(c, page_h - 76 * mm,
              "次の後期高齢者医療保険料が納期限までに納付されていません。下記の指定期限までに納付して"
              "ください。" + LEGAL, [
                  ("被保険者番号", data.insured_no, "宛名番号", data.addressee.addressee_no),
                  ("氏名", data.addressee.name, "発付日", format_wareki(data.issued_on)),
              ])  # fmt: skip
    y -= 7 * mm
    heading(c, LEFT, y, "未納の保険料")
    rows = [["年度", "期別", "納期限", "未納額"]]
    rows += [[wareki_year(line.fiscal_year), f"第{line.period}期", format_wareki(line.due_date),
              yen(line.amount)] for line in data.lines]  # fmt: skip
    rows.append(["", "", "合計", yen(data.total)])
    widths = [34 * mm, 24 * mm, width - 34 * mm - 24 * mm - 40 * mm, 40 * mm]
    y = grid(c, LEFT, y - 3 * mm, widths, rows, row_h=6.4 * mm, size=9.2,
             align=["left", "center", "left", "right"], bold_rows=[len(rows) - 1])  # fmt: skip
    y -= 9 * mm
    c.setStrokeColor(WARN)
    c.setLineWidth(1)
    c.rect(LEFT, y - 4 * mm, width, 11 * mm, stroke=1, fill=0)
    text(c, LEFT + 4 * mm, y, f"指定期限 {format_wareki(data.deadline)}", 13, color=WARN)
    text(c, LEFT + width - 4 * mm, y, f"納付額 {yen(data.total)}", 13, color=WARN, align="right")
    y -= 13 * mm
    for note in (*NOTES, APPEAL):
        y = paragraph(c, LEFT + 1 * mm, y, note, 8.4, width - 1 * mm, indent="・")
        y -= 0.6 * mm
    footer(c, office, data.phone)


KIND: DocumentKind[ReminderData] = DocumentKind(STEM, TITLE, draw, PAGE_SIZE)


def render_reminders(items: Iterable[ReminderData]) -> bytes:
    return KIND.render(items)
