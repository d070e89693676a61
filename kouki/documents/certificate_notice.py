"""The notice of the union's decision on a certificate application: 限度額適用・標準負担額減額認定 (区分Ⅰ/Ⅱ,
長期入院該当), 特定疾病療養受療証. Granted: the 認定 and its 区分 and period, with the 認定証 / 受療証
handed over with it; refused or dismissed: the reason. One A4 page; the letter blocks of
kouki.documents.benefit_notice (decision_head) and kouki.documents.letter. Saitama's forms are not public:
the wording is kouki's (ADR 0006, issue 12 §1–§2). Plain values in; no personal number field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.benefit_notice import DEFAULT_DECIDER, decision_head
from kouki.documents.drawing import MUTED, paragraph
from kouki.documents.letter import APPEAL, LEFT, PAGE_SIZE, footer, grid, heading
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

CERTIFICATE_TITLE = "認定・交付決定通知書"


@dataclass(frozen=True)
class CertificateNoticeData:
    addressee: Addressee
    certificate: str  # 限度額適用・標準負担額減額認定証 / 特定疾病療養受療証
    application: str  # the application's label
    granted: bool
    result: str  # 認定 / 不認定 / 却下
    insured_name: str
    insured_no: str
    reception_no: str
    received_on: date
    class_label: str  # 区分Ⅱ / 区分Ⅰ / the disease; "" when not granted
    valid_from: date | None
    valid_until: date | None
    meal_difference: int  # 長期入院: the 食事差額 paid (0: none)
    payment_date: date | None
    reason: str
    decided_on: date
    issued_on: date
    note: str = ""  # what the certificate does (the 190円 meal charge, the 1万円 limit …)
    decider: str = DEFAULT_DECIDER
    office: str = ""
    phone: str = ""

    @property
    def title(self) -> str:
        refused = "却下通知書" if self.result == "却下" else "不認定通知書"
        word = "交付決定通知書" if self.granted else refused
        return f"{self.certificate}{word}"


def draw(c: Canvas, d: CertificateNoticeData) -> None:
    page_w, page_h = PAGE_SIZE
    office = decision_head(c, d, d.title)
    width = page_w - 2 * LEFT
    if d.granted:
        body = (f"さきに申請のありました{d.application}について、下記のとおり認定し、"
                f"{d.certificate}を交付します。")  # fmt: skip
    else:
        verb = "却下" if d.result == "却下" else "認定しないこと"
        body = (f"さきに申請のありました{d.application}について、下記の理由により{verb}に決定しました"
                "ので通知します。")  # fmt: skip
    y = paragraph(c, LEFT, page_h - 78 * mm, body, 10, width) - 6 * mm
    heading(c, LEFT, y, "決定の内容")
    rows = [
        ["被保険者", f"{d.insured_name}（被保険者番号 {d.insured_no}）"],
        ["受付番号", d.reception_no],
        ["申請日", format_wareki(d.received_on)],
        ["決定", d.result],
    ]
    if d.granted and d.valid_from is not None and d.valid_until is not None:
        rows += [["認定区分", d.class_label], ["適用開始日", format_wareki(d.valid_from)],
                 ["有効期限", format_wareki(d.valid_until)]]  # fmt: skip
    if d.meal_difference:
        rows.append(["食事差額(支給額)", yen(d.meal_difference)])
        if d.payment_date is not None:
            rows.append(["お支払予定日", format_wareki(d.payment_date)])
    rows.append(["決定日", format_wareki(d.decided_on)])
    if d.reason:
        rows.append(["理由", d.reason])
    y = grid(c, LEFT, y - 4 * mm, [50 * mm, width - 50 * mm], rows, row_h=8 * mm, size=10, header=False)
    if d.granted and d.note:
        y = paragraph(c, LEFT, y - 6 * mm, d.note, 9, width)
    paragraph(c, LEFT, y - 8 * mm, APPEAL, 8.5, width, color=MUTED)
    footer(c, office, d.phone)


CERTIFICATE_KIND: DocumentKind[CertificateNoticeData] = DocumentKind(
    "nintei-kofu-kettei-tsuchisho", CERTIFICATE_TITLE, draw, PAGE_SIZE
)
