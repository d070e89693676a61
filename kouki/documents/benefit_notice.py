"""支給決定通知書 and 不支給・却下決定通知書 of the union's benefit decisions (療養費, 葬祭費, 高額療養費):
one A4 page per decision, which the city hands over at the counter or mails (事務 10, 12; domain-facts-next
§1 「Flow」). Saitama's own forms are not public (domain-facts-next §1 [NOT FOUND]): the wording and layout
are kouki's (ADR 0006, issue 12 §2).

The letter blocks of kouki.documents.letter (window address, headings, ruled tables, footer; embedded
IPAex font, reproducible bytes). The decision is the union's, so the sender block names the union's head
(`decider`) and the city office to ask. Plain values in (`BenefitNoticeData`, no Django, no personal
number field); the account is printed masked (last 3 digits) or by the city's reference only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import INK, MUTED, paragraph, text
from kouki.documents.letter import (
    APPEAL,
    LEFT,
    PAGE_SIZE,
    SENDER_RIGHT,
    TOP,
    WINDOW_X,
    footer,
    grid,
    heading,
    mailing_block,
    office_of,
    right_lines,
)
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

PAYMENT_TITLE = "支給決定通知書"
REFUSAL_TITLE = "不支給・却下決定通知書"
DEFAULT_DECIDER = "埼玉県後期高齢者医療広域連合長"


@dataclass(frozen=True)
class BenefitNoticeData:
    addressee: Addressee  # whom the notice goes to (the applicant; 葬祭費: the 喪主)
    benefit: str  # 療養費（やむを得ない自費） / 葬祭費 / 高額療養費
    result: str  # 支給 / 一部支給 / 不支給 / 却下
    insured_name: str  # the insured person (葬祭費: the deceased)
    insured_no: str  # 被保険者番号
    reception_no: str
    received_on: date | None  # None for a 高額療養費 paid automatically
    right_label: str  # what the right day is: 支払日 / 葬祭日 / 診療年月
    right_text: str  # it, in 和暦 (the caller formats: a day or a month)
    amount_claimed: int  # 0 for 高額療養費
    base_amount: int
    base_label: str  # 保険診療相当額 / 支給額の基準 / 自己負担額
    amount_decided: int
    reason: str  # why (not a plain grant), "" for a grant in full
    decided_on: date
    payment_date: date | None
    bank_text: str  # 〇〇銀行 〇〇支店 普通 ****123, or "" when nothing is paid
    issued_on: date
    decider: str = DEFAULT_DECIDER
    office: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if self.amount_decided < 0 or (self.amount_claimed and self.amount_decided > self.amount_claimed):
            raise ValueError("決定額は0以上、申請額以下です")

    @property
    def paid(self) -> bool:
        return self.amount_decided > 0

    @property
    def title(self) -> str:
        word = (
            "支給決定通知書" if self.paid else ("却下通知書" if self.result == "却下" else "不支給決定通知書")
        )
        return f"{self.benefit.split('（')[0]}{word}"


class DecisionLetter(Protocol):
    """What the head of a union decision letter needs (BenefitNoticeData, ReliefNoticeData)."""

    @property
    def addressee(self) -> Addressee: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def decider(self) -> str: ...
    @property
    def office(self) -> str: ...
    @property
    def phone(self) -> str: ...


def decision_head(c: Canvas, d: DecisionLetter, title: str) -> str:
    """The window address, the sender (通知年月日, the union's head, the city office to ask) and the
    title; returns the office."""
    page_w, page_h = PAGE_SIZE
    office = office_of(d.addressee.address, d.office)
    mailing_block(c, d.addressee, WINDOW_X, page_h - TOP)
    lines: list[tuple[str, float, Color]] = [
        (f"通知年月日 {format_wareki(d.issued_on)}", 9.5, INK),
        (d.decider, 9.5, INK),
        (f"(お問い合わせ先) {office}", 8, MUTED),
    ]
    if d.phone:
        lines.append((f"電話 {d.phone}", 8, MUTED))
    right_lines(c, lines, page_w - SENDER_RIGHT, page_h - TOP)
    text(c, page_w / 2, page_h - 67 * mm, title, 16, align="center")
    return office


def draw(c: Canvas, d: BenefitNoticeData) -> None:
    page_w, page_h = PAGE_SIZE
    office = decision_head(c, d, d.title)
    width = page_w - 2 * LEFT
    if d.paid:
        body = (
            f"さきに申請のありました{d.benefit}について、"
            "下記のとおり支給することに決定しましたので通知します。"
        )
    else:
        verb = "却下" if d.result == "却下" else "支給しないこと"
        body = (
            f"さきに申請のありました{d.benefit}について、下記の理由により{verb}に決定しましたので通知します。"
        )
    y = paragraph(c, LEFT, page_h - 78 * mm, body, 10, width) - 6 * mm
    heading(c, LEFT, y, "決定の内容")
    rows = [
        ["被保険者", f"{d.insured_name}（被保険者番号 {d.insured_no}）"],
        ["受付番号", d.reception_no],
        ["申請日", format_wareki(d.received_on) if d.received_on else "（自動支給）"],
        [d.right_label, d.right_text],
    ]
    if d.amount_claimed:
        rows.append(["申請額", yen(d.amount_claimed)])
    rows += [[d.base_label, yen(d.base_amount)], ["決定", d.result], ["決定額", yen(d.amount_decided)]]
    rows.append(["決定日", format_wareki(d.decided_on)])
    if d.reason:
        rows.append(["理由", d.reason])
    y = grid(c, LEFT, y - 4 * mm, [50 * mm, width - 50 * mm], rows, row_h=8 * mm, size=10, header=False)
    if d.paid and d.payment_date is not None:
        y -= 8 * mm
        heading(c, LEFT, y, "お支払い")
        pay = [["お支払予定日", format_wareki(d.payment_date)], ["お振込先", d.bank_text]]
        y = grid(c, LEFT, y - 4 * mm, [50 * mm, width - 50 * mm], pay, row_h=8 * mm, size=10, header=False)
    paragraph(c, LEFT, y - 8 * mm, APPEAL, 8.5, width, color=MUTED)
    footer(c, office, d.phone)


PAYMENT_KIND: DocumentKind[BenefitNoticeData] = DocumentKind(
    "kyufu-shikyu-kettei-tsuchisho", PAYMENT_TITLE, draw, PAGE_SIZE
)
REFUSAL_KIND: DocumentKind[BenefitNoticeData] = DocumentKind(
    "kyufu-fushikyu-kettei-tsuchisho", REFUSAL_TITLE, draw, PAGE_SIZE
)


def render_benefit_notices(items: Iterable[BenefitNoticeData]) -> bytes:
    """All notices, one page each, in one PDF (paid and refused alike)."""
    return PAYMENT_KIND.render(items)
