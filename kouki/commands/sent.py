"""What a batch prints of the union files it sent (names, counts and hashes: never a personal number)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kouki.eligibility.outbound import SentFile


def print_sent(sent: Iterable[SentFile], already_sent: Iterable[str], on: date) -> None:
    for file in sent:
        print(f"sent: {file.path.name}  {file.record_count} records  sha256 {file.sha256}")
    for kind in already_sent:
        print(f"already sent for {on}: {kind} (not written again)")
