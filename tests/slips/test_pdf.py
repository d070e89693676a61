"""納付書 PDFs: IPAex embedded, 和暦 dates and the amount as text, and the GS1-128 code decoded from the
rendered page by zbarimg equal to the stored code (domain-facts §5; OUT-02)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import page_count, pdffonts, pdftotext

from kouki.documents.fonts import GOTHIC
from kouki.documents.payment_slip import human_readable, render_slip_batch
from kouki.documents.payment_slip_data import SlipLine, slip_number_text
from kouki.privacy.redaction import contains_personal_number
from kouki.slips.documents import slip_document_data, slips_pdf
from kouki.slips.services import slip_reissue, slips_issue

from .barcodes import decode_pages
from .conftest import ACTOR, FY, direct_plan

ON = date(FY, 7, 1)
ISSUED = date(FY, 7, 10)


@pytest.mark.django_db
def test_booklet_has_one_page_per_slip_embedded_font_and_the_printed_fields(tmp_path: Path) -> None:
    slips = slips_issue(actor=ACTOR, plan_id=direct_plan(60_050).pk, on=ON)
    pdf = tmp_path / "booklet.pdf"
    pdf.write_bytes(slips_pdf([s.pk for s in slips], issued_on=ISSUED))
    assert page_count(pdf) == 9
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert all(GOTHIC in f["name"] for f in fonts)
    text = pdftotext(pdf)
    assert text.count("納付済通知書") == 9 and text.count("領収証書") >= 9 and text.count("領収控") == 9
    assert "令和8年度 後期高齢者医療保険料 納付書(第1期)" in text
    assert "発行日 令和8年7月10日" in text
    for s in slips:
        assert f"{slip_number_text(s.slip_no)}-0" in text
        assert human_readable(s.barcode) in text
        assert f"{s.amount:,}円" in text
    assert "令和8年7月31日" in text  # first due date in 和暦
    assert "山田" in text and "〒330-0063" in text
    assert not contains_personal_number(text)


@pytest.mark.django_db
def test_zbarimg_reads_the_stored_code_as_gs1_128(tmp_path: Path) -> None:
    slips = slips_issue(actor=ACTOR, plan_id=direct_plan(60_050).pk, on=ON)[:2]
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(slips_pdf([s.pk for s in slips], issued_on=ISSUED))
    pages = decode_pages(pdf, 1, 2)
    assert pages == [[("CODE-128", "GS1", s.barcode)] for s in slips]


@pytest.mark.django_db
def test_reissued_slip_carries_the_new_code(tmp_path: Path) -> None:
    slip = slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)[0]
    new = slip_reissue(actor=ACTOR, slip_id=slip.pk, new_due_date=date(FY, 8, 31))
    pdf = tmp_path / "reissue.pdf"
    pdf.write_bytes(slips_pdf([new.pk], issued_on=date(FY, 8, 10)))
    assert decode_pages(pdf) == [[("CODE-128", "GS1", new.barcode)]]
    text = pdftotext(pdf)
    assert f"{slip_number_text(new.slip_no)}-1" in text and "令和8年8月31日" in text


@pytest.mark.django_db
def test_above_300000_yen_no_barcode_and_a_note(tmp_path: Path) -> None:
    slip = slips_issue(actor=ACTOR, plan_id=direct_plan(3_000_000).pk, on=ON)[0]
    pdf = tmp_path / "large.pdf"
    pdf.write_bytes(slips_pdf([slip.pk], issued_on=ISSUED))
    assert decode_pages(pdf) == [[]]
    text = pdftotext(pdf)
    assert "コンビニエンスストアではお取り扱いできません" in text.replace("\n", "").replace(" ", "")
    assert "(91)" not in text


@pytest.mark.django_db
def test_one_mailing_per_slip_or_per_person(tmp_path: Path) -> None:
    a = slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)
    b = slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)
    ids = [s.pk for s in a[:3] + b[:2]]
    assert [d.pages for d in slip_document_data(ids, issued_on=ISSUED)] == [3, 2]
    assert [d.pages for d in slip_document_data(ids, issued_on=ISSUED, booklet=False)] == [1] * 5
    files = render_slip_batch(slip_document_data(ids, issued_on=ISSUED), tmp_path, workers=2)
    assert sum(f.pages for f in files) == 5
    assert sum(page_count(f.path) for f in files) == 5


def test_slip_line_must_agree_with_its_code() -> None:
    code = "91900000202600000000000101000026073100067504"
    SlipLine(1, 0, 1, date(2026, 7, 31), 6750, code)
    with pytest.raises(ValueError, match="differs"):
        SlipLine(1, 0, 1, date(2026, 7, 31), 6751, code)
    with pytest.raises(ValueError, match="missing"):
        SlipLine(1, 0, 1, date(2026, 7, 31), 6750, "")
    with pytest.raises(ValueError, match="no barcode above"):
        SlipLine(1, 0, 1, date(2026, 7, 31), 300_001, code)
