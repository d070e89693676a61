"""Sample 納付書 PDFs from a synthetic person: for `kouki demo` and the PNG in docs/documents/.

No database: the slips are built in memory with the configured biller code and free-field layout
(KOUKI_SLIP_BILLER_CODE / KOUKI_SLIP_FREE_FIELD; the default biller code 900000 is synthetic, ADR 0007).
Sample only: nothing here is used for real slips.

    .venv/bin/python -m kouki.slips.samples docs/documents   # PDFs + payment-slip.png (pdftoppm)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.pages import first_page_png
from kouki.documents.payment_slip import render_slips
from kouki.documents.payment_slip_data import PaymentSlipData, SlipLine
from kouki.documents.premium_data import Addressee
from kouki.slips.codes import CodeMaker

FISCAL_YEAR = 2026
ISSUED_ON = date(2026, 7, 10)
ADDRESSEE = Addressee(
    addressee_no="100004321",
    family_name="見沼",
    given_name="太郎",
    postal_code="3370051",
    address="さいたま市見沼区東大宮九丁目99番9号",
)
INSURED_NO = "11112236"
# 第1期–第3期 of a 60,050円 year in nine 期 (July–March, an assumption: さいたま市's months are [NF]).
INSTALMENTS = ((1, date(2026, 7, 31), 6_750), (2, date(2026, 8, 31), 6_700), (3, date(2026, 9, 30), 6_700))


def _line(maker: CodeMaker, slip_no: int, period: int, due: date, amount: int, reissue: int = 0) -> SlipLine:
    code = maker.barcode(
        fiscal_year=FISCAL_YEAR, slip_no=slip_no, period=period, reissue=reissue, due_date=due, amount=amount
    )
    return SlipLine(slip_no, reissue, period, due, amount, code)


def _mailing(slips: tuple[SlipLine, ...], issued_on: date = ISSUED_ON) -> PaymentSlipData:
    return PaymentSlipData(
        addressee=ADDRESSEE,
        insured_no=INSURED_NO,
        fiscal_year=FISCAL_YEAR,
        issued_on=issued_on,
        issuer=default_issuer(),
        insurer_name=default_insurer_name(),
        slips=slips,
    )


def sample_mailings() -> dict[str, PaymentSlipData]:
    """file stem → mailing: a booklet of three 期, a re-issued slip, a slip above 300,000円."""
    maker = CodeMaker()
    booklet = tuple(
        _line(maker, n, period, due, amount) for n, (period, due, amount) in enumerate(INSTALMENTS, 1)
    )
    reissued = _line(maker, 1, 1, date(2026, 8, 20), 6_750, reissue=1)
    large = _line(maker, 4, 1, date(2026, 7, 31), 320_000)
    return {
        "nofusho-sample-booklet": _mailing(booklet),
        "nofusho-sample-reissue": _mailing((reissued,), date(2026, 8, 5)),
        "nofusho-sample-over-300000": _mailing((large,)),
    }


def demo_samples(out_dir: Path, *, png: bool = False) -> list[Path]:
    """Write the sample slip PDFs into out_dir (and, with png=True, payment-slip.png of the booklet's first
    page via pdftoppm); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, mailing in sample_mailings().items():
        pdf = out_dir / f"{stem}.pdf"
        pdf.write_bytes(render_slips([mailing]))
        written.append(pdf)
    if png:
        written.append(first_page_png(written[0], out_dir / "payment-slip"))
    return written


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    for path in demo_samples(Path(sys.argv[1]), png=True):
        print(path)
