"""A sample コンビニ収納 速報 and 確報 for `kouki demo`: the codes of the sample 納付書 of
kouki.stores.samples paid at stores, plus one unknown code and one payment twice, written by the simulated
payment agent. No database; synthetic only.

    .venv/bin/python -m kouki.sandbox.stores.samples OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from kouki.sandbox.stores.agent import PaymentAgent
from kouki.slips.codes import biller_code
from kouki.stores.samples import PAID_ON, PROCESSED_ON, TRANSFER_ON, sample_codes


def demo_samples(out_dir: Path) -> list[Path]:
    """out_dir/CVS_SOKUHO_12345_20260728.dat and out_dir/CVS_KAKUHO_12345_20260728.dat (CP932 fixed 120)."""
    agent = PaymentAgent(seed=7, biller_code=biller_code())
    day = agent.day(sample_codes(), paid_on=PAID_ON, twice=0.0, cancel=0.0, unknown=1)
    agent.pay_again(day, day.payments[0].barcode)
    pre, fin = agent.write(day, out_dir, processed_on=PROCESSED_ON, transfer_on=TRANSFER_ON)
    return [pre, fin]


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    for path in demo_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output/stores")):
        print(path)
