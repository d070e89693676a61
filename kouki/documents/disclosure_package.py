"""開示文書(写し): everything the city holds about a person in this work, in one PDF (issue 15 §3).

A4 portrait. Page 1 opens with the request (受付番号, the decision, its reason, the method, the page count
and the fee: free to view, copies at the configured fee a page); then the sections, each a ruled table,
flowing over as many pages as they need (a continued section repeats its heading and column header).
Every page carries 受付番号 and "n / N 枚". Third parties' data arrive here already masked and the personal
number is never among the values (kouki.disclosure.package builds the data; docs/documents/
disclosure-package.md shows the layout). Plain values in, PDF bytes out: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import ACCENT, MUTED, paragraph, text, wrap
from kouki.documents.letter import LEFT, grid, heading
from kouki.documents.pages import DocumentKind
from kouki.rules.disclosure_fees import METHOD_LABELS, DisclosureMethod, disclosure_fee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

PAGE_SIZE = A4
TITLE = "保有個人情報開示文書(写し)"
STEM = "kaiji-bunsho"
ROW_H = 6.2 * mm
HEADING_H = 9 * mm
NOTE_H = 5 * mm
GAP = 4 * mm
TOP_MARGIN = 30 * mm  # below the page's running head
BOTTOM = 18 * mm
COVER_H = 88 * mm  # the request block on page 1
MASKED = "（第三者の情報のため非開示）"


@dataclass(frozen=True)
class PackageSection:
    title: str
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # relative widths of the columns
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # printed under the heading (e.g. what is masked and why)
    empty: str = "該当する記録はありません"


@dataclass(frozen=True)
class DisclosurePackageData:
    request_no: str
    person_name: str
    addressee_no: str
    received_on: date
    decision: str  # 開示 / 一部開示
    decision_reason: str
    method: DisclosureMethod
    fee_per_page: int
    issued_on: date
    issuer: str  # the city (実施機関)
    office: str  # the office that answers questions
    sections: tuple[PackageSection, ...]


@dataclass(frozen=True)
class Block:
    section: PackageSection
    rows: tuple[tuple[str, ...], ...]  # the slice of rows on this page (or the empty line)
    continued: bool


@dataclass(frozen=True)
class PackagePage:
    data: DisclosurePackageData
    page: int
    pages: int
    blocks: tuple[Block, ...]


def _section_rows(s: PackageSection) -> tuple[tuple[str, ...], ...]:
    return s.rows or ((s.empty, *("" for _ in s.columns[1:])),)


def _layout(data: DisclosurePackageData) -> list[list[Block]]:
    page_h = PAGE_SIZE[1]
    pages: list[list[Block]] = [[]]
    room = page_h - TOP_MARGIN - COVER_H - BOTTOM
    for section in data.sections:
        rows = _section_rows(section)
        start, continued = 0, False
        while start < len(rows):
            head = HEADING_H + (NOTE_H if section.note and not continued else 0) + ROW_H
            fits = int((room - head - GAP) // ROW_H)
            if fits < 1:
                pages.append([])
                room = page_h - TOP_MARGIN - BOTTOM
                continue
            chunk = rows[start : start + fits]
            pages[-1].append(Block(section, chunk, continued))
            room -= head + len(chunk) * ROW_H + GAP
            start += len(chunk)
            continued = True
    return pages


def pages(data: DisclosurePackageData) -> Iterator[PackagePage]:
    laid = _layout(data)
    for n, blocks in enumerate(laid):
        yield PackagePage(data, n + 1, len(laid), tuple(blocks))


def page_count(data: DisclosurePackageData) -> int:
    return len(_layout(data))


def fee_of(data: DisclosurePackageData) -> int:
    return disclosure_fee(page_count(data), data.method, data.fee_per_page)


def _cover(c: Canvas, p: PackagePage, top: float, width: float) -> None:
    d = p.data
    text(c, PAGE_SIZE[0] / 2, top, TITLE, 16, color=ACCENT, align="center")
    fee = disclosure_fee(p.pages, d.method, d.fee_per_page)
    fee_text = (
        f"{p.pages}枚 × {d.fee_per_page}円 = {yen(fee)}"
        if d.method == DisclosureMethod.COPY
        else f"無料(閲覧。写しの交付を受ける場合は1枚{d.fee_per_page}円、{p.pages}枚で"
        f"{yen(p.pages * d.fee_per_page)})"
    )
    rows = [
        ["受付番号", d.request_no],
        ["本人", f"{d.person_name}(宛名番号 {d.addressee_no})"],
        ["請求日", format_wareki(d.received_on)],
        ["決定", d.decision],
        ["開示の実施方法", METHOD_LABELS[d.method]],
        ["枚数", f"全{p.pages}枚"],
        ["費用", fee_text],
        ["実施日", format_wareki(d.issued_on)],
        ["実施機関", f"{d.issuer}({d.office})"],
    ]
    y = grid(c, LEFT, top - 6 * mm, [38 * mm, width - 38 * mm], rows, row_h=6.6 * mm, size=9, header=False)
    reason = wrap(f"決定の理由: {d.decision_reason}", 8.5, width)[:2]
    paragraph(c, LEFT, y - 5 * mm, "".join(reason), 8.5, width, color=MUTED)


def draw(c: Canvas, p: PackagePage) -> None:
    page_w, page_h = PAGE_SIZE
    width = page_w - 2 * LEFT
    d = p.data
    text(c, LEFT, page_h - 14 * mm, f"{TITLE} 受付番号 {d.request_no}", 8, color=MUTED)
    text(c, page_w - LEFT, page_h - 14 * mm, f"{p.page} / {p.pages} 枚", 8, color=MUTED, align="right")
    y = page_h - TOP_MARGIN + 8 * mm
    if p.page == 1:
        _cover(c, p, y, width)
        y = page_h - TOP_MARGIN - COVER_H
    for block in p.blocks:
        s = block.section
        heading(c, LEFT, y - 6 * mm, s.title + ("(続き)" if block.continued else ""))
        y -= HEADING_H
        if s.note and not block.continued:
            text(c, LEFT + 2.6 * mm, y - 3 * mm, s.note, 7.5, color=MUTED)
            y -= NOTE_H
        total = sum(s.widths)
        widths = [width * w / total for w in s.widths]
        y = grid(c, LEFT, y, widths, [s.columns, *block.rows], row_h=ROW_H, size=8)
        y -= GAP
    text(c, page_w / 2, 10 * mm, f"{d.issuer}  {d.office}", 7.5, color=MUTED, align="center")


KIND: DocumentKind[DisclosurePackageData] = DocumentKind(STEM, TITLE, draw, PAGE_SIZE, pages=pages)


def render_package(data: DisclosurePackageData) -> bytes:
    return KIND.render([data])
