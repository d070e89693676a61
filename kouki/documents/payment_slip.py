"""納付書 (payment slip): A4, one page per instalment; a booklet is several pages of one person in one PDF.

Top: the window-envelope address (first page of a mailing; later pages name the person only), the sender
and how to pay. Below, three parts separated by cut lines, as a Japanese three-part 納付書:

    領収証書      (kept by the payer as the receipt)
    納付済通知書  (goes back to the city through the bank or store; carries the GS1-128 code)
    領収控        (kept by the bank or store)

Each part prints 年度, 期別, 納期限 (和暦), 納付書番号-再発行区分, 氏名, 被保険者番号 and the amount, with a
box for the receipt stamp. The convenience-store code is a GS1-128 symbol (FNC1 after the start character,
Code 128 set C) with its 44 digits printed under it; above 300,000円 the code is left off and a note says
that stores cannot accept the slip (domain-facts §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Unpack

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.batch import BatchOptions, RenderedFile, render_files
from kouki.documents.drawing import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    TINT,
    WARN,
    fit,
    paragraph,
    text,
    width_of,
    wrap,
)
from kouki.documents.letter import LEFT, PAGE_SIZE, mailing_block, office_of
from kouki.documents.pages import DocumentKind
from kouki.documents.payment_slip_data import PaymentSlipData, SlipLine
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_year

WIDTH = PAGE_SIZE[0] - 2 * LEFT
TITLE = "後期高齢者医療保険料 納付書"
FILE_STEM = "nofusho"
FNC1 = "\xf1"
MODULE = 0.254 * mm  # narrow bar (10 mil)
BAR_HEIGHT = 12 * mm
PART_HEIGHT = 60 * mm
PARTS_TOP = PAGE_SIZE[1] - 103 * mm

PARTS = (
    ("領収証書", "納付者保管", False),
    ("納付済通知書", "市保管", True),
    ("領収控", "取扱金融機関・収納代行業者保管", False),
)
HOW_TO_PAY = (
    "納期限までに、この納付書で、取扱金融機関またはコンビニエンスストアでお納めください。",
    "コンビニエンスストアでは、バーコードのある納付書(1枚30万円以下)をお取り扱いできます。",
    "納期限を過ぎた納付書はコンビニエンスストアでは使えません。市役所・区役所で再発行します。",
    "口座振替をご希望の方は、お問い合わせ先へご連絡ください。",
)
KEEP_RECEIPT = "この領収証書は、納付の証明になりますので大切に保管してください。"
NO_STORE = (
    "金額が30万円を超えるため、コンビニエンスストアではお取り扱いできません。金融機関の窓口でお納めください。"
)


def human_readable(code: str) -> str:
    """The digits printed under the bars: (91) then the 42 digits after the AI."""
    return f"({code[:2]}){code[2:]}"


def bar_pattern(code: str) -> str:
    """Code 128 modules of FNC1 + the digits (start C, FNC1, 22 digit pairs, check, stop), as reportlab
    decomposes them: an upper-case letter is a bar, lower-case a space, A/a = one module wide."""
    symbol: Any = Code128(FNC1 + code, barWidth=MODULE, barHeight=BAR_HEIGHT)  # (reportlab is untyped)
    symbol.validate()
    symbol.encode()
    return str(symbol.decompose())


def draw_barcode(c: Canvas, x: float, y: float, code: str) -> float:
    """GS1-128 bars from (x, y) up, preceded and followed by 10-module quiet zones (inside the given x
    and the returned width), one filled path; the digits under it. Returns the width with quiet zones."""
    quiet = 10 * MODULE
    left = x + quiet
    path = c.beginPath()
    for ch in bar_pattern(code):
        w = (ord(ch.upper()) - 64) * MODULE
        if ch.isupper():
            path.rect(left, y, w, BAR_HEIGHT)
        left += w
    c.setFillColor(INK)
    c.drawPath(path, stroke=0, fill=1)
    width = left + quiet - x
    text(c, x + width / 2, y - 3.4 * mm, human_readable(code), 8, align="center")
    return width


# --- the fixed parts, drawn once per PDF as a form -----------------------------------------------

TABLE_W = 122 * mm
LABEL_W = 22 * mm
HALF = TABLE_W / 2
LABEL_W2 = LABEL_W * 0.62
BAND = 7 * mm
ROW_H = (6.2 * mm, 6.2 * mm, 6.2 * mm, 8 * mm)
# (row, x offset, cell width, label width, label, value size)
CELLS = (
    (0, 0.0, HALF, LABEL_W, "納付書番号", 9.5),
    (0, HALF, HALF, LABEL_W2, "年度", 9.5),
    (1, 0.0, HALF, LABEL_W, "被保険者番号", 9.5),
    (1, HALF, HALF, LABEL_W2, "期別", 9.5),
    (2, 0.0, TABLE_W, LABEL_W, "氏名", 9.5),
    (3, 0.0, HALF, LABEL_W, "納期限", 12.5),
    (3, HALF, HALF, LABEL_W2, "金額", 12.5),
)
TABLE_BOTTOM = BAND + 1.5 * mm + sum(ROW_H)  # below the part's top


def _row_top(top: float, row: int) -> float:
    return top - BAND - 1.5 * mm - sum(ROW_H[:row])


def _stamp_box(c: Canvas, x: float, top: float, w: float, h: float) -> None:
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.setDash(2, 1.5)
    c.rect(x, top - h, w, h, stroke=1, fill=0)
    c.restoreState()
    text(c, x + w / 2, top - 4 * mm, "領収日付印", 7.5, color=MUTED, align="center")


def _cut_line(c: Canvas, y: float) -> None:
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.setDash(3, 2)
    c.line(8 * mm, y, PAGE_SIZE[0] - 8 * mm, y)
    c.restoreState()
    text(c, PAGE_SIZE[0] - 9 * mm, y + 1 * mm, "きりとり線", 6, color=MUTED, align="right")


def _part_frame(c: Canvas, top: float, title: str, keeper: str, issuer: str, insurer: str) -> None:
    c.setFillColor(TINT)
    c.rect(LEFT, top - BAND, WIDTH, BAND, stroke=0, fill=1)
    text(c, LEFT + 2 * mm, top - BAND + 2.2 * mm, title, 11, color=ACCENT)
    text(c, LEFT + 32 * mm, top - BAND + 2.3 * mm, f"({keeper})", 7.5, color=MUTED)
    fit(c, LEFT + WIDTH - 2 * mm, top - BAND + 2.3 * mm, f"{issuer}  {TITLE}", 8, 92 * mm, color=MUTED,
        align="right")  # fmt: skip
    c.setLineWidth(0.4)
    for row, dx, _w, lw, label, _size in CELLS:
        y, h = _row_top(top, row), ROW_H[row]
        c.setFillColor(TINT)
        c.rect(LEFT + dx, y - h, lw, h, stroke=0, fill=1)
        fit(c, LEFT + dx + 1.2 * mm, y - h / 2 - 7.5 * 0.35, label, 7.5, lw - 2 * mm, color=MUTED)
        c.setStrokeColor(RULE)
        c.line(LEFT + dx + lw, y, LEFT + dx + lw, y - h)
        if dx:
            c.line(LEFT + dx, y, LEFT + dx, y - h)
    for row in range(len(ROW_H)):
        y = _row_top(top, row + 1)
        c.line(LEFT, y, LEFT + TABLE_W, y)
    c.rect(LEFT, top - TABLE_BOTTOM, TABLE_W, TABLE_BOTTOM - BAND - 1.5 * mm, stroke=1, fill=0)
    _stamp_box(c, LEFT + TABLE_W + 5 * mm, top - BAND - 1.5 * mm, WIDTH - TABLE_W - 5 * mm, 33 * mm)
    y = top - TABLE_BOTTOM - 7 * mm
    if title == PARTS[0][0]:
        paragraph(c, LEFT + 2 * mm, y, KEEP_RECEIPT, 7.5, TABLE_W, color=MUTED)
    elif title == PARTS[2][0]:
        text(c, LEFT + 2 * mm, y, f"{insurer} 賦課 / {issuer} 収納", 7.5, color=MUTED)


def _after_how_to_pay() -> float:
    """The baseline below the how-to-pay lines (as `paragraph` draws them in the page form)."""
    hang = width_of("・", 8.2)
    lines = sum(len(wrap(line, 8.2, WIDTH - 1 * mm - hang)) for line in HOW_TO_PAY)
    return PAGE_SIZE[1] - 75 * mm - lines * 8.2 * 1.55


def _page_form(c: Canvas, issuer: str, insurer: str) -> str:
    """The name of the form with everything that is the same on every page of this issuer; drawn into
    the PDF once (each page refers to it)."""
    forms: dict[tuple[str, str], str] = c.__dict__.setdefault("_kouki_slip_forms", {})
    name = forms.get((issuer, insurer))
    if name is not None:
        return name
    name = f"slip{len(forms)}"
    page_w, page_h = PAGE_SIZE
    c.beginForm(name)
    y = page_h - 19 * mm - 9.5 * 1.7
    text(c, page_w - 16 * mm, y, issuer, 9.5, align="right")
    text(c, page_w - 16 * mm, y - 9.5 * 1.7, f"(賦課){insurer}", 8, color=MUTED, align="right")
    y = page_h - 75 * mm
    for line in HOW_TO_PAY:
        y = paragraph(c, LEFT + 1 * mm, y, line, 8.2, WIDTH - 1 * mm, indent="・", color=INK)
    top = PARTS_TOP
    for title, keeper, _with_code in PARTS:
        _cut_line(c, top + 2.5 * mm)
        _part_frame(c, top, title, keeper, issuer, insurer)
        top -= PART_HEIGHT + 2 * mm
    c.endForm()
    forms[(issuer, insurer)] = name
    return name


# --- what changes from page to page --------------------------------------------------------------


def draw_part(c: Canvas, data: PaymentSlipData, slip: SlipLine, top: float, with_code: bool) -> None:
    """The values of one of the three parts (the frame is in the page form)."""
    values = (
        slip.number, wareki_year(data.fiscal_year), data.insured_no, f"第{slip.period}期",
        f"{data.addressee.name} 様", format_wareki(slip.due_date), yen(slip.amount),
    )  # fmt: skip
    for (row, dx, w, lw, _label, size), value in zip(CELLS, values, strict=True):
        y, h = _row_top(top, row), ROW_H[row]
        fit(c, LEFT + dx + lw + 1.5 * mm, y - h / 2 - size * 0.35, value, size, w - lw - 2.5 * mm)
    if not with_code:
        return
    y = top - TABLE_BOTTOM - 3 * mm
    if slip.barcode:
        draw_barcode(c, LEFT + 2 * mm - 10 * MODULE, y - BAR_HEIGHT, slip.barcode)
        text(c, LEFT + 80 * mm, y - 5 * mm, "コンビニエンスストア", 7.5, color=MUTED)
        text(c, LEFT + 80 * mm, y - 9 * mm, "収納用バーコード", 7.5, color=MUTED)
    else:
        paragraph(c, LEFT + 2 * mm, y - 4 * mm, NO_STORE, 8.5, TABLE_W - 4 * mm, color=WARN)


def draw(c: Canvas, data: PaymentSlipData, slip: SlipLine, *, first: bool = True) -> None:
    """One page for one slip (the caller ends the page); `first`: the page that shows in the window."""
    page_w, page_h = PAGE_SIZE
    form = _page_form(c, data.issuer, data.insurer_name)
    c.doForm(form)
    office = office_of(data.addressee.address, data.office)
    if first:
        mailing_block(c, data.addressee, 25 * mm, page_h - 14 * mm)
    else:
        text(c, 25 * mm, page_h - 20 * mm, f"{data.addressee.name} 様", 12)
        text(c, 25 * mm, page_h - 26 * mm, f"宛名番号 {data.addressee.addressee_no}", 7, color=MUTED)
    right = page_w - 16 * mm
    text(c, right, page_h - 19 * mm, f"発行日 {format_wareki(data.issued_on)}", 9.5, align="right")
    text(c, right, page_h - 19 * mm - 9.5 * 3.4 - 8 * 1.7, f"(お問い合わせ先) {office}", 8, color=MUTED,
         align="right")  # fmt: skip
    text(c, page_w / 2, page_h - 67 * mm, f"{wareki_year(data.fiscal_year)} {TITLE}(第{slip.period}期)", 15,
         align="center")  # fmt: skip
    tel = f"  電話 {data.phone}" if data.phone else ""
    fit(
        c, LEFT + 1 * mm, _after_how_to_pay() - 1 * mm, f"お問い合わせ先 {office}{tel}", 8, WIDTH, color=MUTED
    )
    top = PARTS_TOP
    for _title, _keeper, with_code in PARTS:
        draw_part(c, data, slip, top, with_code)
        top -= PART_HEIGHT + 2 * mm


# --- rendering -----------------------------------------------------------------------------------


def slip_pages(data: PaymentSlipData) -> Iterator[tuple[PaymentSlipData, SlipLine, bool]]:
    """A mailing's pages: one per slip; the first shows in the envelope window."""
    for i, slip in enumerate(data.slips):
        yield data, slip, i == 0


def draw_page(c: Canvas, page: tuple[PaymentSlipData, SlipLine, bool]) -> None:
    data, slip, first = page
    draw(c, data, slip, first=first)


# A batch is cut into files of at most 2,500 mailings; `RenderedFile.first_index` is the index of the
# file's first mailing and `pages` its number of pages.
KIND: DocumentKind[PaymentSlipData] = DocumentKind(FILE_STEM, TITLE, draw_page, PAGE_SIZE, pages=slip_pages)


def render_slips(items: Iterable[PaymentSlipData]) -> bytes:
    """Every mailing's slips, one page each, in one PDF."""
    return KIND.render(items)


def render_slip_batch(
    items: Sequence[PaymentSlipData], out_dir: Path, stem: str = FILE_STEM, **options: Unpack[BatchOptions]
) -> list[RenderedFile]:
    """out_dir/<stem>-NNN.pdf files of at most `part_size` mailings (kouki.documents.batch)."""
    return render_files(KIND, items, out_dir, stem, **options)
