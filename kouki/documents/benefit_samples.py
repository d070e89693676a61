"""Sample decision notices of the union's benefit and relief decisions (synthetic people, invented
numbers), for the demo's output folder and docs: 支給決定通知書 for 療養費, 葬祭費 and 高額療養費, a
不支給 (却下) notice, a 減免決定通知書 and a 徴収猶予決定通知書.

    write_benefit_samples(out_dir) -> list[Path]      # one PDF each, named <kind>-<what>.pdf
    python -m kouki.documents.benefit_samples OUT_DIR  # the same, with a PNG of each first page
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kouki.documents.benefit_notice import PAYMENT_KIND, REFUSAL_KIND, BenefitNoticeData
from kouki.documents.pages import DocumentKind, first_page_png, samples_main
from kouki.documents.premium_data import Addressee
from kouki.documents.relief_notice import (
    DEFERRAL,
    DEFERRAL_KIND,
    REDUCTION,
    REDUCTION_KIND,
    ReliefNoticeData,
)
from kouki.rules.wareki import format_wareki, wareki_month

ADDRESSEE = Addressee("100004321", "見沼", "花子", "3370051", "さいたま市見沼区東大宮九丁目99番9号")
MOURNER = Addressee("100004322", "見沼", "一郎", "3370051", "さいたま市見沼区東大宮九丁目99番9号")
INSURED_NO = "11112228"
BANK = "さいたま信用金庫 東大宮支店 普通 ****321"


def _benefit(**changes: Any) -> BenefitNoticeData:
    base = BenefitNoticeData(
        addressee=ADDRESSEE, benefit="療養費（やむを得ない自費）", result="支給", insured_name="見沼　花子",
        insured_no=INSURED_NO, reception_no="U2025-000123", received_on=date(2025, 7, 10),
        right_label="お支払いの日", right_text=format_wareki(date(2025, 6, 20)), amount_claimed=32_400,
        base_amount=32_400, base_label="保険診療相当額", amount_decided=29_160, reason="",
        decided_on=date(2025, 8, 5), payment_date=date(2025, 8, 25), bank_text=BANK,
        issued_on=date(2025, 8, 8),
    )  # fmt: skip
    return replace(base, **changes)


def _relief(**changes: Any) -> ReliefNoticeData:
    base = ReliefNoticeData(
        addressee=ADDRESSEE, relief=REDUCTION, result="承認", insured_name="見沼　花子",
        insured_no=INSURED_NO, reception_no="U2025-000130", received_on=date(2025, 7, 10), fiscal_year=2025,
        ground="事業の休廃止・損失・失業", amount=84_000, amount_decided=84_000, percent=100,
        deferral_from=None, deferral_until=None, reason="", decided_on=date(2025, 8, 5),
        issued_on=date(2025, 8, 8),
    )  # fmt: skip
    return replace(base, **changes)


def sample_notices() -> list[tuple[DocumentKind[Any], Any, str]]:
    """(kind, data, what) of each sample."""
    return [
        (PAYMENT_KIND, _benefit(), "ryoyohi"),
        (PAYMENT_KIND, _benefit(
            addressee=MOURNER, benefit="葬祭費", insured_name="見沼　太郎", reception_no="U2025-000124",
            right_label="葬祭を行った日", right_text=format_wareki(date(2025, 6, 20)), amount_claimed=50_000,
            base_amount=50_000, base_label="葬祭費の額", amount_decided=50_000), "sosaihi"),
        (PAYMENT_KIND, _benefit(
            benefit="高額療養費", reception_no="U2025-000125", received_on=date(2025, 10, 2),
            right_label="診療年月", right_text=wareki_month(2025, 7), amount_claimed=0, base_amount=25_000,
            base_label="自己負担額", amount_decided=7_000, decided_on=date(2025, 10, 20),
            payment_date=date(2025, 11, 10), issued_on=date(2025, 10, 24)), "kogaku"),
        (REFUSAL_KIND, _benefit(
            result="却下", reception_no="U2025-000126", amount_decided=0, payment_date=None, bank_text="",
            reason="必要な添付書類が提出されていないため"), "kyakka"),
        (REDUCTION_KIND, _relief(), "genmen"),
        (DEFERRAL_KIND, _relief(
            relief=DEFERRAL, result="一部承認", reception_no="U2025-000131", percent=0,
            deferral_from=date(2025, 7, 10), deferral_until=date(2026, 1, 9),
            reason="基準により申請の一部を承認したため（猶予の期間は6か月以内です）"), "yuyo"),
    ]  # fmt: skip


def write_benefit_samples(out_dir: Path, *, png: bool = False) -> list[Path]:
    """One PDF per sample as out_dir/<kind>-<what>.pdf (and its first page as PNG); the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind, item, what in sample_notices():
        pdf = out_dir / f"{kind.name}-{what}.pdf"
        pdf.write_bytes(kind.render([item]))
        written.append(pdf)
        if png:
            written.append(first_page_png(pdf, out_dir / f"{kind.name}-{what}"))
    return written


if __name__ == "__main__":
    samples_main(lambda out_dir: write_benefit_samples(out_dir, png=True))
