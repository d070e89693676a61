"""The parts the two premium notices share: the person's rows and the instalment table.

Used by the 保険料額決定通知書 (kouki.documents.premium_notice) and its 変更通知
(kouki.documents.premium_change_notice); the letter around them is kouki.documents.letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.drawing import Row
from kouki.documents.letter import grid
from kouki.documents.premium_data import PENSION, InstalmentLine
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_month, wareki_year


def person_rows(insured_no: str, name: str, fiscal_year: int, issued_on: date) -> list[Row]:
    return [
        ("被保険者番号", insured_no, "年度", wareki_year(fiscal_year)),
        ("氏名", name, "通知年月日", format_wareki(issued_on)),
    ]


def instalment_rows(lines: Sequence[InstalmentLine], *, status: bool = False) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in lines:
        due = format_wareki(line.due_date) + ("(支払日)" if line.method == PENSION else "")
        row = [line.method_label, line.period, wareki_month(line.year, line.month), due, yen(line.amount)]
        if status:
            row.append("納期到来分" if line.settled else "今後")
        rows.append(row)
    return rows


def draw_instalments(
    c: Canvas,
    x: float,
    top: float,
    width: float,
    lines: Sequence[InstalmentLine],
    *,
    total_label: str,
    status: bool = False,
    row_h: float = 5.9 * mm,
) -> float:
    """The instalment table (徴収方法, 期別, 月, 納期限, 金額 and, with status, 区分) with its total row;
    settled instalments greyed. Returns the bottom y."""
    widths = [24 * mm, 22 * mm, 32 * mm, 0.0, 30 * mm]
    header = ["徴収方法", "期別", "月", "納期限・年金支払日", "金額"]
    if status:
        widths.append(22 * mm)
        header.append("区分")
    widths[3] = width - sum(widths)
    rows = [header, *instalment_rows(lines, status=status)]
    total = ["", "", "", total_label, yen(sum(line.amount for line in lines))]
    if status:
        total.append("")
    rows.append(total)
    settled_rows = [i + 1 for i, line in enumerate(lines) if line.settled]
    align = ["center", "center", "left", "left", "right", "center"]
    return grid(
        c,
        x,
        top,
        widths,
        rows,
        row_h=row_h,
        size=8.8,
        align=align,
        bold_rows=[len(rows) - 1],
        muted_rows=settled_rows,
    )
