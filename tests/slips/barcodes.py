"""Decode the barcodes of a rendered PDF with a real decoder: pdftoppm (300 dpi) and zbarimg (zbar-tools)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

SYMBOL = re.compile(r"<symbol type='([^']+)'([^>]*)><data><!\[CDATA\[(.*?)\]\]>")
MODIFIERS = re.compile(r"modifiers='([^']*)'")


def _modifiers(attrs: str) -> str:
    found = MODIFIERS.search(attrs)
    return found.group(1) if found else ""


def decode_pages(pdf: Path, first: int = 1, last: int | None = None) -> list[list[tuple[str, str, str]]]:
    """Per page: (symbology, modifiers, data) of every symbol zbarimg finds."""
    last = last or first
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        pages = ["-f", str(first), "-l", str(last)]
        subprocess.run(["pdftoppm", "-r", "300", "-png", *pages, str(pdf), str(stem)], check=True)
        out = []
        for png in sorted(Path(tmp).glob("page-*.png")):
            run = subprocess.run(
                ["zbarimg", "--xml", "-q", "--nodbus", str(png)], capture_output=True, text=True
            )
            # exit status 4: no symbol found (a slip above 300,000円)
            assert run.returncode in (0, 4), run.stderr
            out.append([(t, _modifiers(attrs), d) for t, attrs, d in SYMBOL.findall(run.stdout)])
    return out
