"""Decision notices of the union's benefit and relief decisions (issue 12 §2; 事務 10, 12): 支給決定通知書
(療養費, 葬祭費, 高額療養費), 不支給・却下, 減免 and 徴収猶予 — the embedded font only, the decision's figures
and dates (和暦) in the text, the same data the same bytes, no personal number."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from documents.pdftools import page_count, pdffonts, pdftotext
from kouki.documents.benefit_notice import BenefitNoticeData
from kouki.documents.benefit_samples import sample_notices, write_benefit_samples
from kouki.documents.fonts import GOTHIC
from kouki.documents.relief_notice import ReliefNoticeData
from kouki.documents.render import KINDS, render_pdf
from kouki.privacy.redaction import contains_personal_number

SAMPLES = {what: (kind, item) for kind, item, what in sample_notices()}


def write(tmp_path: Path, what: str) -> Path:
    kind, item = SAMPLES[what]
    path = tmp_path / f"{what}.pdf"
    path.write_bytes(render_pdf(kind, [item]))
    return path


def flat(path: Path) -> str:
    return "".join(pdftotext(path).split())


def test_the_samples_are_one_pdf_each_with_the_embedded_font_only(tmp_path: Path) -> None:
    written = write_benefit_samples(tmp_path)
    assert [p.name for p in written] == [
        "kyufu-shikyu-kettei-tsuchisho-ryoyohi.pdf", "kyufu-shikyu-kettei-tsuchisho-sosaihi.pdf",
        "kyufu-shikyu-kettei-tsuchisho-kogaku.pdf", "kyufu-fushikyu-kettei-tsuchisho-kyakka.pdf",
        "genmen-kettei-tsuchisho-genmen.pdf", "choshu-yuyo-kettei-tsuchisho-yuyo.pdf",
    ]  # fmt: skip
    for path in written:
        fonts = pdffonts(path)
        assert fonts and all(f["name"].endswith(f"+{GOTHIC}") and f["emb"] == "yes" for f in fonts)
        assert page_count(path) == 1
    for name in ("kyufu-shikyu-kettei-tsuchisho", "kyufu-fushikyu-kettei-tsuchisho",
                 "genmen-kettei-tsuchisho", "choshu-yuyo-kettei-tsuchisho"):  # fmt: skip
        assert name in KINDS


@pytest.mark.parametrize(("what", "expected"), [
    ("ryoyohi", ["療養費支給決定通知書", "32,400円", "29,160円", "保険診療相当額", "令和7年6月20日",
                 "令和7年8月25日", "****321", "見沼花子様", "埼玉県後期高齢者医療広域連合長", "審査請求"]),
    ("sosaihi", ["葬祭費支給決定通知書", "見沼一郎様", "見沼太郎", "50,000円", "葬祭を行った日"]),
    ("kogaku", ["高額療養費支給決定通知書", "診療年月", "令和7年7月", "自己負担額", "25,000円", "7,000円"]),
    ("kyakka", ["療養費却下通知書", "却下", "必要な添付書類が提出されていないため"]),
    ("genmen", ["後期高齢者医療保険料減免決定通知書", "令和7年度", "事業の休廃止・損失・失業", "100%",
                "84,000円", "保険料額変更決定通知書"]),
    ("yuyo", ["後期高齢者医療保険料徴収猶予決定通知書", "一部承認", "令和7年7月10日から令和8年1月9日まで",
              "延滞金はかかりません"]),
])  # fmt: skip
def test_each_notice_prints_its_decision(tmp_path: Path, what: str, expected: list[str]) -> None:
    text = flat(write(tmp_path, what))
    for s in expected:
        assert "".join(s.split()) in text, s
    assert not contains_personal_number(text)


def test_a_refusal_prints_no_payment_and_a_grant_no_reason(tmp_path: Path) -> None:
    refused, paid = flat(write(tmp_path, "kyakka")), flat(write(tmp_path, "ryoyohi"))
    assert "お支払予定日" not in refused and "お支払予定日" in paid
    assert "理由" not in paid


def test_the_same_data_give_the_same_bytes() -> None:
    kind, item = SAMPLES["genmen"]
    assert render_pdf(kind, [item]) == render_pdf(kind, [item])


def test_figures_that_cannot_be_are_refused() -> None:
    _, paid = SAMPLES["ryoyohi"]
    _, reduction = SAMPLES["genmen"]
    with pytest.raises(ValueError, match="申請額以下"):
        replace(paid, amount_decided=40_000)
    with pytest.raises(ValueError, match="対象額以下"):
        replace(reduction, amount_decided=90_000)
    with pytest.raises(ValueError, match="減免 or 徴収猶予"):
        replace(reduction, relief="還付")


def test_the_data_hold_no_personal_number_field() -> None:
    for cls in (BenefitNoticeData, ReliefNoticeData):
        names = [f.name for f in fields(cls)]
        assert not any("personal" in n or "my_" in n for n in names), cls
