"""The batch engine: many items of one document kind into numbered PDF files, in parallel processes.

A batch is cut into parts of at most `part_size` items (the kind's own by default); each part is one file
<stem>-NNN.pdf, rendered by a worker process (each registers the font once and draws at canvas level).
With several workers a batch is cut into at least as many parts as there are workers, so every worker has
work, but never into parts smaller than the kind's `min_part` (smaller parts would only add files). A
file is written under a hidden temporary name, fsynced and renamed when complete
(kouki.core.outbox.write_whole, with its crash-test fault points). Output is reproducible (reportlab's
invariant mode): the same data gives the same bytes, so a file's sha256 identifies what was printed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, TypeVar, Unpack

from kouki.core.faults import fault_point
from kouki.core.outbox import write_whole
from kouki.documents.pages import DocumentKind, render_pages

T = TypeVar("T")


class BatchOptions(TypedDict, total=False):
    workers: int | None  # processes at once (default: one per CPU)
    part_size: int | None  # items per file at most (default: the kind's)


@dataclass(frozen=True)
class RenderedFile:
    path: Path
    sha256: str
    pages: int
    first_index: int  # index in the input of the first item of this file


def _render_part(kind: DocumentKind[Any], items: Sequence[Any], path: str) -> tuple[str, int]:
    pages = list(kind.page_items(items))
    pdf = render_pages(kind.draw, pages, kind.title, pagesize=kind.page_size)
    return write_whole(Path(path), pdf), len(pages)


def render_files(
    kind: DocumentKind[T], items: Sequence[T], out_dir: Path, stem: str | None = None,
    **options: Unpack[BatchOptions],
) -> list[RenderedFile]:  # fmt: skip
    """Render items into out_dir/<stem>-NNN.pdf files (stem: the kind's name), `workers` processes at once."""
    if not items:
        return []
    stem = stem or kind.name
    fault_point("after-read", stem)  # crash tests only (kouki.core.faults)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = options.get("workers") or os.cpu_count() or 1
    part_size = options.get("part_size") or kind.part_size
    size = max(1, min(part_size, max(-(-len(items) // workers), kind.min_part)))
    starts = list(range(0, len(items), size))
    paths = [out_dir / f"{stem}-{n:03d}.pdf" for n in range(1, len(starts) + 1)]
    workers = min(workers, len(starts))
    parts = [(items[s : s + size], str(p)) for s, p in zip(starts, paths, strict=True)]
    if workers <= 1:
        results = [_render_part(kind, part, path) for part, path in parts]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_render_part, kind, part, path) for part, path in parts]
            results = [f.result() for f in futures]
    return [
        RenderedFile(path=p, sha256=sha, pages=n, first_index=s)
        for (sha, n), p, s in zip(results, paths, starts, strict=True)
    ]
