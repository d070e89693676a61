"""監査ログ月次点検報告書: what a reviewer signs off for a month of the audit trail (issue 15 §1).

A4 portrait, flowed over as many pages as the sections need. Each page: the title, the month and the page
number at the top. Then section by section (kouki.reviews.report assembles them): a title bar, the totals
on one or two lines, and a table of the top lines (per user, per purpose, per kind) with a note of what was
left out. The last page ends with the sign-off box (点検者・点検日・所見) the reviewer fills in; the review
itself is recorded in kouki (/audit/reviews/, `kouki audit review`). Plain values in, PDF bytes out (no
Django); never a personal number (the report holds staff, purposes, actions, kinds and counts).
The same data give the same bytes: no time of printing is drawn (the data carry the audit row it covers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import ACCENT, INK, MUTED, RULE, TINT, fit, text, wrap
from kouki.documents.pages import DocumentKind

PAGE_SIZE = A4
TITLE = "監査ログ月次点検報告書"
LEFT = 16 * mm
WIDTH = A4[0] - 32 * mm
TOP = A4[1] - 36 * mm  # below the page head
BOTTOM = 20 * mm
SIGN_OFF_H = 46 * mm
SECTION_H = 9 * mm
LINE_H = 5.6 * mm
ROW_H = 5.8 * mm
TOTALS_SIZE = 9.0
SIGN_OFF_TITLE = "点検の記録(点検者が記入し、kouki の「監査ログの月次点検」に所見を記録する)"
FOOT = "個人番号は記載していません。参照の対象者は参照記録・監査ログの画面で確認してください。"


@dataclass(frozen=True)
class ReviewTable:
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # fractions of the page width, one per column (the last ones right-aligned
    rows: tuple[tuple[str, ...], ...]  # when numeric: see `numeric`)
    numeric: int = 1  # how many columns at the right are counts (right-aligned)


@dataclass(frozen=True)
class ReviewSection:
    title: str
    totals: tuple[tuple[str, str], ...]  # (label, value)
    table: ReviewTable | None = None
    note: str = ""  # what the table leaves out, how it was counted


@dataclass(frozen=True)
class MonthlyReviewData:
    city: str
    month_label: str  # 令和8年11月(2026年11月)
    period_label: str  # 2026-11-01 00:00 〜 2026-11-30 24:00(日本時間)
    office_hours_label: str  # 開庁日 08:30〜17:15 (KOUKI_OFFICE_HOURS)
    audit_last_seq: int  # the last audit row the month covers
    sections: tuple[ReviewSection, ...]


@dataclass(frozen=True)
class Line:
    kind: str  # section, totals, header, row, note, blank
    cells: tuple[str, ...] = ()
    table: ReviewTable | None = None

    @property
    def height(self) -> float:
        return {"section": SECTION_H, "header": ROW_H, "row": ROW_H, "blank": 3 * mm}.get(self.kind, LINE_H)


@dataclass(frozen=True)
class ReviewPage:
    data: MonthlyReviewData
    page: int
    pages: int
    lines: tuple[Line, ...]
    sign_off: bool


def _totals_lines(totals: tuple[tuple[str, str], ...]) -> list[Line]:
    joined = "  ".join(f"{label} {value}" for label, value in totals) or "該当なし"
    return [Line("totals", (part,)) for part in wrap(joined, TOTALS_SIZE, WIDTH - 4 * mm)]


def _lines(section: ReviewSection) -> list[Line]:
    lines = [Line("section", (section.title,)), *_totals_lines(section.totals)]
    if section.table is not None and section.table.rows:
        lines.append(Line("header", section.table.columns, section.table))
        lines += [Line("row", row, section.table) for row in section.table.rows]
    if section.note:
        lines += [Line("note", (part,)) for part in wrap(section.note, 8, WIDTH - 4 * mm)]
    lines.append(Line("blank"))
    return lines


def pages(data: MonthlyReviewData) -> Iterator[ReviewPage]:
    chunks: list[list[Line]] = [[]]
    room = TOP - BOTTOM
    for section in data.sections:
        lines = _lines(section)
        head = sum(line.height for line in lines[:3])  # keep a title with its totals and first row
        if chunks[-1] and head > room:
            chunks.append([])
            room = TOP - BOTTOM
        for line in lines:
            if line.height > room:
                chunks.append([])
                room = TOP - BOTTOM
                if line.kind == "row" and line.table is not None:  # repeat the table's header
                    header = Line("header", line.table.columns, line.table)
                    chunks[-1].append(header)
                    room -= header.height
            chunks[-1].append(line)
            room -= line.height
    if room < SIGN_OFF_H:
        chunks.append([])
    for n, chunk in enumerate(chunks):
        yield ReviewPage(data, n + 1, len(chunks), tuple(chunk), sign_off=n == len(chunks) - 1)


def _cells(c: Canvas, y: float, cells: tuple[str, ...], table: ReviewTable, *, size: float,
           color: Color = INK) -> None:
    x = LEFT
    first_numeric = len(table.widths) - table.numeric
    for i, (cell, frac) in enumerate(zip(cells, table.widths, strict=False)):
        w = frac * WIDTH
        if i >= first_numeric:
            fit(c, x + w - 2 * mm, y, cell, size, w - 3 * mm, color=color, align="right")
        else:
            fit(c, x + 1.5 * mm, y, cell, size, w - 3 * mm, color=color)
        x += w


def _draw_line(c: Canvas, y: float, line: Line) -> float:
    h = line.height
    if line.kind == "section":
        c.setFillColor(TINT)
        c.rect(LEFT, y - h + 1.5 * mm, WIDTH, h - 1.5 * mm, stroke=0, fill=1)
        text(c, LEFT + 2 * mm, y - h + 3.6 * mm, line.cells[0], 11.5, color=ACCENT)
    elif line.kind == "totals":
        fit(c, LEFT + 2 * mm, y - 4 * mm, line.cells[0], TOTALS_SIZE, WIDTH - 4 * mm)
    elif line.kind == "note":
        fit(c, LEFT + 2 * mm, y - 4 * mm, line.cells[0], 8, WIDTH - 4 * mm, color=MUTED)
    elif line.kind in ("header", "row") and line.table is not None:
        header = line.kind == "header"
        _cells(c, y - 4.1 * mm, line.cells, line.table, size=8.5 if header else 8.8,
               color=MUTED if header else INK)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6 if header else 0.3)
        c.line(LEFT, y - h, LEFT + WIDTH, y - h)
    return y - h


def _sign_off(c: Canvas, y: float) -> None:
    top = min(y, BOTTOM + SIGN_OFF_H) - 4 * mm
    text(c, LEFT, top - 4 * mm, SIGN_OFF_TITLE, 9.5, color=ACCENT)
    box_top = top - 7 * mm
    rows = (("点検者(所属・氏名)", 8 * mm), ("点検日", 8 * mm), ("所見・対応", 18 * mm))
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    for label, h in rows:
        c.setFillColor(TINT)
        c.rect(LEFT, box_top - h, 38 * mm, h, stroke=0, fill=1)
        c.rect(LEFT, box_top - h, WIDTH, h, stroke=1, fill=0)
        fit(c, LEFT + 2 * mm, box_top - 5.5 * mm, label, 9, 34 * mm, color=MUTED)
        box_top -= h


def draw(c: Canvas, page: ReviewPage) -> None:
    d = page.data
    page_w, page_h = PAGE_SIZE
    text(c, page_w / 2, page_h - 20 * mm, TITLE, 17, color=ACCENT, align="center")
    text(c, LEFT + WIDTH, page_h - 12 * mm, f"{page.page}/{page.pages}頁", 9, color=MUTED, align="right")
    fit(c, LEFT, page_h - 28 * mm, f"{d.city}  対象月 {d.month_label}", 10.5, WIDTH * 0.55)
    fit(c, LEFT + WIDTH, page_h - 28 * mm, f"集計期間 {d.period_label}", 8.5, WIDTH * 0.45, color=MUTED,
        align="right")
    fit(c, LEFT + WIDTH, page_h - 32 * mm,
        f"時間外の基準 {d.office_hours_label}  監査ログ 連番{d.audit_last_seq}まで", 8, WIDTH, color=MUTED,
        align="right")
    y = TOP
    for line in page.lines:
        y = _draw_line(c, y, line)
    if page.sign_off:
        _sign_off(c, y)
    fit(c, LEFT, 10 * mm, FOOT, 7.5, WIDTH, color=MUTED)


KIND: DocumentKind[MonthlyReviewData] = DocumentKind("kansa-getsuji-tenken", TITLE, draw, PAGE_SIZE,
                                                     pages=pages)
