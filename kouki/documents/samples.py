"""A synthetic person's data for sample documents (docs PNGs, the demo when nothing is insured yet).

`python -m kouki.documents.samples OUT_DIR` writes both sample PDFs and their PNG renders
(pdftoppm from poppler-utils), as in docs/documents/.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from kouki.documents.data import CertificateData, default_insurer_name
from kouki.documents.pages import first_page_png
from kouki.documents.render import file_stem, render_pdf
from kouki.interfaces.union.records import CertificateKind


def sample_data(*, limit_category: str = "") -> CertificateData:
    """Invented person, invented numbers (valid in form only)."""
    return CertificateData(
        addressee_no="100004321", insured_no="11112228", insurer_no="39110011",
        insurer_name=default_insurer_name(),
        family_name="見沼", given_name="花子", family_name_kana="ミヌマ", given_name_kana="ハナコ", sex="2",
        birth_date=date(1941, 3, 12), postal_code="3370051", address="さいたま市見沼区東大宮九丁目99番9号",
        acquired_on=date(2016, 3, 12), copay_rate=10, valid_from=date(2026, 8, 1),
        valid_until=date(2027, 7, 31),
        issued_on=date(2026, 7, 15), limit_category=limit_category,
    )


def write_samples(out_dir: Path, data: dict[CertificateKind, CertificateData] | None = None,
                  png: bool = False) -> list[Path]:
    """One PDF per document kind (and its PNG when png=True); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in CertificateKind:
        item = (data or {}).get(kind) or sample_data()
        pdf = out_dir / f"{file_stem(kind)}.pdf"
        pdf.write_bytes(render_pdf(kind, [item]))
        written.append(pdf)
        if png:
            written.append(first_page_png(pdf, out_dir / file_stem(kind)))
    return written


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    for path in write_samples(Path(sys.argv[1]), png=True):
        print(path)
