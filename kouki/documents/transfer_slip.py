"""移転票: the slip that goes with a paper transfer (issue 13 §4) to the receiving department.

A4 portrait: the registered definition it executes (移転番号・版), the recipient, purpose, legal basis,
the items carried, the method, the count, the 決裁 references of both sides' approvals, who transferred it
when, then the persons (宛名番号, 氏名), 16 on the first page and 26 on each further page. No personal
number is ever printed. Plain values in, PDF bytes out (no Django); the data is built by
kouki.transfers.paper.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import ACCENT, INK, MUTED, RULE, TINT, fit, text
from kouki.documents.pages import DocumentKind
from kouki.rules.wareki import format_wareki

PAGE_SIZE = A4
TITLE = "移転票"
ROW_H = 7.5 * mm
LABEL_W = 40 * mm
FIRST_PAGE = 16  # persons under the definition's rows
PER_PAGE = 26  # persons on a continuation page


@dataclass(frozen=True)
class TransferSlipData:
    slip_no: str  # the TransferRecord number
    code: str  # T02
    version: int
    recipient: str
    purpose: str
    legal_basis: str
    items: str
    method: str
    frequency: str
    approvals: tuple[str, ...]  # 移転元 氏名(所属) 決裁番号 …
    persons: tuple[tuple[str, str], ...]  # (宛名番号, 氏名)
    transferred_on: date
    transferred_by: str
    office: str


@dataclass(frozen=True)
class SlipPage:
    data: TransferSlipData
    page: int
    pages: int
    persons: tuple[tuple[str, str], ...]
    first: int  # the number of the first person on the page


def pages(data: TransferSlipData) -> Iterator[SlipPage]:
    rest = data.persons[FIRST_PAGE:]
    chunks = [data.persons[:FIRST_PAGE]] + [rest[i : i + PER_PAGE] for i in range(0, len(rest), PER_PAGE)]
    first = 1
    for n, chunk in enumerate(chunks):
        yield SlipPage(data, n + 1, len(chunks), chunk, first)
        first += len(chunk)


def _row(c: Canvas, x: float, y: float, label: str, value: str, width: float) -> float:
    c.setFillColor(TINT)
    c.rect(x, y - ROW_H, LABEL_W, ROW_H, stroke=0, fill=1)
    fit(c, x + 2 * mm, y - 5 * mm, label, 9, LABEL_W - 4 * mm, color=MUTED)
    fit(c, x + LABEL_W + 3 * mm, y - 5.2 * mm, value, 10, width - LABEL_W - 5 * mm, color=INK)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(x, y - ROW_H, x + width, y - ROW_H)
    return y - ROW_H


def draw(c: Canvas, page: SlipPage) -> None:
    d = page.data
    page_w, page_h = PAGE_SIZE
    left, width = 18 * mm, page_w - 36 * mm
    text(c, page_w / 2, page_h - 26 * mm, TITLE, 20, color=ACCENT, align="center")
    text(c, left + width, page_h - 16 * mm, f"移転票番号 {d.slip_no}", 10, align="right")
    text(c, left + width, page_h - 34 * mm, f"移転日 {format_wareki(d.transferred_on)}", 10, align="right")
    y = page_h - 40 * mm
    if page.page == 1:
        rows = [
            ("移転番号・版", f"{d.code} 第{d.version}版"), ("移転先", d.recipient), ("目的", d.purpose),
            ("根拠", d.legal_basis), ("移転する項目", d.items), ("方法・頻度", f"{d.method}({d.frequency})"),
            ("件数", f"{len(d.persons)}件"),
        ] + [("承認(決裁)", a) for a in d.approvals]  # fmt: skip
        for label, value in rows:
            y = _row(c, left, y, label, value, width)
        y -= 6 * mm
    text(c, left, y - 4 * mm, f"対象者({page.page}/{page.pages}枚)", 11, color=ACCENT)
    y -= 7 * mm
    for i, (addressee_no, name) in enumerate(page.persons):
        y = _row(c, left, y, f"{page.first + i}. 宛名番号 {addressee_no}", name, width)
    text(c, left, 22 * mm, f"移転者 {d.transferred_by}({d.office})", 9.5, color=MUTED)
    text(
        c,
        left,
        15 * mm,
        "受領した移転先は、受領印を押印のうえ写しを移転元へ返付してください。受領印:",
        9,
        color=MUTED,
    )


KIND: DocumentKind[TransferSlipData] = DocumentKind("iten-hyo", TITLE, draw, PAGE_SIZE, pages=pages)
