"""保険料納付確認書: what a person paid in one calendar year (1 January – 31 December), by channel, for a
tax return (社会保険料控除). A4, IPAex font embedded, dates in 和暦.

Premiums deducted from a pension (特別徴収) are usually certified by the pension payer on the 公的年金等の
源泉徴収票; they are listed apart, with a note saying so, and are not in the total the city certifies.
延滞金 is not a premium and not deductible (社会保険料控除の対象外, e.g.
https://www.setuzei.biz/archives/480): it is never in the total; when one arose in the year, a note says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, field_rows, paragraph, text
from kouki.documents.letter import LEFT, PAGE_SIZE, footer, grid, heading, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_calendar_year, wareki_year

TITLE = "後期高齢者医療保険料 納付確認書"
STEM = "nofu-kakuninsho"
PENSION = "pension"
CHANNEL_LABELS = {
    "counter": "窓口納付",
    "store": "コンビニ納付",
    "bank": "金融機関納付",
    "debit": "口座振替",
    "pension": "特別徴収(年金からの差引き)",
}
PENSION_NOTE = (
    "年金から差し引かれた保険料(特別徴収)は、年金の支払者が交付する「公的年金等の源泉徴収票」に記載"
    "されます。確定申告ではそちらをお使いください。参考として別に記載し、上の証明額には含めていません。"
)
PURPOSE = (
    "この確認書は、確定申告・住民税申告の社会保険料控除の確認のため、上記の期間に納付された保険料を"
    "証明するものです。"
)
LATE_CHARGE_NOTE = (
    "延滞金は保険料ではなく社会保険料控除の対象とならないため、この確認書の金額には含めていません。"
)
MAX_LINES = 24  # lines on one page; more are summarised per month


@dataclass(frozen=True)
class PaymentLine:
    paid_on: date
    fiscal_year: int
    period: int | None
    channel: str  # a key of CHANNEL_LABELS
    amount: int


@dataclass(frozen=True)
class PaymentCertificateData:
    addressee: Addressee
    insured_no: str
    year: int  # calendar year
    issued_on: date
    lines: tuple[PaymentLine, ...]
    issuer: str
    insurer_name: str
    office: str = ""
    phone: str = ""
    late_charge_note: bool = False  # a 延滞金 arose on an instalment paid off in the year

    def by_channel(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.channel] = out.get(line.channel, 0) + line.amount
        return out

    @property
    def certified_total(self) -> int:
        """Paid to the city directly (everything but pension deductions)."""
        return sum(line.amount for line in self.lines if line.channel != PENSION)

    @property
    def pension_total(self) -> int:
        return sum(line.amount for line in self.lines if line.channel == PENSION)


def _label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def _line_rows(lines: Iterable[PaymentLine]) -> list[list[str]]:
    return [[format_wareki(line.paid_on), wareki_year(line.fiscal_year),
             f"第{line.period}期" if line.period else "—", _label(line.channel), yen(line.amount)]
            for line in lines]  # fmt: skip


def draw(c: Canvas, data: PaymentCertificateData) -> None:
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, data, TITLE, 17)
    width = page_w - 2 * LEFT
    period = f"{format_wareki(date(data.year, 1, 1))} から {format_wareki(date(data.year, 12, 31))} まで"
    y = field_rows(c, LEFT, page_h - 74 * mm, width, [
        ("被保険者番号", data.insured_no, "宛名番号", data.addressee.addressee_no),
        ("氏名", data.addressee.name, "対象年", wareki_calendar_year(data.year)),
        ("対象期間", period),
    ], row_h=6.3 * mm, label_w=28 * mm, label_size=8.5, value_size=10)  # fmt: skip

    y -= 7 * mm
    heading(c, LEFT, y, "納付方法ごとの合計")
    totals = data.by_channel()
    rows = [["納付方法", "金額"]]
    rows += [[_label(ch), yen(totals[ch])] for ch in CHANNEL_LABELS if ch in totals and ch != PENSION]
    total_label = f"{wareki_calendar_year(data.year)}中に納付された保険料の合計(証明額)"
    rows.append([total_label, yen(data.certified_total)])
    if data.pension_total:
        rows.append([f"(参考) {_label(PENSION)}", yen(data.pension_total)])
    y = grid(c, LEFT, y - 3 * mm, [width - 45 * mm, 45 * mm], rows, row_h=6.6 * mm, size=9.4,
             align=["left", "right"], bold_rows=[len(rows) - (2 if data.pension_total else 1)])  # fmt: skip

    y -= 7 * mm
    heading(c, LEFT, y, "納付の明細")
    shown = sorted(data.lines, key=lambda line: (line.paid_on, line.channel))
    detail = [["納付日", "年度", "期別", "納付方法", "金額"], *_line_rows(shown[:MAX_LINES])]
    if len(shown) > MAX_LINES:
        detail.append(["", "", "", f"ほか {len(shown) - MAX_LINES} 件", ""])
    y = grid(c, LEFT, y - 3 * mm, [34 * mm, 30 * mm, 20 * mm, width - 34 * mm - 30 * mm - 20 * mm - 32 * mm,
                                   32 * mm], detail, row_h=5.6 * mm, size=8.6,
             align=["left", "left", "center", "left", "right"])  # fmt: skip
    y -= 5 * mm
    notes: tuple[str, ...] = (PENSION_NOTE,) if data.pension_total else ()
    notes += (LATE_CHARGE_NOTE,) if data.late_charge_note else ()
    for note in (*notes, PURPOSE):
        y = paragraph(c, LEFT + 1 * mm, y, note, 8.4, width - 1 * mm, indent="・", color=MUTED)
        y -= 0.6 * mm
    if not data.lines:
        text(c, LEFT + 1 * mm, y - 2 * mm, "対象期間中の納付はありません。", 9)
    footer(c, office, data.phone)


KIND: DocumentKind[PaymentCertificateData] = DocumentKind(STEM, TITLE, draw, PAGE_SIZE)


def render_certificates(items: Iterable[PaymentCertificateData]) -> bytes:
    return KIND.render(items)
