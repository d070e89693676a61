"""Run as a subprocess by the crash harness (tests/faults/harness.py) against the seed database of
tests/faults/test_imports_crash.py: builds the import corpus's valid sample of every `kouki import` format
(tests/corpus/samples.py: the file and what it applies to — known people, plans, slips, the debit request,
the refunds paid out) and leaves each file in KOUKI_FAULTS_FOLDER/in/, plus one 保険料情報 whose
third line carries a 被保険者番号 failing its check digit (applied with a warning, so that the import writes
its warnings report). Each file is left as in/<format>.dat: the importers tell a file by its content, not
its name (the 住基異動 variant, the union file's kind), and the test module names the file it takes in.

Synthetic people only; the samples commit here (no test transaction around them)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# the formats the crash cases take in; the CSV variant of 住基異動 is test_batches_crash.py's
FORMATS = ("resident-fixed", "tax-income", "union-insured-info", "union-certificate-issue",
           "union-address-exception", "premium-info", "store-report", "debit-result", "transfer-result",
           "pension-result", "benefit-decision")  # fmt: skip
WARNED = "premium-info-warned"


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    from corpus.samples import SAMPLES

    folder = Path(os.environ["KOUKI_FAULTS_FOLDER"])
    for fmt in FORMATS:
        sample = SAMPLES[fmt](folder / "samples" / fmt)
        _leave(folder, fmt, sample.data)
        if fmt == "premium-info":
            assert sample.check_digit is not None
            _leave(folder, WARNED, sample.check_digit().data)


def _leave(folder: Path, fmt: str, data: bytes) -> None:
    target = folder / "in" / f"{fmt}.dat"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


if __name__ == "__main__":
    main()
