"""The codes of a sample コンビニ収納 for `kouki demo`: the sample 納付書 of kouki.slips.samples (slips 1–3 of
見沼 太郎, 2026) and the days they are paid, processed and transferred. The store files themselves are
written by the simulated payment agent (kouki.sandbox.stores.samples). No database; synthetic only."""

from __future__ import annotations

from datetime import date

from kouki.slips.codes import CodeMaker

PAID_ON = date(2026, 7, 28)
PROCESSED_ON = date(2026, 7, 31)
TRANSFER_ON = date(2026, 8, 7)
SLIPS = ((1, 1, date(2026, 7, 31), 6_750), (2, 2, date(2026, 8, 31), 6_700), (3, 3, date(2026, 9, 30), 6_700))


def sample_codes() -> list[str]:
    maker = CodeMaker()
    return [
        maker.barcode(fiscal_year=2026, slip_no=n, period=p, reissue=0, due_date=due, amount=amount)
        for n, p, due, amount in SLIPS
    ]
