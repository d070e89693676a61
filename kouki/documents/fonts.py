"""The embedded Japanese font: IPAexGothic (IPA Font License v1.0, text next to the file).

reportlab's built-in CID fonts are not embedded in the PDF (the reader must have them); a TrueType font
registered here is embedded as a subset of the characters used, so every reader shows the same glyphs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_PATH = FONT_DIR / "ipaexg.ttf"
LICENSE_PATH = FONT_DIR / "IPA_Font_License_Agreement_v1.0.txt"
GOTHIC = "IPAexGothic"


@cache
def register_fonts() -> str:
    """Register the font once per process (loading the 6 MB file takes ~0.1 s); returns its name."""
    pdfmetrics.registerFont(TTFont(GOTHIC, str(FONT_PATH)))
    return GOTHIC
