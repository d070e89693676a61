"""poppler-utils wrappers for the document tests."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdftotext(path: Path, crop_mm: tuple[float, float, float, float] | None = None) -> str:
    """Text of the PDF; crop_mm = (x, y from the top, width, height) keeps only that area."""
    crop: list[str] = []
    if crop_mm is not None:
        pt = [str(round(v * 72 / 25.4)) for v in crop_mm]
        crop = ["-x", pt[0], "-y", pt[1], "-W", pt[2], "-H", pt[3]]
    return subprocess.run(["pdftotext", "-layout", *crop, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdffonts(path: Path) -> list[dict[str, str]]:
    """One dict per font: name, emb (yes/no)."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: count from the right
        rows.append({"name": parts[0], "emb": parts[-5]})
    return rows


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))
