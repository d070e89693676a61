"""`render_samples` (for kouki demo): one file of each document from whatever the database holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext

from kouki.certificates.models import CertificateIssue
from kouki.certificates.samples import render_samples
from kouki.eligibility.selectors import certificate_requests_pending

from .conftest import City

pytestmark = pytest.mark.django_db


def test_samples_use_pending_requests_and_write_no_records(city: City, tmp_path: Path) -> None:
    files = render_samples(tmp_path, on=date(2026, 7, 20))
    assert [f.name for f in files] == ["shikaku-kakuninsho.pdf", "shikaku-joho-oshirase.pdf"]
    assert "10000017" in pdftotext(files[0]) or "10000025" in pdftotext(files[0])
    assert "10000033" in pdftotext(files[1])
    assert all(font["emb"] == "yes" for f in files for font in pdffonts(f))
    assert certificate_requests_pending().count() == 3 and not CertificateIssue.objects.exists()


def test_samples_fall_back_to_the_synthetic_sample(db: None, tmp_path: Path) -> None:
    files = render_samples(tmp_path / "empty", on=date(2026, 7, 20))
    assert all("資格" in pdftotext(f) for f in files)
