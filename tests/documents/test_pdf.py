"""The two documents as PDFs: font embedded, fields extractable as text, one page per person."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kouki.documents.data import CertificateData, sender_for
from kouki.documents.drawing import wrap
from kouki.documents.fonts import GOTHIC, LICENSE_PATH, register_fonts
from kouki.documents.render import render_batch, render_pdf
from kouki.documents.shikaku_joho_oshirase import CANNOT_USE_ALONE
from kouki.privacy.redaction import contains_personal_number

from .conftest import sample_data
from .pdftools import page_count, pdffonts, pdftotext

CERTIFICATE, NOTICE = "1", "2"


def write(tmp_path: Path, kind: str, items: list[CertificateData]) -> Path:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(render_pdf(kind, items))
    return path


def flat(text: str) -> str:
    """pdftotext keeps layout spacing; compare without blanks."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", [CERTIFICATE, NOTICE])
def test_only_the_embedded_japanese_font_is_used(tmp_path: Path, data: CertificateData, kind: str) -> None:
    fonts = pdffonts(write(tmp_path, kind, [data]))
    assert fonts, "no fonts listed"
    assert all(f["name"].endswith(f"+{GOTHIC}") for f in fonts)
    assert all(f["emb"] == "yes" for f in fonts)


def test_font_license_ships_with_the_font() -> None:
    text = LICENSE_PATH.read_text(encoding="utf-8")
    assert "IPAフォントライセンスv1.0" in text and "IPA Font License Agreement v1.0" in text
    assert register_fonts() == GOTHIC


def test_certificate_prints_every_field(tmp_path: Path, data: CertificateData) -> None:
    text = flat(pdftotext(write(tmp_path, CERTIFICATE, [data])))
    for expected in ("後期高齢者医療資格確認書", "被保険者番号", data.insured_no, "山田太郎", "山田太郎様",
                     "〒330-0854", "さいたま市大宮区桜木町一丁目7番5号", "昭和21年5月1日", "性別", "男",
                     "資格取得年月日", "令和3年5月1日", "一部負担金の割合", "2割", "有効期限令和9年7月31日",
                     "発効期日", "令和8年8月1日", "交付年月日", "令和8年7月15日", "保険者番号",
                     data.insurer_no,
                     "埼玉県後期高齢者医療広域連合", "さいたま市大宮区役所保険年金課"):
        assert expected in text, expected
    assert "適用区分" not in text


def test_limit_category_is_printed_only_on_request(tmp_path: Path) -> None:
    text = flat(pdftotext(write(tmp_path, CERTIFICATE, [sample_data(limit_category="区分Ⅱ")])))
    assert "適用区分" in text and "区分Ⅱ" in text


@pytest.mark.parametrize(("rate", "label"), [(10, "1割"), (20, "2割"), (30, "3割")])
def test_copayment_label(tmp_path: Path, rate: int, label: str) -> None:
    text = flat(pdftotext(write(tmp_path, NOTICE, [sample_data(copay_rate=rate)])))
    assert f"一部負担金の割合{label}" in text


def test_unknown_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="負担割合"):
        render_pdf(CERTIFICATE, [sample_data(copay_rate=15)])


def test_notice_says_it_cannot_be_used_alone_and_points_to_the_my_number_card(
        tmp_path: Path, data: CertificateData) -> None:
    text = flat(pdftotext(write(tmp_path, NOTICE, [data])))
    for expected in ("資格情報のお知らせ", flat(CANNOT_USE_ALONE), "マイナ保険証", "資格確認書の交付",
                     data.insured_no, "山田太郎様", "ヤマダタロウ", "昭和21年5月1日", "令和3年5月1日", "2割",
                     data.insurer_no, "埼玉県後期高齢者医療広域連合", "令和8年7月15日", "〒330-0854"):
        assert expected in text, expected


def test_long_addresses_wrap_instead_of_running_off(tmp_path: Path) -> None:
    address = ("さいたま市見沼区大字東門前字北谷戸千二百三十四番地の五 "
               "グリーンハイツ見沼東門前第二棟三〇五号室")
    path = write(tmp_path, NOTICE, [sample_data(address=address)])
    table = flat(pdftotext(path, crop_mm=(18, 80, 174, 80))).replace("住所", "")
    assert address.replace(" ", "") in table


def test_no_line_starts_with_a_closing_mark() -> None:
    lines = wrap("あいうえお。かきくけこ、さしすせそ。" * 8, 10, 50)
    assert len(lines) > 3
    assert not any(line[0] in "。、" for line in lines)


def test_documents_carry_no_personal_number(tmp_path: Path, data: CertificateData) -> None:
    assert not any("number" in name and "insure" not in name and "addressee" not in name
                   for name in data.to_snapshot())
    for kind in (CERTIFICATE, NOTICE):
        assert not contains_personal_number(pdftotext(write(tmp_path, kind, [data])))


def test_rendering_is_reproducible(data: CertificateData) -> None:
    assert render_pdf(NOTICE, [data]) == render_pdf(NOTICE, [data])
    assert CertificateData.from_snapshot(data.to_snapshot()) == data


def test_batch_in_parts_one_page_per_person_in_parallel(tmp_path: Path) -> None:
    people = [sample_data(insured_no=f"{10000000 + i}", given_name=f"太郎{i}") for i in range(7)]
    files = render_batch(CERTIFICATE, people, tmp_path, "kakunin", workers=2, part_size=3)
    assert [f.path.name for f in files] == ["kakunin-001.pdf", "kakunin-002.pdf", "kakunin-003.pdf"]
    assert [page_count(f.path) for f in files] == [3, 3, 1] == [f.pages for f in files]
    assert [f.first_index for f in files] == [0, 3, 6]
    last = flat(pdftotext(files[2].path))
    assert "山田太郎6様" in last and "10000006" in last
    single = render_batch(CERTIFICATE, people[:2], tmp_path / "one", "k", workers=1)
    assert len(single) == 1 and page_count(single[0].path) == 2


def test_nothing_to_render_is_an_error() -> None:
    with pytest.raises(ValueError):
        render_pdf(NOTICE, [])


def test_sender_is_the_ward_office_of_the_address() -> None:
    assert sender_for("さいたま市浦和区高砂三丁目1番1号").office == "さいたま市浦和区役所 保険年金課"
    assert sender_for("川口市本町一丁目1番1号").office == "さいたま市役所 国保年金課"
