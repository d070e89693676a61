"""開示決定等通知書: the written notice of the decision on a 開示・訂正・利用停止請求 (APPI §82①② 開示 /
不開示, §93①② 訂正 / 不訂正, §101①② 利用停止 / 不利用停止; issue 15 §3, ADR 0006 stop 23).

One A4 letter of kouki.documents.letter to the person's address: the decision, what it covers, the reason
when anything is withheld or refused, for a disclosure how it is carried out (method and the fee for
copies), and the notice of the remedies that every written decision carries (行政不服審査法 §82①: 審査請求
to the mayor within 3 months, §18①; 行政事件訴訟法 §46①: an action against the city within 6 months,
§14①). Plain values in, PDF bytes out (no Django).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, paragraph
from kouki.documents.letter import LEFT, PAGE_SIZE, footer, grid, heading, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import Addressee
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

# decision → (the letter's title, the APPI article it is made under)
TITLES: dict[str, tuple[str, str]] = {
    "disclose": ("保有個人情報の開示をする旨の決定について(通知)", "第82条第1項"),
    "partial": ("保有個人情報の開示をする旨の決定について(通知)", "第82条第1項"),
    "nondisclose": ("保有個人情報の開示をしない旨の決定について(通知)", "第82条第2項"),
    "correct": ("保有個人情報の訂正をする旨の決定について(通知)", "第93条第1項"),
    "not_correct": ("保有個人情報の訂正をしない旨の決定について(通知)", "第93条第2項"),
    "suspend": ("保有個人情報の利用停止をする旨の決定について(通知)", "第101条第1項"),
    "not_suspend": ("保有個人情報の利用停止をしない旨の決定について(通知)", "第101条第2項"),
}
WITHHOLDING = {"partial", "nondisclose", "not_correct", "not_suspend"}  # the reason is printed
STEM = "kaiji-kettei-tsuchisho"
BODY = (
    "{received}付けで受け付けた{kind}(受付番号 {request_no})について、個人情報の保護に関する法律"
    "{article}の規定により、下記のとおり決定しましたので通知します。"
)
REMEDIES = (
    "1 この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、"
    "{reviewer}に対して審査請求をすることができます(行政不服審査法第4条、第18条第1項)。",
    "2 この決定の取消しを求める訴訟は、この決定があったことを知った日の翌日から起算して6か月以内に、"
    "{defendant}を被告として({defendant}を代表する者は{representative}となります。)提起することができます"
    "(行政事件訴訟法第14条第1項、第46条第1項)。ただし、審査請求をした場合には、その裁決があったことを"
    "知った日の翌日から起算して6か月以内に提起することができます。",
)


@dataclass(frozen=True)
class DecisionNoticeData:
    addressee: Addressee
    decision: str  # a key of TITLES
    decision_label: str  # 開示 / 一部開示 / 不開示 / 訂正する / …
    request_no: str
    kind: str  # 開示請求 / 訂正請求 / 利用停止請求
    received_on: date
    decided_on: date
    content: str  # what was requested
    reason: str  # why (printed for a decision that withholds or refuses anything)
    method: str  # 閲覧 / 写しの交付 (a disclosure), else ""
    copy_fee_yen: int  # per page of copies
    agent: str  # "法定代理人 山田 花子" or ""
    reviewer: str  # to whom a 審査請求 goes (the mayor)
    defendant: str  # the city, defendant of an action
    representative: str  # who represents the city (the mayor)
    issued_on: date
    issuer: str
    insurer_name: str
    office: str = ""
    phone: str = ""


def _rows(d: DecisionNoticeData) -> list[list[str]]:
    rows = [["受付番号", d.request_no], ["請求の種類", d.kind], ["請求日", format_wareki(d.received_on)],
            ["決定日", format_wareki(d.decided_on)], ["決定", d.decision_label]]
    if d.decision in ("disclose", "partial"):
        rows.append(["開示の実施方法", d.method or "閲覧又は写しの交付"])
        rows.append(["費用", f"写しの交付は1枚につき{yen(d.copy_fee_yen)}(閲覧は無料)"])
    if d.agent:
        rows.append(["請求者(代理人)", d.agent])
    return rows


def draw(c: Canvas, d: DecisionNoticeData) -> None:
    page_w, page_h = PAGE_SIZE
    title, article = TITLES[d.decision]
    office = letter_head(c, d, title, 14)
    width = page_w - 2 * LEFT
    body = BODY.format(received=format_wareki(d.received_on), kind=d.kind, request_no=d.request_no,
                       article=article)
    y = paragraph(c, LEFT, page_h - 78 * mm, body, 10, width)
    y -= 6 * mm
    heading(c, LEFT, y, "記")
    y -= 4 * mm
    y = grid(c, LEFT, y, [40 * mm, width - 40 * mm], _rows(d), row_h=8 * mm, size=10, header=False)
    y -= 8 * mm
    heading(c, LEFT, y, "請求の内容")  # as written on the request: any length, wrapped
    y = paragraph(c, LEFT, y - 7 * mm, d.content, 10, width)
    if d.decision in WITHHOLDING:
        y -= 8 * mm
        heading(c, LEFT, y, "開示しない部分及びその理由" if d.decision == "partial" else "理由")
        y -= 7 * mm
        y = paragraph(c, LEFT, y, d.reason, 10, width)
    if d.decision in ("disclose", "partial"):
        y = paragraph(c, LEFT, y - 4 * mm, "開示の日時は、下記のお問い合わせ先にご連絡のうえお決めください。"
                      "写しの郵送を希望される場合もお申し出ください。", 9, width)
    y -= 8 * mm
    heading(c, LEFT, y, "教示")
    y -= 7 * mm
    for line in REMEDIES:
        y = paragraph(c, LEFT, y, line.format(reviewer=d.reviewer, defendant=d.defendant,
                                              representative=d.representative), 8.5, width) - 2 * mm
    paragraph(c, LEFT, y - 4 * mm, "ご不明な点は下記のお問い合わせ先までご連絡ください。", 8.5, width,
              color=MUTED)
    footer(c, office, d.phone)


KIND: DocumentKind[DecisionNoticeData] = DocumentKind(STEM, "開示決定等通知書", draw, PAGE_SIZE)
