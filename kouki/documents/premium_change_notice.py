"""保険料額変更決定通知書 (変更通知): after a reassessment (更正), old vs new amounts and what is left to pay.

Same letter (kouki.documents.letter) and tables (kouki.documents.premium_tables) as the 保険料額決定通知書
(kouki.documents.premium_notice). Body: the reason and date of the change; a 変更前 / 変更後 / 差額 table of
how the premium is reached; the year's instalments after re-planning (those already due, unchanged and
greyed, and the re-planned remaining ones); any overpayment (過誤納金) to be refunded or set off, and
whether pension deduction stopped.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import MUTED, WARN, WARN_TINT, paragraph, text
from kouki.documents.letter import APPEAL, LEFT, PAGE_SIZE, footer, grid, heading, intro, letter_head
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import PENSION, PremiumBreakdown, PremiumChangeNoticeData
from kouki.documents.premium_tables import draw_instalments, person_rows
from kouki.rules.formatting import percent, signed_yen, yen
from kouki.rules.wareki import format_wareki, wareki_year

TITLE = "後期高齢者医療保険料額変更決定通知書"


def comparison_rows(old: PremiumBreakdown, new: PremiumBreakdown) -> list[list[str]]:
    """(項目, 変更前, 変更後, 差額) rows."""

    def rate(b: PremiumBreakdown) -> str:
        return "—" if b.income_levy_rate is None else percent(b.income_levy_rate)

    rows = [
        [
            "総所得金額等",
            yen(old.total_income),
            yen(new.total_income),
            signed_yen(new.total_income - old.total_income),
        ],
        [
            "賦課のもととなる所得金額",
            yen(old.income_base),
            yen(new.income_base),
            signed_yen(new.income_base - old.income_base),
        ],
        ["所得割率", rate(old), rate(new), ""],
        [
            "所得割額",
            yen(old.income_levy),
            yen(new.income_levy),
            signed_yen(new.income_levy - old.income_levy),
        ],
        [
            "均等割額(軽減)",
            f"{yen(old.per_capita_levy)}({old.reduction_label})",
            f"{yen(new.per_capita_levy)}({new.reduction_label})",
            signed_yen(new.per_capita_levy - old.per_capita_levy),
        ],
        ["賦課月数", f"{old.months}か月", f"{new.months}か月", ""],
        [
            "年間保険料額",
            yen(old.annual_premium),
            yen(new.annual_premium),
            signed_yen(new.annual_premium - old.annual_premium),
        ],
    ]
    if new.child_support_levy is not None or old.child_support_levy is not None:
        o, n = old.child_support_levy or 0, new.child_support_levy or 0
        rows.append(["子ども・子育て支援金", yen(o), yen(n), signed_yen(n - o)])
        rows.append(
            ["合計", yen(old.amount_due), yen(new.amount_due), signed_yen(new.amount_due - old.amount_due)]
        )
    return rows


def draw(c: Canvas, data: PremiumChangeNoticeData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, data, f"{wareki_year(data.fiscal_year)} {TITLE}", 15)
    width = page_w - 2 * LEFT
    rows = [
        *person_rows(data.insured_no, data.addressee.name, data.fiscal_year, data.issued_on),
        ("変更の理由", data.reason, "変更年月日", format_wareki(data.changed_on)),
    ]
    y = intro(
        c,
        page_h - 75.5 * mm,
        f"{wareki_year(data.fiscal_year)}の後期高齢者医療保険料額を、次のとおり変更しましたので通知します。",
        rows,
        row_h=6.1 * mm,
        value_size=9.5,
    )

    y -= 6.5 * mm
    heading(c, LEFT, y, "変更前と変更後の保険料")
    table = [["項目", "変更前", "変更後", "差額"], *comparison_rows(data.old, data.new)]
    strong = [i for i, row in enumerate(table) if row[0] in ("年間保険料額", "合計")]
    col = (width - 46 * mm) / 3
    y = grid(
        c,
        LEFT,
        y - 3 * mm,
        [46 * mm, col + 8 * mm, col + 8 * mm, col - 16 * mm],
        table,
        row_h=5.9 * mm,
        size=8.8,
        align=["left", "right", "right", "right"],
        bold_rows=strong,
    )

    y -= 6.5 * mm
    heading(c, LEFT, y, "変更後の納期と納めていただく額")
    summary = (
        f"変更後の年間の額 {yen(data.new.amount_due)} のうち、納期が到来した分 {yen(data.settled)}、"
        f"今後の納期の分 {yen(data.remaining)}"
    )
    y = paragraph(c, LEFT + 1 * mm, y - 5.5 * mm, summary, 8.6, width - 1 * mm)
    y = draw_instalments(
        c,
        LEFT,
        y + 1.5 * mm,
        width,
        data.instalments,
        total_label="合計(納期到来分を含む)",
        status=True,
        row_h=5.4 * mm,
    )

    notes: list[str] = []
    if data.pension_stopped:
        notes.append(
            "保険料額が変わったため、年金からの差し引き(特別徴収)を中止しました。残りの額は普通徴収"
            "(納付書または口座振替)でお納めください。"
        )
        kept = [line for line in data.instalments if line.method == PENSION and not line.settled]
        if kept:
            months = "・".join(f"{line.month}月" for line in kept)
            notes.append(
                f"ただし、年金の支払者へ既に通知している{months}の年金からの差し引きは、中止が間に合わないため"
                "そのまま行われます。納め過ぎとなった額はお返し(還付)するか、未納の保険料に充てます。"
            )
    if data.overpayment:
        y -= 4 * mm
        box_h = 10 * mm
        c.setFillColor(WARN_TINT)
        c.setStrokeColor(WARN)
        c.setLineWidth(1)
        c.rect(LEFT, y - box_h, width, box_h, stroke=1, fill=1)
        text(c, LEFT + 3 * mm, y - 4.3 * mm, f"過誤納金 {yen(data.overpayment)}", 10.5, color=WARN)
        text(
            c,
            LEFT + 3 * mm,
            y - 8.3 * mm,
            "納めすぎの額です。未納の保険料があれば充当し、残りは後日「還付通知書」でお知らせしてお返しします。",
            7.8,
            color=WARN,
        )
        y -= box_h
    y -= 4.5 * mm
    for g in (*notes, APPEAL):
        y = paragraph(
            c, LEFT + 1 * mm, y, g, 8.2, width - 1 * mm, indent="・", color=WARN if g in notes else MUTED
        )
        y -= 0.4 * mm
    footer(c, office, data.phone)


KIND: DocumentKind[PremiumChangeNoticeData] = DocumentKind("hokenryo-henko-tsuchisho", TITLE, draw, PAGE_SIZE)
