"""保険料額決定通知書: A4 notice of one insured person's premium for a fiscal year, with the instalment table.

Top: window-envelope address (長形3号, as the 資格確認書) and the sender; then the title, the person, how the
premium was reached (income base × rate, per-capita levy with its reduction, cap, months, rounding; from
FY2026 the child-support levy on its own line), the instalments (特別徴収 / 普通徴収, 期別, month, due
date in 和暦, amount, total) and the guidance with the 審査請求 notice. Helpers used by the 変更通知
(kouki.documents.premium_change_notice) live here too, as do single and batch rendering.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kouki.core.config import city_config
from kouki.documents.data import sender_for
from kouki.documents.drawing import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    TINT,
    WARN,
    field_rows,
    fit,
    paragraph,
    postal,
    text,
    wareki,
    wrap,
)
from kouki.documents.pages import render_pages
from kouki.documents.premium_data import (
    PENSION,
    Addressee,
    InstalmentLine,
    PremiumBreakdown,
    PremiumChangeNoticeData,
    PremiumNoticeData,
)
from kouki.documents.render import RenderedFile
from kouki.rules.wareki import era_of

PAGE_SIZE = A4
LEFT = 18 * mm
TITLE = "後期高齢者医療保険料額決定通知書"
rl_config.useA85 = 0  # binary page streams, as kouki.documents.render

APPEAL = (
    "この決定に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、"
    "埼玉県後期高齢者医療審査会に審査請求をすることができます。"
)
GUIDANCE = (
    "特別徴収の方は、年金の支払日に年金から保険料が差し引かれます。仮徴収(4月・6月・8月)は前年度の"
    "2月の額をもとにした仮の額で、本徴収(10月・12月・2月)で年間保険料額との差を調整します。",
    "普通徴収の方は、同封の納付書で納期限までに金融機関・コンビニエンスストア等でお納めいただくか、"
    "口座振替をご利用ください。",
)


def yen(amount: int) -> str:
    return f"{amount:,}円"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def wareki_year(fiscal_year: int) -> str:
    """令和7年度 (元年 for the first year)."""
    name, year = era_of(date(fiscal_year, 4, 1))
    return f"{name}{'元' if year == 1 else year}年度"


def wareki_calendar_year(year: int) -> str:
    """令和6年 (the income year, 1 January – 31 December)."""
    name, y = era_of(date(year, 12, 31))
    return f"{name}{'元' if y == 1 else y}年"


def wareki_month(year: int, month: int) -> str:
    name, y = era_of(date(year, month, 1))
    return f"{name}{'元' if y == 1 else y}年{month}月"


# --- shared blocks -------------------------------------------------------------------------------


def mailing_block(c: Canvas, a: Addressee, x: float, top: float) -> None:
    """〒, address and 氏名 様 inside a 長形3号 window (90 × 45 mm), as on the 資格確認書."""
    width = 86 * mm
    y = top - 5 * mm
    text(c, x, y, postal(a.postal_code), 11)
    y -= 7 * mm
    for line in wrap(a.address, 11.5, width)[:3]:
        text(c, x, y, line, 11.5)
        y -= 5.6 * mm
    y -= 3 * mm
    fit(c, x + 4 * mm, y, f"{a.name}\u3000様", 15, width - 4 * mm)
    text(c, x, top - 44 * mm, f"宛名番号 {a.addressee_no}", 7, color=MUTED)


def office_of(address: str, office: str) -> str:
    return office or sender_for(address).office


def sender_block(
    c: Canvas,
    *,
    issued_on: date,
    issuer: str,
    insurer_name: str,
    office: str,
    phone: str,
    right: float,
    top: float,
) -> None:
    lines: list[tuple[str, float, Color]] = [
        (f"通知年月日 {wareki(issued_on)}", 9.5, INK),
        (issuer, 9.5, INK),
        (f"(賦課){insurer_name}", 8, MUTED),
        (f"(お問い合わせ先) {office}", 8, MUTED),
    ]
    if phone:
        lines.append((f"電話 {phone}", 8, MUTED))
    y = top - 5 * mm
    for s, size, color in lines:
        text(c, right, y, s, size, color=color, align="right")
        y -= size * 1.7


def heading(c: Canvas, x: float, y: float, s: str) -> None:
    c.setFillColor(ACCENT)
    c.rect(x, y - 0.8 * mm, 1.2 * mm, 4.2 * mm, stroke=0, fill=1)
    text(c, x + 2.6 * mm, y, s, 10.5, color=ACCENT)


def grid(
    c: Canvas,
    x: float,
    top: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    row_h: float,
    size: float,
    header: bool = True,
    align: Sequence[str] = (),
    bold_rows: Iterable[int] = (),
    muted_rows: Iterable[int] = (),
) -> float:
    """A ruled table; row 0 is a tinted header when header=True. Returns the bottom y."""
    total_w = sum(widths)
    bold, muted = set(bold_rows), set(muted_rows)
    c.setLineWidth(0.4)
    y = top
    for r, row in enumerate(rows):
        tinted = (header and r == 0) or r in bold
        if tinted:
            c.setFillColor(TINT)
            c.rect(x, y - row_h, total_w, row_h, stroke=0, fill=1)
        cx = x
        for col, (w, cell) in enumerate(zip(widths, row, strict=True)):
            if not cell:
                cx += w
                continue
            how = "center" if header and r == 0 else (align[col] if col < len(align) else "left")
            color = MUTED if (header and r == 0) or r in muted else INK
            cell_size = size * (0.9 if header and r == 0 else 1.0) * (1.08 if r in bold else 1.0)
            base = y - row_h / 2 - cell_size * 0.35
            if how == "right":
                fit(c, cx + w - 1.5 * mm, base, cell, cell_size, w - 3 * mm, color=color, align="right")
            elif how == "center":
                fit(c, cx + w / 2, base, cell, cell_size, w - 2 * mm, color=color, align="center")
            else:
                fit(c, cx + 1.5 * mm, base, cell, cell_size, w - 3 * mm, color=color)
            cx += w
        y -= row_h
        c.setStrokeColor(RULE)
        c.line(x, y, x + total_w, y)
    c.rect(x, y, total_w, top - y, stroke=1, fill=0)
    cx = x
    for w in widths[:-1]:
        cx += w
        c.line(cx, top, cx, y)
    return y


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


def instalment_rows(lines: Sequence[InstalmentLine], *, status: bool = False) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in lines:
        due = wareki(line.due_date) + ("(支払日)" if line.method == PENSION else "")
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


def footer(c: Canvas, office: str, phone: str) -> None:
    page_w = PAGE_SIZE[0]
    tel = f"  電話 {phone}" if phone else ""
    fit(
        c,
        page_w / 2,
        10 * mm,
        f"お問い合わせ先 {office}{tel}",
        8,
        page_w - 2 * LEFT,
        color=MUTED,
        align="center",
    )


def person_rows(insured_no: str, name: str, fiscal_year: int, issued_on: date) -> list[Any]:
    return [
        ("被保険者番号", insured_no, "年度", wareki_year(fiscal_year)),
        ("氏名", name, "通知年月日", wareki(issued_on)),
    ]


# --- the notice ----------------------------------------------------------------------------------


def letter_head(c: Canvas, data: PremiumNoticeData | PremiumChangeNoticeData, title: str, size: float) -> str:
    """The window-envelope address, the sender and the title shared by both notices; returns the office."""
    page_w, page_h = PAGE_SIZE
    office = office_of(data.addressee.address, data.office)
    mailing_block(c, data.addressee, 25 * mm, page_h - 14 * mm)
    sender_block(
        c,
        issued_on=data.issued_on,
        issuer=data.issuer,
        insurer_name=data.insurer_name,
        office=office,
        phone=data.phone,
        right=page_w - 16 * mm,
        top=page_h - 14 * mm,
    )
    text(c, page_w / 2, page_h - 67 * mm, f"{wareki_year(data.fiscal_year)} {title}", size, align="center")
    return office


def draw(c: Canvas, data: PremiumNoticeData) -> None:
    """One page for one person (the caller ends the page)."""
    page_w, page_h = PAGE_SIZE
    office = letter_head(c, data, TITLE, 16)
    width = page_w - 2 * LEFT
    y = paragraph(
        c,
        LEFT,
        page_h - 76 * mm,
        f"あなたの{wareki_year(data.fiscal_year)}の後期高齢者医療保険料額を、次のとおり決定しましたので"
        "通知します。",
        9.5,
        width,
    )
    y = field_rows(
        c,
        LEFT,
        y + 1.5 * mm,
        width,
        person_rows(data.insured_no, data.addressee.name, data.fiscal_year, data.issued_on),
        row_h=6.3 * mm,
        label_w=28 * mm,
        label_size=8.5,
        value_size=10,
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


# --- rendering -----------------------------------------------------------------------------------


def _kinds() -> dict[str, tuple[Callable[[Canvas, Any], None], str, str]]:
    from kouki.documents import premium_change_notice  # (imports this module's helpers)

    return {
        # kind: (draw, file stem, PDF title)
        "notice": (draw, "hokenryo-kettei-tsuchisho", TITLE),
        "change": (premium_change_notice.draw, "hokenryo-henko-tsuchisho", premium_change_notice.TITLE),
    }


def file_stem(kind: str) -> str:
    return _kinds()[kind][1]


def render_pdf(kind: str, items: Iterable[Any]) -> bytes:
    """kind "notice" (PremiumNoticeData) or "change" (PremiumChangeNoticeData): one page each, one PDF."""
    draw_page, _stem, title = _kinds()[kind]
    return render_pages(draw_page, items, title, pagesize=PAGE_SIZE)


def render_notices(items: Iterable[PremiumNoticeData]) -> bytes:
    return render_pdf("notice", items)


def _render_part(kind: str, items: Sequence[Any], path: str) -> tuple[str, int]:
    pdf = render_pdf(kind, items)
    tmp = Path(path + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    return hashlib.sha256(pdf).hexdigest(), len(items)


def render_premium_batch(
    kind: str,
    items: Sequence[Any],
    out_dir: Path,
    stem: str | None = None,
    *,
    workers: int | None = None,
    part_size: int = 2_500,
) -> list[RenderedFile]:
    """out_dir/<stem>-NNN.pdf files of at most part_size pages, rendered by `workers` processes."""
    if not items:
        return []
    stem = stem or file_stem(kind)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    part_size = max(1, min(part_size, -(-len(items) // workers)))
    starts = list(range(0, len(items), part_size))
    paths = [out_dir / f"{stem}-{n:03d}.pdf" for n in range(1, len(starts) + 1)]
    if min(workers, len(starts)) <= 1:
        results = [
            _render_part(kind, items[s : s + part_size], str(p)) for s, p in zip(starts, paths, strict=True)
        ]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            futures = [
                pool.submit(_render_part, kind, items[s : s + part_size], str(p))
                for s, p in zip(starts, paths, strict=True)
            ]
            results = [f.result() for f in futures]
    return [
        RenderedFile(path=p, sha256=sha, pages=n, first_index=s)
        for (sha, n), p, s in zip(results, paths, starts, strict=True)
    ]


def default_issuer() -> str:
    """The notice is sent by the city (it collects); the union assessed. Settings may rename both."""
    return city_config().issuer
