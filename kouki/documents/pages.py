"""One PDF of pages drawn by a document module: the IPAex font embedded (no unembedded Helvetica in the
page resources), invariant (the same data give the same bytes), compressed.

`DocumentKind` says what a kind of document is: its name (also the stem of its files), its PDF title, the
function that draws one page, the page size, and how a batch of it is cut into files. Each document module
declares its `KIND`; kouki.documents.render lists them and renders batches.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kouki.documents.fonts import register_fonts

T = TypeVar("T")
# Compressed page streams stay binary (no ASCII85 step: smaller files, faster batches).
rl_config.useA85 = 0


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


@dataclass(frozen=True)
class DocumentKind(Generic[T]):
    """A kind of document printed from items of type T (one letter, one mailing…).

    `draw` draws one page (the engine ends it); it is called with each item, or, when `pages` is given,
    with each of the pages that `pages(item)` yields (a booklet: one item, several pages). `draw` and
    `pages` are module-level functions, so a kind can be sent to the worker processes of a batch.
    A batch is cut into files of at most `part_size` items; it is split for parallel workers only into
    parts of at least `min_part` items.
    """

    name: str  # the stem of its files (nofusho-001.pdf) and its key in kouki.documents.render.KINDS
    title: str  # the PDF's title
    draw: Callable[[Canvas, Any], None]
    page_size: tuple[float, float] = A4
    pages: Callable[[T], Iterable[Any]] | None = None
    part_size: int = 2_500
    min_part: int = 1

    def page_items(self, items: Iterable[T]) -> Iterable[Any]:
        """What `draw` is called with, page by page."""
        pages = self.pages
        if pages is None:
            return items
        return (page for item in items for page in pages(item))

    def render(self, items: Iterable[T]) -> bytes:
        """All items in one PDF (in this process); ValueError when there is nothing to render."""
        return render_pages(self.draw, self.page_items(items), self.title, pagesize=self.page_size)


def first_page_png(pdf: Path, stem: Path) -> Path:
    """The first page of a PDF as stem.png (poppler's pdftoppm, 110 dpi), for the pictures in docs/."""
    command = ["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf), str(stem)]
    subprocess.run(command, check=True)  # noqa: S603 (fixed program, our own file names)
    return stem.with_suffix(".png")


def write_sample_pdfs(
    out_dir: Path, samples: Iterable[tuple[DocumentKind[Any], Any, str]], *, png: bool = False
) -> list[Path]:
    """For each (kind, item, picture): out_dir/<kind name>.pdf of the item and, with png, the picture of its
    first page as out_dir/<picture>.png. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind, item, picture in samples:
        pdf = out_dir / f"{kind.name}.pdf"
        pdf.write_bytes(kind.render([item]))
        written.append(pdf)
        if png:
            written.append(first_page_png(pdf, out_dir / picture))
    return written


def samples_main(write: Callable[[Path], list[Path]]) -> None:
    """`python -m kouki.documents.<samples module> OUT_DIR`: write the samples (with Django set up) and list
    the files."""
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    for path in write(Path(sys.argv[1])):
        print(path)
