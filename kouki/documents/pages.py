"""One PDF of pages drawn by a document module: the IPAex font embedded (no unembedded Helvetica in the
page resources), invariant (the same data give the same bytes), compressed."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.fonts import register_fonts

T = TypeVar("T")


def render_pages(
    draw_page: Callable[[Canvas, T], None], items: Iterable[T], title: str, *,
    pagesize: tuple[float, float] = A4,
) -> bytes:  # fmt: skip
    """One page per item; ValueError when there is nothing to render."""
    font = register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=pagesize, invariant=True, pageCompression=1,
               initialFontName=font, initialFontSize=10)  # type: ignore[arg-type]  # (stub says float)
    c.setTitle(title)
    c.setAuthor("kouki")
    pages = 0
    for item in items:
        draw_page(c, item)
        c.showPage()
        pages += 1
    if pages == 0:
        raise ValueError("nothing to render")
    c.save()
    return buf.getvalue()


def first_page_png(pdf: Path, stem: Path) -> Path:
    """The first page of a PDF as stem.png (poppler's pdftoppm, 110 dpi), for the pictures in docs/."""
    command = ["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf), str(stem)]
    subprocess.run(command, check=True)  # noqa: S603 (fixed program, our own file names)
    return stem.with_suffix(".png")
