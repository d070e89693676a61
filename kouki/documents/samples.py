"""A synthetic person's data for sample documents (docs PNGs, the demo when nothing is insured yet).

`python -m kouki.documents.samples OUT_DIR` writes both sample PDFs and their PNG renders
(pdftoppm from poppler-utils), as in docs/documents/.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kouki.documents.data import CertificateData, default_insurer_name
from kouki.documents.pages import samples_main, write_sample_pdfs
from kouki.documents.render import CERTIFICATE_KINDS
from kouki.rules.union_codes import CertificateKind


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
    given = data or {}
    samples = [(CERTIFICATE_KINDS[kind], given.get(kind) or sample_data(), CERTIFICATE_KINDS[kind].name)
               for kind in CertificateKind]  # fmt: skip
    return write_sample_pdfs(out_dir, samples, png=png)


if __name__ == "__main__":
    samples_main(lambda out_dir: write_samples(out_dir, png=True))
