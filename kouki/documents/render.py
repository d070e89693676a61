"""Render certificates and notices to PDF: one page per person, single or in batches.

A batch is cut into parts of at most `part_size` pages, rendered by worker processes (each registers the
font once and draws at canvas level); each part is one PDF file, named <stem>-<part>.pdf. A batch that
fits in one part is one file. Output is reproducible (reportlab's invariant mode): the same data gives
the same bytes, so an issue's sha256 identifies what was printed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from kouki.documents import shikaku_joho_oshirase, shikaku_kakuninsho
from kouki.documents.data import CertificateData
from kouki.documents.pages import render_pages
from kouki.interfaces.union.records import CertificateKind

DrawFunc = Callable[[Canvas, CertificateData], None]

DOCUMENTS: dict[CertificateKind, tuple[DrawFunc, str, str]] = {
    # kind: (draw, file stem, PDF title)
    CertificateKind.CERTIFICATE: (shikaku_kakuninsho.draw, "shikaku-kakuninsho", "後期高齢者医療資格確認書"),
    CertificateKind.NOTICE: (shikaku_joho_oshirase.draw, "shikaku-joho-oshirase", "資格情報のお知らせ"),
}
# Compressed page streams stay binary (no ASCII85 step: smaller files, faster batches).
rl_config.useA85 = 0
DEFAULT_PART_SIZE = 5_000
MIN_PARALLEL_PART = 1_000  # below this a batch stays one file: splitting would only add files


def file_stem(kind: CertificateKind | str) -> str:
    return DOCUMENTS[CertificateKind(kind)][1]


def render_pdf(kind: CertificateKind | str, items: Iterable[CertificateData]) -> bytes:
    """All items, one page each, in one PDF (in this process)."""
    draw, _stem, title = DOCUMENTS[CertificateKind(kind)]
    return render_pages(draw, items, title, pagesize=shikaku_kakuninsho.PAGE_SIZE)


@dataclass(frozen=True)
class RenderedFile:
    path: Path
    sha256: str
    pages: int
    first_index: int  # index in the input of the first page of this file


def _render_part(kind: str, items: Sequence[CertificateData], path: str) -> tuple[str, int]:
    pdf = render_pdf(kind, items)
    tmp = Path(path + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    return hashlib.sha256(pdf).hexdigest(), len(items)


def render_batch(kind: CertificateKind | str, items: Sequence[CertificateData], out_dir: Path, stem: str, *,
                 workers: int | None = None, part_size: int = DEFAULT_PART_SIZE) -> list[RenderedFile]:
    """Render items into out_dir/<stem>-NNN.pdf files of at most part_size pages, in parallel.

    A large batch is cut into at least as many parts as there are workers (parts of at least
    MIN_PARALLEL_PART pages), so every worker has work.
    """
    kind = CertificateKind(kind)
    if not items:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    part_size = min(part_size, max(-(-len(items) // workers), MIN_PARALLEL_PART))
    starts = list(range(0, len(items), part_size))
    paths = [out_dir / f"{stem}-{n:03d}.pdf" for n in range(1, len(starts) + 1)]
    workers = min(workers, len(starts))
    if workers <= 1:
        results = [_render_part(kind.value, items[s:s + part_size], str(p)) for s, p in zip(starts, paths,
                                                                                          strict=True)]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_render_part, kind.value, items[s:s + part_size], str(p))
                       for s, p in zip(starts, paths, strict=True)]
            results = [f.result() for f in futures]
    return [RenderedFile(path=p, sha256=sha, pages=n, first_index=s)
            for (sha, n), p, s in zip(results, paths, starts, strict=True)]
