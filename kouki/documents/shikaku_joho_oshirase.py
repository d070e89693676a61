"""資格情報のお知らせ: A4 notice for holders of a マイナ保険証, with a card-size carry slip.

It tells the insured person their eligibility data; it cannot be used alone to see a doctor (the
マイナ保険証 is shown; the notice helps when the card cannot be read). Top: window-envelope address
and sender; middle: the data table and the guidance; bottom: a slip to cut out and keep with the card.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.data import CertificateData
from kouki.documents.drawing import (
    ACCENT,
    MUTED,
    WARN,
    WARN_TINT,
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

TITLE = "資格情報のお知らせ"
PAGE_SIZE = A4
CANNOT_USE_ALONE = "このお知らせだけでは、医療機関等を受診することはできません。"
SLIP_W = 85.6 * mm
SLIP_H = 54.0 * mm

GUIDANCE = (
    "受診するときは、マイナ保険証(健康保険証として利用登録したマイナンバーカード)を医療機関や薬局の"
    "窓口で提示してください。",
    "機器の不具合などでマイナ保険証による資格確認ができないときは、マイナ保険証とこのお知らせを"
    "あわせて提示してください。",
    "マイナ保険証の利用登録の解除を希望する方、マイナンバーカードを紛失・更新中の方、介助が必要な方"
    "などは、申請により資格確認書の交付を受けられます。",
    "ご自身の資格情報や負担割合は、マイナポータルでも確認できます。",
)


def notice_rows(data: CertificateData) -> list[Row]:
    return [
        ("被保険者番号", data.insured_no),
        ("氏名", data.name),
        ("フリガナ", data.name_kana),
        ("生年月日", format_wareki(data.birth_date), "性別", sex_label(data.sex)),
        ("住所", data.address),
        ("資格取得年月日", format_wareki(data.acquired_on)),
        copay_row(data),
        ("負担割合の適用期間",
         f"{format_wareki(data.valid_from)} から {format_wareki(data.valid_until)} まで"),
        ("保険者番号", data.insurer_no, "交付年月日", format_wareki(data.issued_on)),
        ("保険者の名称", data.insurer_name),
    ]


def slip_rows(data: CertificateData) -> list[Row]:
    return [
        ("被保険者番号", data.insured_no),
        ("氏名", data.name),
        ("生年月日", format_wareki(data.birth_date)),
        ("一部負担金の割合", copay_label(data.copay_rate)),
        ("保険者番号", data.insurer_no),
        ("交付年月日", format_wareki(data.issued_on)),
    ]


def draw_slip(c: Canvas, data: CertificateData, x: float, y: float) -> None:
    band = 6 * mm
    c.setFillColor(ACCENT)
    c.rect(x, y + SLIP_H - band, SLIP_W, band, stroke=0, fill=1)
    text(c, x + 2.5 * mm, y + SLIP_H - band + 1.9 * mm, "資格情報のお知らせ(携帯用)", 8, color=white)
    inset = 1.8 * mm
    bottom = field_rows(c, x + inset, y + SLIP_H - band - 1.4 * mm, SLIP_W - 2 * inset, slip_rows(data),
                        row_h=5.0 * mm, label_w=22 * mm, label_size=5.6, value_size=7.8)
    fit(c, x + SLIP_W / 2, y + (bottom - y) / 2 - 1.6 * mm, "※これだけでは受診できません", 6.5,
        SLIP_W - 4 * mm, color=WARN, align="center")


def draw(c: Canvas, data: CertificateData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    sender = certificate_head(c, data)

    left = 18 * mm
    width = page_w - 2 * left
    text(c, page_w / 2, page_h - 68 * mm, TITLE, 18, align="center")
    text(c, page_w / 2, page_h - 74.5 * mm, "後期高齢者医療制度", 9.5, color=MUTED, align="center")
    y = paragraph(c, left, page_h - 83 * mm,
                  "後期高齢者医療の資格情報をお知らせします。記載内容をご確認のうえ、大切に保管してください。",
                  10, width)
    top = y + 1 * mm
    y = field_rows(c, left, top, width, notice_rows(data), row_h=6.3 * mm, label_w=38 * mm, label_size=8.5,
                   value_size=10.5, tall={4: 9 * mm})

    box_top = y - 4.5 * mm
    box_h = 10 * mm
    c.setFillColor(WARN_TINT)
    c.setStrokeColor(WARN)
    c.setLineWidth(1.2)
    c.rect(left, box_top - box_h, width, box_h, stroke=1, fill=1)
    text(c, page_w / 2, box_top - box_h / 2 - 4.3, CANNOT_USE_ALONE, 12.5, color=WARN, align="center")

    y = box_top - box_h - 6 * mm
    for g in GUIDANCE:
        y = paragraph(c, left + 1 * mm, y, g, 9.3, width - 1 * mm, indent="・")
        y -= 0.6 * mm

    slip_x = left
    slip_y = 21 * mm
    cut_frame(c, slip_x, slip_y, SLIP_W, SLIP_H)
    draw_slip(c, data, slip_x, slip_y)
    note_x = slip_x + SLIP_W + 6 * mm
    note_w = page_w - left - note_x
    ny = slip_y + SLIP_H - 4 * mm
    text(c, note_x, ny, "携帯用の切り取り部分について", 9, color=ACCENT)
    ny -= 6 * mm
    for s in ("左の部分をきりとり線に沿って切り取り、マイナ保険証と一緒にお持ちください。",
              "この部分だけでも受診はできません。",
              "負担割合が変わったときは、新しいお知らせをお送りします。"):
        ny = paragraph(c, note_x, ny, s, 8.3, note_w, indent="・", color=MUTED)
    phone = f"  電話 {sender.phone}" if sender.phone else ""
    fit(c, page_w / 2, 12 * mm, f"お問い合わせ先 {sender.office}{phone}", 8, width, color=MUTED,
        align="center")


# A certificate batch (the union's whole issue file) is cut into files of 5,000 pages, split for the
# workers only into parts of at least 1,000 (smaller parts would only add files).
KIND: DocumentKind[CertificateData] = DocumentKind(
    "shikaku-joho-oshirase", TITLE, draw, PAGE_SIZE, part_size=5_000, min_part=1_000
)
