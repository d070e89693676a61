"""An uploaded counterpart file, taken in through the shared registry (kouki.interfaces.import_kinds).

The upload is copied to a private directory (0700, made by mkdtemp) as a 0600 file named from a cleaned
copy of the browser's file name (never used as a path), taken in as the signed-in member of staff, and the
directory (with any report the runner wrote there) is removed afterwards, whatever happened.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from kouki.core.config import import_upload_dir
from kouki.interfaces.import_kinds import ImportKind, run_kind
from kouki.interfaces.importing import ImportOutcome
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

FALLBACK_NAME = "upload"
MAX_NAME = 120


def clean_file_name(name: str) -> str:
    """The last path part of what the browser sent, without control characters, leading dots or a personal
    number, at most MAX_NAME characters (keeping the extension)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = redact(base.strip().lstrip(".").strip())
    if len(base) > MAX_NAME:
        _, dot, ext = base.rpartition(".")
        keep = ext if dot and 0 < len(ext) <= 10 else ""
        base = base[: MAX_NAME - len(keep) - 1] + "." + keep if keep else base[:MAX_NAME]
    return base or FALLBACK_NAME


def take_in_upload(kind: ImportKind, upload: UploadedFile, *, actor: Actor) -> ImportOutcome:
    """Take in an uploaded file. Raises WrongFileKind (nothing recorded) like the importers do."""
    directory = Path(tempfile.mkdtemp(prefix="kouki-import-", dir=import_upload_dir() or None))
    try:
        path = directory / clean_file_name(upload.name or "")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return run_kind(kind, actor=actor, path=path, report_dir=directory / "reports")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
