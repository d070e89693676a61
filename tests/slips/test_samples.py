"""The demo's sample 納付書 (synthetic person, no database): a booklet, a re-issue, one above 300,000円."""

from __future__ import annotations

from pathlib import Path

from documents.pdftools import page_count, pdffonts, pdftotext

from kouki.rules.gs1 import parse
from kouki.slips.samples import demo_samples, sample_mailings

from .barcodes import decode_pages


def test_demo_samples_write_three_pdfs_with_embedded_font(tmp_path: Path) -> None:
    paths = demo_samples(tmp_path)
    assert [p.name for p in paths] == [
        "nofusho-sample-booklet.pdf", "nofusho-sample-reissue.pdf", "nofusho-sample-over-300000.pdf",
    ]  # fmt: skip
    assert [page_count(p) for p in paths] == [3, 1, 1]
    assert all(f["emb"] == "yes" for p in paths for f in pdffonts(p))
    assert "見沼" in pdftotext(paths[0])


def test_sample_reissue_code_decodes_with_reissue_digit_1(tmp_path: Path) -> None:
    mailing = sample_mailings()["nofusho-sample-reissue"]
    paths = demo_samples(tmp_path)
    [[(_kind, _mods, data)]] = decode_pages(paths[1])
    assert data == mailing.slips[0].barcode and parse(data).reissue == 1
