"""資格確認書: an A4 mailing sheet carrying the card (front and back side by side, cut out and folded).

Top: the address for a window envelope and the sender; middle: what the certificate is and how to use
it; bottom: the card, ID-1 size (85.6 × 54 mm) front | back, inside a dashed cut line with a fold line
between the two faces.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.data import CertificateData, sender_for
from kouki.documents.drawing import (
    ACCENT,
    MUTED,
    RULE,
    Row,
    copay_label,
    copay_row,
    cut_frame,
    field_rows,
    fit,
    paragraph,
    sex_label,
    text,
)
from kouki.documents.letter import certificate_head
from kouki.documents.pages import DocumentKind
from kouki.rules.wareki import format_wareki

TITLE = "後期高齢者医療資格確認書"
PAGE_SIZE = A4
CARD_W = 85.6 * mm
CARD_H = 54.0 * mm

BACK_NOTES = (
    "医療機関等で受診するときは、この資格確認書を窓口で提示してください。",
    "有効期限を過ぎたとき、または資格がなくなったときは使用できません。すみやかに区役所へ返してください。",
    "住所や氏名が変わったときは、14日以内に区役所へ届け出てください。",
    "不正に使用した者は、法律により罰せられます。",
    "紛失したとき、破れたときは区役所で再交付を申請してください。",
)


def card_rows(data: CertificateData) -> list[Row]:
    return [
        ("被保険者番号", data.insured_no),
        ("住所", data.address),
        ("氏名", data.name),
        ("生年月日", format_wareki(data.birth_date), "性別", sex_label(data.sex)),
        ("資格取得年月日", format_wareki(data.acquired_on)),
        ("発効期日", format_wareki(data.valid_from), "交付年月日", format_wareki(data.issued_on)),
        copay_row(data),
        ("保険者番号", data.insurer_no),
        ("保険者の名称", data.insurer_name),
    ]


def draw_card_front(c: Canvas, data: CertificateData, x: float, y: float) -> None:
    band = 6.2 * mm
    c.setFillColor(ACCENT)
    c.rect(x, y + CARD_H - band, CARD_W, band, stroke=0, fill=1)
    text(c, x + 2.5 * mm, y + CARD_H - band + 1.9 * mm, TITLE, 8.8, color=white)
    text(c, x + CARD_W - 2.2 * mm, y + CARD_H - band + 2.0 * mm,
         f"有効期限 {format_wareki(data.valid_until)}", 6.2, color=white, align="right")
    inset = 1.8 * mm
    field_rows(c, x + inset, y + CARD_H - band - 1.4 * mm, CARD_W - 2 * inset, card_rows(data),
               row_h=4.35 * mm, label_w=19 * mm, label_size=5.2, value_size=7.2, tall={1: 6.6 * mm})


def draw_card_back(c: Canvas, data: CertificateData, x: float, y: float) -> None:
    pad = 3 * mm
    top = y + CARD_H - pad - 2.2 * mm
    text(c, x + pad, top, "注意事項", 7.5, color=ACCENT)
    line_y = top - 4.2 * mm
    for i, note in enumerate(BACK_NOTES, start=1):
        line_y = paragraph(c, x + pad, line_y, note, 5.6, CARD_W - 2 * pad, leading=1.4,
                           color=MUTED, indent=f"{i}. ")
        line_y -= 0.6 * mm
    box_h = 10 * mm
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.rect(x + pad, y + pad, CARD_W - 2 * pad, box_h, stroke=1, fill=0)
    text(c, x + pad + 1 * mm, y + pad + box_h - 3 * mm, "備考", 5.2, color=MUTED)
    fit(c, x + CARD_W - pad - 1 * mm, y + pad + 1.5 * mm, f"保険者 {data.insurer_name}", 5.6,
        CARD_W - 2 * pad - 8 * mm, color=MUTED, align="right")


def draw(c: Canvas, data: CertificateData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    certificate_head(c, data)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.8)
    c.rect(page_w - 16 * mm - 48 * mm, page_h - 52 * mm, 48 * mm, 9 * mm, stroke=1, fill=0)
    text(c, page_w - 16 * mm - 24 * mm, page_h - 48.8 * mm, "資格確認書在中", 11, color=ACCENT,
         align="center")

    left = 20 * mm
    width = page_w - 2 * left
    text(c, page_w / 2, page_h - 78 * mm, "後期高齢者医療 資格確認書をお送りします", 15, align="center")
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.line(left, page_h - 82 * mm, page_w - left, page_h - 82 * mm)
    y = page_h - 91 * mm
    y = paragraph(c, left, y, (
        f"{data.name} 様の後期高齢者医療の資格確認書をお送りします。下の資格確認書を「きりとり線」に沿って"
        "切り取り、中央の線で山折りにしてお使いください。"), 10.5, width)
    y -= 2 * mm
    bullets = (
        f"有効期限は{format_wareki(data.valid_until)}です。医療機関や薬局の窓口で提示してください。",
        f"窓口でお支払いいただく一部負担金の割合は{copay_label(data.copay_rate)}です。",
        "マイナ保険証(健康保険証として利用登録したマイナンバーカード)をお持ちの方も、この資格確認書で"
        "受診できます。",
        "記載内容に誤りがあるとき、紛失したとき、住所や氏名が変わったときは、お住まいの区の区役所 保険年金課"
        "にお申し出ください。",
    )
    for b in bullets:
        y = paragraph(c, left + 2 * mm, y, b, 10, width - 2 * mm, indent="・")
        y -= 1 * mm
    if data.limit_category:
        y = paragraph(c, left + 2 * mm, y, f"申請により、適用区分({data.limit_category})を併記しています。",
                      10, width - 2 * mm, indent="・")

    card_x = (page_w - 2 * CARD_W) / 2
    card_y = 52 * mm
    cut_frame(c, card_x, card_y, 2 * CARD_W, CARD_H)
    c.saveState()
    c.setDash(1, 1.5)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.line(card_x + CARD_W, card_y - 3 * mm, card_x + CARD_W, card_y + CARD_H + 3 * mm)
    c.restoreState()
    text(c, card_x + CARD_W, card_y + CARD_H + 4.2 * mm, "山折り線", 6.5, color=MUTED, align="center")
    text(c, card_x + CARD_W / 2, card_y - 4.5 * mm, "表面", 7, color=MUTED, align="center")
    text(c, card_x + 1.5 * CARD_W, card_y - 4.5 * mm, "裏面", 7, color=MUTED, align="center")
    draw_card_front(c, data, card_x, card_y)
    draw_card_back(c, data, card_x + CARD_W, card_y)
    contact_box(c, data, left, 14 * mm, width)


def contact_box(c: Canvas, data: CertificateData, x: float, y: float, w: float) -> None:
    sender = sender_for(data.address)
    h = 17 * mm
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.rect(x, y, w, h, stroke=1, fill=0)
    text(c, x + 4 * mm, y + h - 6 * mm, "お問い合わせ先", 9, color=ACCENT)
    phone = f"  電話 {sender.phone}" if sender.phone else ""
    text(c, x + 32 * mm, y + h - 6 * mm, f"{sender.office}{phone}", 9.5)
    text(c, x + 32 * mm, y + h - 12 * mm, f"保険者 {data.insurer_name}(保険者番号 {data.insurer_no})", 8.5,
         color=MUTED)


# A certificate batch (the union's whole issue file) is cut into files of 5,000 pages, split for the
# workers only into parts of at least 1,000 (smaller parts would only add files).
KIND: DocumentKind[CertificateData] = DocumentKind(
    "shikaku-kakuninsho", TITLE, draw, PAGE_SIZE, part_size=5_000, min_part=1_000
)
