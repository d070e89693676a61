"""保険料額決定通知書: A4 notice of one insured person's premium for a fiscal year, with the instalment table.

Top: window-envelope address (長形3号, as the 資格確認書) and the sender (kouki.documents.letter); then the
title, the person, how the premium was reached (income base × rate, per-capita levy with its reduction, cap,
months, rounding; from FY2026 the child-support levy on its own line), the instalments (特別徴収 / 普通徴収,
期別, month, due date in 和暦, amount, total; kouki.documents.premium_tables) and the guidance with the
審査請求 notice. Rendered through `KIND` (kouki.documents.render).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, WARN, paragraph, text
from kouki.documents.letter import APPEAL, LEFT, PAGE_SIZE, footer, grid, heading, intro, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import PremiumBreakdown, PremiumNoticeData
from kouki.documents.premium_tables import draw_instalments, person_rows
from kouki.rules.formatting import percent, yen
from kouki.rules.wareki import wareki_calendar_year, wareki_year

TITLE = "後期高齢者医療保険料額決定通知書"
GUIDANCE = (
    "特別徴収の方は、年金の支払日に年金から保険料が差し引かれます。仮徴収(4月・6月・8月)は前年度の"
    "2月の額をもとにした仮の額で、本徴収(10月・12月・2月)で年間保険料額との差を調整します。",
    "普通徴収の方は、同封の納付書で納期限までに金融機関・コンビニエンスストア等でお納めいただくか、"
    "口座振替をご利用ください。",
)


def calculation_rows(b: PremiumBreakdown, fiscal_year: int) -> list[tuple[str, str, str]]:
    """(項目, 計算の内容, 金額) rows of how the premium was reached."""
    income_year = fiscal_year - 1
    if b.income_levy_rate is None:
        income_row = ("所得割額", "被扶養者軽減の対象のため、所得割はかかりません", yen(0))
    else:
        income_row = (
            "所得割額",
            f"{yen(b.income_base)} × 所得割率 {percent(b.income_levy_rate)}",
            yen(b.income_levy),
        )
    per_capita = f"{yen(b.per_capita_levy_full)}({b.reduction_label})"
    if b.per_capita_note:
        per_capita += f"、{b.per_capita_note}"
    rows = [
        (
            "総所得金額等",
            f"{wareki_calendar_year(income_year)}中の所得(公的年金等・給与・その他の所得の合計)",
            yen(b.total_income),
        ),
        ("賦課のもととなる所得金額", f"総所得金額等 − 基礎控除 {yen(b.basic_deduction)}", yen(b.income_base)),
        income_row,
        ("均等割額", per_capita, yen(b.per_capita_levy)),
        ("賦課限度額", "所得割額と均等割額の合計の上限(年額)", yen(b.annual_cap)),
        (
            "年間保険料額",
            f"(所得割額 + 均等割額、限度額まで) × {b.months}/12か月、端数切り捨て",
            yen(b.annual_premium),
        ),
    ]
    if b.child_support_levy is not None:
        rows.append(
            ("子ども・子育て支援金", "保険料とあわせて納めていただく額(年額)", yen(b.child_support_levy))
        )
        rows.append(("合計", "年間保険料額 + 子ども・子育て支援金", yen(b.amount_due)))
    return rows


def draw(c: Canvas, data: PremiumNoticeData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, data, f"{wareki_year(data.fiscal_year)} {TITLE}", 16)
    width = page_w - 2 * LEFT
    y = intro(
        c,
        page_h - 76 * mm,
        f"あなたの{wareki_year(data.fiscal_year)}の後期高齢者医療保険料額を、次のとおり決定しましたので"
        "通知します。",
        person_rows(data.insured_no, data.addressee.name, data.fiscal_year, data.issued_on),
    )

    y -= 7 * mm
    heading(c, LEFT, y, "保険料の計算")
    calc = [("項目", "計算の内容", "金額"), *calculation_rows(data.breakdown, data.fiscal_year)]
    strong = [i for i, row in enumerate(calc) if row[0] in ("年間保険料額", "合計")]
    y = grid(
        c,
        LEFT,
        y - 3 * mm,
        [44 * mm, width - 44 * mm - 32 * mm, 32 * mm],
        calc,
        row_h=6.6 * mm,
        size=9,
        align=["left", "left", "right"],
        bold_rows=strong,
    )

    y -= 7 * mm
    heading(c, LEFT, y, "納期と納めていただく額")
    y = draw_instalments(c, LEFT, y - 3 * mm, width, data.instalments, total_label="合計")
    if data.overpayment:
        y -= 4.5 * mm
        text(
            c,
            LEFT + 1 * mm,
            y,
            f"仮徴収額が年間の額を {yen(data.overpayment)} 上回りました。この額はお返しします"
            "(後日「還付通知書」でお知らせします)。",
            8.6,
            color=WARN,
        )

    y -= 5 * mm
    for g in (*GUIDANCE, APPEAL):
        y = paragraph(c, LEFT + 1 * mm, y, g, 8.2, width - 1 * mm, indent="・", color=MUTED)
        y -= 0.4 * mm
    footer(c, office, data.phone)


KIND: DocumentKind[PremiumNoticeData] = DocumentKind("hokenryo-kettei-tsuchisho", TITLE, draw, PAGE_SIZE)
