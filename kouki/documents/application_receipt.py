"""申請受付票(控え): the slip handed to the applicant when the counter takes an application.

A4 portrait, one page per application: the title, 受付番号 and 受付日 (和暦), the kind, the person the
application is about (宛名番号, 氏名) and who applied, the details the counter recorded, the document
checklist (提出済 / 不足: to be brought later), the applied instalments of a 減免 or 猶予, the last day of
the time limit where there is one, the kind's note, and who took it where. No personal number is ever
printed. Plain values in, PDF bytes out (no Django); the data is built by
kouki.applications.selectors.receipt_data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import ACCENT, INK, MUTED, RULE, TINT, WARN, fit, paragraph, text
from kouki.documents.pages import DocumentKind
from kouki.rules.wareki import format_wareki

PAGE_SIZE = A4
TITLE = "申請受付票(控え)"
ROW_H = 7.5 * mm
LABEL_W = 44 * mm


@dataclass(frozen=True)
class ApplicationReceiptData:
    application_no: str  # 受付番号 (令和8年度第00012号)
    kind_label: str
    addressee_no: str
    name: str  # the person the application is about
    applicant: str  # 本人 / 葬祭を行った者(喪主) 氏名 / 代理人 氏名(本人との関係)
    received_on: date
    details: tuple[tuple[str, str], ...]  # (label, text), dates already in 和暦
    documents: tuple[tuple[str, bool], ...]  # (requirement, presented)
    instalments: tuple[str, ...]  # 令和8年度 普通徴収 第3期 …
    time_limit_last_day: date | None
    note: str
    received_by: str
    office: str
    issuer: str


def _row(c: Canvas, x: float, y: float, label: str, value: str, width: float, *, color: Color = INK) -> float:
    c.setFillColor(TINT)
    c.rect(x, y - ROW_H, LABEL_W, ROW_H, stroke=0, fill=1)
    fit(c, x + 2 * mm, y - 5 * mm, label, 9, LABEL_W - 4 * mm, color=MUTED)
    fit(c, x + LABEL_W + 3 * mm, y - 5.2 * mm, value, 10.5, width - LABEL_W - 5 * mm, color=color)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(x, y - ROW_H, x + width, y - ROW_H)
    return y - ROW_H


def _heading(c: Canvas, x: float, y: float, s: str) -> float:
    c.setFillColor(ACCENT)
    c.rect(x, y - 5.5 * mm, 1.4 * mm, 5 * mm, stroke=0, fill=1)
    text(c, x + 3.5 * mm, y - 4.6 * mm, s, 11.5, color=ACCENT)
    return y - 8 * mm


def draw(c: Canvas, data: ApplicationReceiptData) -> None:
    """One page (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    left, width = 18 * mm, page_w - 36 * mm
    text(c, page_w / 2, page_h - 28 * mm, TITLE, 20, color=ACCENT, align="center")
    text(c, left + width, page_h - 18 * mm, f"受付番号 {data.application_no}", 10, align="right")
    text(c, left + width, page_h - 36 * mm, f"受付日 {format_wareki(data.received_on)}", 10, align="right")

    y = page_h - 42 * mm
    y = _row(c, left, y, "申請の種類", data.kind_label, width)
    y = _row(c, left, y, "対象者", f"{data.name}(宛名番号 {data.addressee_no})", width)
    y = _row(c, left, y, "申請者", data.applicant, width)
    for label, value in data.details:
        y = _row(c, left, y, label, value, width)
    if data.time_limit_last_day is not None:
        y = _row(c, left, y, "申請の期限(時効)", f"{format_wareki(data.time_limit_last_day)}まで", width)

    if data.instalments:
        y = _heading(c, left, y - 5 * mm, "申請の対象とする期別")
        y = paragraph(c, left + 2 * mm, y - 4 * mm, "、".join(data.instalments), 10, width - 4 * mm)

    y = _heading(c, left, y - 5 * mm, "提出書類")
    for label, presented in data.documents:
        mark, color = ("提出済", INK) if presented else ("不足(後日提出してください)", WARN)
        y = _row(c, left, y, mark, label, width, color=color)

    if data.note:
        y = paragraph(c, left, y - 8 * mm, data.note, 9.5, width, color=MUTED)

    text(c, left, 34 * mm, "上記のとおり申請を受け付けました。審査の結果は後日お知らせします。", 10.5)
    text(c, left, 27 * mm, f"受付者 {data.received_by}({data.office})", 9.5, color=MUTED)
    text(c, left + width, 27 * mm, data.issuer, 12, align="right")
    text(
        c,
        left,
        18 * mm,
        "この控えは大切に保管してください。お問い合わせの際は受付番号をお伝えください。",
        8.5,
        color=WARN,
    )


KIND: DocumentKind[ApplicationReceiptData] = DocumentKind("shinsei-uketsukehyo", TITLE, draw, PAGE_SIZE)
