"""Canvas helpers shared by the documents: text that fits, wrapping, label | value rows, the card frame.

All positions are in points from the bottom-left corner (reportlab's convention); `mm` converts.
Drawing is canvas-level (no platypus) so a batch of many thousand pages stays fast.
"""

from __future__ import annotations

from functools import cache, lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.data import CertificateData
from kouki.documents.fonts import GOTHIC

INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
RULE = HexColor("#8a8a8a")
ACCENT = HexColor("#1d4f91")
TINT = HexColor("#eef2f7")
WARN = HexColor("#b42318")
WARN_TINT = HexColor("#fdf1f0")

Row = tuple[str, str] | tuple[str, str, str, str]  # label | value, or two label | value pairs
COPAY_LABELS = {10: "1割", 20: "2割", 30: "3割"}
SEX_LABELS = {"1": "男", "2": "女"}


@cache
def _char_units(ch: str) -> float:
    """Advance width of one character in 1/1000 em (the embedded TrueType font has no kerning)."""
    face = getFont(GOTHIC).face  # type: ignore[attr-defined]  # (a TTFont; the stub types Font)
    return float(face.charWidths.get(ord(ch), face.defaultWidth))


def width_of(s: str, size: float) -> float:
    """stringWidth for our font, from cached per-character widths (much faster on long batches)."""
    return sum(_char_units(ch) for ch in s) * size / 1000


def copay_label(rate: int) -> str:
    try:
        return COPAY_LABELS[rate]
    except KeyError:
        raise ValueError(f"負担割合 {rate}% は 10/20/30 のいずれかです") from None


def copay_row(data: CertificateData) -> Row:
    """一部負担金の割合, with the 適用区分 beside it when the certificate prints one."""
    if data.limit_category:
        return ("一部負担金の割合", copay_label(data.copay_rate), "適用区分", data.limit_category)
    return ("一部負担金の割合", copay_label(data.copay_rate))


def sex_label(sex: str) -> str:
    return SEX_LABELS.get(sex, "")


def postal(code: str) -> str:
    return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 else f"〒{code}"


def text(c: Canvas, x: float, y: float, s: str, size: float, *, color: Color = INK,
         align: str = "left") -> None:
    c.setFont(GOTHIC, size)
    c.setFillColor(color)
    if align == "right":
        c.drawRightString(x, y, s)
    elif align == "center":
        c.drawCentredString(x, y, s)
    else:
        c.drawString(x, y, s)


def fit(c: Canvas, x: float, y: float, s: str, size: float, width: float, *, color: Color = INK,
        align: str = "left", min_size: float = 4.5) -> None:
    """Draw on one line, shrinking the size (down to min_size) until the text fits the width."""
    while size > min_size and width_of(s, size) > width:
        size -= 0.25
    text(c, x, y, s, size, color=color, align=align)


@lru_cache(maxsize=8192)
def wrap(s: str, size: float, width: float) -> list[str]:
    """Break Japanese text into lines of at most `width` (character by character; no line starts with
    a closing mark such as 。、). Cached: the fixed texts of a document are wrapped once per process."""
    closing = "、。)」』】〕,.・ー"
    lines: list[str] = []
    line = ""
    used = 0.0
    for ch in s:
        if ch == "\n":
            lines.append(line)
            line, used = "", 0.0
            continue
        w = _char_units(ch) * size / 1000
        if line and used + w > width and ch not in closing:
            lines.append(line)
            line, used = ch, w
        else:
            line += ch
            used += w
    if line:
        lines.append(line)
    return lines


def paragraph(c: Canvas, x: float, y: float, s: str, size: float, width: float, *, leading: float = 1.55,
              color: Color = INK, indent: str = "") -> float:
    """Draw wrapped text from baseline y downward; returns the baseline below the last line.

    `indent` (e.g. "・") hangs: continuation lines start under the text, not under the mark.
    """
    hang = width_of(indent, size) if indent else 0.0
    for i, line in enumerate(wrap(s, size, width - hang)):
        if i == 0 and indent:
            text(c, x, y, indent, size, color=color)
        text(c, x + hang, y, line, size, color=color)
        y -= size * leading
    return y


def cut_frame(c: Canvas, x: float, y: float, w: float, h: float, label: str = "きりとり線") -> None:
    """A dashed cut line 1.5 mm outside a card, with a small label above its top-left corner."""
    gap = 1.5 * mm
    x, y, w, h = x - gap, y - gap, w + 2 * gap, h + 2 * gap
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.setDash(3, 2)
    c.roundRect(x, y, w, h, 2.5 * mm, stroke=1, fill=0)
    c.restoreState()
    text(c, x + 1 * mm, y + h + 1.6 * mm, label, 6.5, color=MUTED)


def field_rows(c: Canvas, x: float, top: float, w: float, rows: list[Row], *, row_h: float, label_w: float,
               label_size: float, value_size: float, tall: dict[int, float] | None = None) -> float:
    """A table of label | value rows with hairlines; a 4-tuple row splits into two label | value pairs.

    `tall` maps a row index to its own height; a tall row wraps its value over several lines.
    Returns the y of the table's bottom edge.
    """
    tall = tall or {}
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    y = top
    for i, row in enumerate(rows):
        h = tall.get(i, row_h)
        cells = [(x, w, row[0], row[1])]
        if len(row) == 4:
            half = w / 2
            cells = [(x, half, row[0], row[1]), (x + half, half, row[2], row[3])]
        for cx, cw, label, value in cells:
            lw = label_w if cx == x else label_w * 0.62
            c.setFillColor(TINT)
            c.rect(cx, y - h, lw, h, stroke=0, fill=1)
            fit(c, cx + 1.2 * mm, y - h / 2 - label_size * 0.35, label, label_size, lw - 2 * mm, color=MUTED)
            c.setStrokeColor(RULE)
            c.line(cx + lw, y, cx + lw, y - h)
            if cx != x:
                c.line(cx, y, cx, y - h)
            inner = cw - lw - 2.5 * mm
            if i in tall:
                size = value_size
                while True:
                    lead = size * 1.25
                    lines = wrap(value, size, inner)
                    if len(lines) * lead <= h - 0.8 * mm or size <= 4.5:
                        break
                    size -= 0.25
                base = y - h / 2 + (len(lines) - 1) * lead / 2 - value_size * 0.35
                for line in lines:
                    text(c, cx + lw + 1.5 * mm, base, line, size)
                    base -= lead
            else:
                fit(c, cx + lw + 1.5 * mm, y - h / 2 - value_size * 0.35, value, value_size, inner)
        c.line(x, y - h, x + w, y - h)
        y -= h
    c.rect(x, y, w, top - y, stroke=1, fill=0)
    return y
