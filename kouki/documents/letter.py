"""The A4 letter: the blocks every letter kouki mails is built from (notices, reminders, certificates).

From the top of the page:
- `mailing_block`: 〒, address, 氏名 様 and 宛名番号 where a 長形3号 window envelope shows them;
- `sender_block` (a city letter: 通知年月日, the city, the union that assessed, whom to ask),
  right-aligned beside it;
- `letter_head`: both, and the centred title; `certificate_head`: the union's certificate mailing;
- `intro`: the opening sentence and the table of whom the letter is about;
- `heading` (a section title with the accent bar) and `grid` (a ruled table with a tinted header);
- `footer`: お問い合わせ先 at the foot of the page.

A letter module draws one page per item with these blocks and the canvas helpers of
kouki.documents.drawing, formats dates with kouki.rules.wareki and money with kouki.rules.formatting, and
declares its `DocumentKind` (kouki.documents.pages); kouki.documents.render lists the kinds and renders
them, one PDF or a batch of files (its docstring says how a new kind is added).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.data import CertificateData, Sender, sender_for
from kouki.documents.drawing import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    TINT,
    Row,
    field_rows,
    fit,
    paragraph,
    postal,
    text,
    wrap,
)
from kouki.rules.wareki import format_wareki

PAGE_SIZE = A4
LEFT = 18 * mm  # left margin of the body
WINDOW_X = 25 * mm  # left edge of the address in the envelope window
TOP = 14 * mm  # top of the address and sender blocks, below the page's top edge
SENDER_RIGHT = 16 * mm  # right edge of the sender block, from the page's right edge

# The 審査請求 notice under a premium decision (the union's 審査会 hears it): the premium notices and the
# 督促状 print it; a city decision (還付通知書) names the mayor instead.
APPEAL = (
    "この決定に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、"
    "埼玉県後期高齢者医療審査会に審査請求をすることができます。"
)


class Mailable(Protocol):
    """Whom a letter goes to: what the envelope window shows."""

    @property
    def addressee_no(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def postal_code(self) -> str: ...
    @property
    def address(self) -> str: ...


class LetterData(Protocol):
    """What the head of a city letter needs: the addressee and who sends it, when."""

    @property
    def addressee(self) -> Mailable: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def issuer(self) -> str: ...
    @property
    def insurer_name(self) -> str: ...
    @property
    def office(self) -> str: ...
    @property
    def phone(self) -> str: ...


def mailing_block(c: Canvas, to: Mailable, x: float, top: float) -> None:
    """〒, address and 氏名 様 where a window envelope (長形3号) shows them (90 × 45 mm); 宛名番号 small."""
    width = 86 * mm
    y = top - 5 * mm
    text(c, x, y, postal(to.postal_code), 11)
    y -= 7 * mm
    for line in wrap(to.address, 11.5, width)[:3]:
        text(c, x, y, line, 11.5)
        y -= 5.6 * mm
    y -= 3 * mm
    fit(c, x + 4 * mm, y, f"{to.name}\u3000様", 15, width - 4 * mm)
    text(c, x, top - 44 * mm, f"宛名番号 {to.addressee_no}", 7, color=MUTED)


def right_lines(c: Canvas, lines: Iterable[tuple[str, float, Color]], right: float, top: float) -> None:
    """Lines of (text, size, colour) aligned on the right edge, from `top` down."""
    y = top - 5 * mm
    for s, size, color in lines:
        text(c, right, y, s, size, color=color, align="right")
        y -= size * 1.7


def office_of(address: str, office: str) -> str:
    """The office named on a letter: the one given, else the ward office of the address."""
    return office or sender_for(address).office


def sender_block(
    c: Canvas,
    *,
    issued_on: date,
    issuer: str,
    insurer_name: str,
    office: str,
    phone: str,
    right: float,
    top: float,
) -> None:
    """A city letter's sender: 通知年月日, the issuer (the city), the assessing union and whom to ask."""
    lines: list[tuple[str, float, Color]] = [
        (f"通知年月日 {format_wareki(issued_on)}", 9.5, INK),
        (issuer, 9.5, INK),
        (f"(賦課){insurer_name}", 8, MUTED),
        (f"(お問い合わせ先) {office}", 8, MUTED),
    ]
    if phone:
        lines.append((f"電話 {phone}", 8, MUTED))
    right_lines(c, lines, right, top)


def certificate_head(c: Canvas, data: CertificateData) -> Sender:
    """The head of the union's certificate mailing: the window address, then 交付年月日, the insurer and
    the ward office to ask; returns that office (the sender)."""
    page_w, page_h = PAGE_SIZE
    sender = sender_for(data.address)
    mailing_block(c, data, WINDOW_X, page_h - TOP)
    lines: list[tuple[str, float, Color]] = [
        (f"交付年月日 {format_wareki(data.issued_on)}", 9.5, INK),
        (data.insurer_name, 9.5, INK),
        (f"(お問い合わせ先) {sender.office}", 8, MUTED),
    ]
    if sender.phone:
        lines.append((f"電話 {sender.phone}", 8, MUTED))
    right_lines(c, lines, page_w - SENDER_RIGHT, page_h - TOP)
    return sender


def letter_head(c: Canvas, data: LetterData, title: str, size: float) -> str:
    """The window-envelope address, the sender and the centred title; returns the office to ask."""
    page_w, page_h = PAGE_SIZE
    office = office_of(data.addressee.address, data.office)
    mailing_block(c, data.addressee, WINDOW_X, page_h - TOP)
    sender_block(
        c,
        issued_on=data.issued_on,
        issuer=data.issuer,
        insurer_name=data.insurer_name,
        office=office,
        phone=data.phone,
        right=page_w - SENDER_RIGHT,
        top=page_h - TOP,
    )
    text(c, page_w / 2, page_h - 67 * mm, title, size, align="center")
    return office


def intro(
    c: Canvas, top: float, sentence: str, rows: list[Row], *, row_h: float = 6.3 * mm, value_size: float = 10
) -> float:
    """The opening sentence below the title and the table of whom the letter is about (label | value
    rows); returns the table's bottom y."""
    width = PAGE_SIZE[0] - 2 * LEFT
    y = paragraph(c, LEFT, top, sentence, 9.5, width)
    return field_rows(c, LEFT, y + 1.5 * mm, width, rows, row_h=row_h, label_w=28 * mm, label_size=8.5,
                      value_size=value_size)  # fmt: skip


def heading(c: Canvas, x: float, y: float, s: str) -> None:
    """A section heading with the accent bar."""
    c.setFillColor(ACCENT)
    c.rect(x, y - 0.8 * mm, 1.2 * mm, 4.2 * mm, stroke=0, fill=1)
    text(c, x + 2.6 * mm, y, s, 10.5, color=ACCENT)


def grid(
    c: Canvas,
    x: float,
    top: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    row_h: float,
    size: float,
    header: bool = True,
    align: Sequence[str] = (),
    bold_rows: Iterable[int] = (),
    muted_rows: Iterable[int] = (),
) -> float:
    """A ruled table; row 0 is a tinted header when header=True. Returns the bottom y."""
    total_w = sum(widths)
    bold, muted = set(bold_rows), set(muted_rows)
    c.setLineWidth(0.4)
    y = top
    for r, row in enumerate(rows):
        tinted = (header and r == 0) or r in bold
        if tinted:
            c.setFillColor(TINT)
            c.rect(x, y - row_h, total_w, row_h, stroke=0, fill=1)
        cx = x
        for col, (w, cell) in enumerate(zip(widths, row, strict=True)):
            if not cell:
                cx += w
                continue
            how = "center" if header and r == 0 else (align[col] if col < len(align) else "left")
            color = MUTED if (header and r == 0) or r in muted else INK
            cell_size = size * (0.9 if header and r == 0 else 1.0) * (1.08 if r in bold else 1.0)
            base = y - row_h / 2 - cell_size * 0.35
            if how == "right":
                fit(c, cx + w - 1.5 * mm, base, cell, cell_size, w - 3 * mm, color=color, align="right")
            elif how == "center":
                fit(c, cx + w / 2, base, cell, cell_size, w - 2 * mm, color=color, align="center")
            else:
                fit(c, cx + 1.5 * mm, base, cell, cell_size, w - 3 * mm, color=color)
            cx += w
        y -= row_h
        c.setStrokeColor(RULE)
        c.line(x, y, x + total_w, y)
    c.rect(x, y, total_w, top - y, stroke=1, fill=0)
    cx = x
    for w in widths[:-1]:
        cx += w
        c.line(cx, top, cx, y)
    return y


def footer(c: Canvas, office: str, phone: str) -> None:
    """お問い合わせ先 centred at the foot of the page."""
    page_w = PAGE_SIZE[0]
    tel = f"  電話 {phone}" if phone else ""
    fit(
        c,
        page_w / 2,
        10 * mm,
        f"お問い合わせ先 {office}{tel}",
        8,
        page_w - 2 * LEFT,
        color=MUTED,
        align="center",
    )
