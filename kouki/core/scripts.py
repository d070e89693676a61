"""The `python -m kouki.<app>.samples OUT_DIR` entry point of the sample writers (documents, slips,
store reports): Django set up, the samples written, their paths printed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def run_samples(write: Callable[[Path], Iterable[Path]], default_dir: str | None = None) -> None:
    """Set up Django, write the samples into the folder named by the first argument (else `default_dir`)
    and print each path written."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    folder = sys.argv[1] if len(sys.argv) > 1 or default_dir is None else default_dir
    for path in write(Path(folder)):
        print(path)
