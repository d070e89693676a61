"""領収証書 PDF of a counter receipt: the IPAex font is embedded (pdffonts), the text carries 領収証書, the
amount, the fiscal year and the due date in 和暦 (pdftotext), and never a personal number (BF-01)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from documents.pdftools import page_count, pdffonts, pdftotext

from kouki.accounts.permissions import Role
from kouki.documents.counter_receipt import CounterReceiptData, render_counter_receipt
from kouki.rules.formatting import yen_figure as amount_text
from web.collection_samples import pay, person_with_plan
from web.conftest import Family, Numbers


def receipt_data(**changes: object) -> CounterReceiptData:
    values: dict[str, object] = {
        "receipt_no": "0000000042", "addressee_no": "100000001", "name": "山田\u3000太郎",
        "fiscal_year": 2025, "period_label": "第3期", "due_date": date(2025, 9, 30), "amount": 31_400,
        "paid_on": date(2025, 9, 12),
        "received_by": "試験 花子", "office": "さいたま市浦和区役所 保険年金課", "issuer": "さいたま市長",
        **changes,
    }
    return CounterReceiptData(**values)  # type: ignore[arg-type]


def write(tmp_path: Path, pdf: bytes) -> Path:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return path


def test_the_font_is_embedded_and_the_text_is_there(tmp_path: Path) -> None:
    path = write(tmp_path, render_counter_receipt(receipt_data()))
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert any("IPAexGothic" in f["name"] for f in fonts)
    text = pdftotext(path)
    for expected in ("領収証書", "31,400", "後期高齢者医療保険料", "令和7年度 第3期", "令和7年9月30日",
                     "令和7年9月12日", "山田", "宛名番号 100000001", "さいたま市長", "試験 花子"):
        assert expected in text, expected
    assert page_count(path) == 1


def test_the_same_data_gives_the_same_bytes() -> None:
    assert render_counter_receipt(receipt_data()) == render_counter_receipt(receipt_data())


def test_amount_text_and_a_non_positive_amount() -> None:
    assert amount_text(1_234_567) == "￥1,234,567－"
    with pytest.raises(ValueError, match="領収金額"):
        receipt_data(amount=0)


def test_without_a_named_instalment_the_due_date_is_a_dash(tmp_path: Path) -> None:
    text = pdftotext(write(tmp_path, render_counter_receipt(receipt_data(due_date=None,
                                                                          period_label="(納期の早い期から充当)"))))
    assert "納期の早い期から充当" in text


@pytest.mark.django_db
def test_the_downloaded_receipt_names_the_payer_and_no_personal_number(
        tmp_path: Path, family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, 23_456, instalment=rows[0])
    pdf = client_as(Role.SUPERVISOR).get(reverse("web:counter_receipt_pdf", args=[receipt.pk])).content
    path = write(tmp_path, pdf)
    assert all(f["emb"] == "yes" for f in pdffonts(path))
    text = pdftotext(path)
    assert "領収証書" in text and "23,456" in text and "山田" in text and "太郎" in text
    assert f"{receipt.pk:010d}" in text and "第1期" in text
    assert family.taro.addressee_no in text
    assert numbers.taro not in text.replace(" ", "")
