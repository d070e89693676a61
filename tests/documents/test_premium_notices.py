"""保険料額決定通知書 and 変更通知 as PDFs: font embedded, fields as text, the table adds up, no number."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kouki.documents import premium_change_notice, premium_notice
from kouki.documents.data import default_issuer
from kouki.documents.fonts import GOTHIC
from kouki.documents.pages import DocumentKind
from kouki.documents.premium_data import (
    Addressee,
    InstalmentLine,
    InvalidNoticeData,
    PremiumChangeNoticeData,
    PremiumNoticeData,
    breakdown_from_engine,
    instalment_lines,
)
from kouki.documents.premium_samples import render_premium_samples, sample_change_notice, sample_notice
from kouki.documents.render import render_batch, render_pdf
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters

from .pdftools import page_count, pdffonts, pdftotext

ADDRESSEE = Addressee(
    addressee_no="100000123",
    family_name="山田",
    given_name="太郎",
    postal_code="3300854",
    address="さいたま市大宮区桜木町一丁目7番5号",
)
ISSUE_EXAMPLE = HouseholdMember(
    id="A", insured=True, householder=True, birth_date=date(1946, 5, 1), public_pension_revenue=1_800_000
)
# FY2026 values are not published; these invented ones only exercise the child-support line.
FY2026_TEST_VALUES: dict[str, Any] = {
    "per_capita_levy": 47_000,
    "income_levy_rate": "0.095",
    "reduction": {
        "base": 430_000,
        "per_earner": 100_000,
        "per_insured_50": 305_000,
        "per_insured_20": 560_000,
        "salary_earner_over": 650_000,
        "pension_earner_over_under_65": 600_000,
        "pension_earner_over_65": 1_250_000,
        "senior_pension_deduction": 150_000,
    },
    "child_support": {
        "per_capita_levy": 1_500,
        "income_levy_rate": "0.003",
        "reduced_per_capita_rounding": 10,
        "income_levy_rounding": 1,
        "premium_rounding": 100,
    },
}


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def yen_values(line: str) -> list[int]:
    return [int(v.replace(",", "")) for v in re.findall(r"([\d,]+)円", line)]


KINDS: dict[str, DocumentKind[Any]] = {"notice": premium_notice.KIND, "change": premium_change_notice.KIND}


def write(tmp_path: Path, kind: str, items: list[Any], name: str = "") -> Path:
    path = tmp_path / f"{name or kind}.pdf"
    path.write_bytes(render_pdf(KINDS[kind], items))
    return path


def engine_notice(fiscal_year: int, overrides: dict[str, Any] | None = None) -> PremiumNoticeData:
    params = resolve_parameters(fiscal_year, "saitama", overrides)
    result = assess_household([ISSUE_EXAMPLE], params)[0]
    breakdown = breakdown_from_engine(ISSUE_EXAMPLE, result, params)
    due = breakdown.amount_due
    later = due // 6 // 100 * 100
    amounts = [due - 5 * later] + [later] * 5
    months = [
        (fiscal_year, 4),
        (fiscal_year, 6),
        (fiscal_year, 8),
        (fiscal_year, 10),
        (fiscal_year, 12),
        (fiscal_year + 1, 2),
    ]
    lines = tuple(
        InstalmentLine("pension", "仮徴収" if m in (4, 6, 8) else "本徴収", y, m, date(y, m, 15), a)
        for (y, m), a in zip(months, amounts, strict=True)
    )
    return PremiumNoticeData(
        addressee=ADDRESSEE,
        insured_no="12345675",
        fiscal_year=fiscal_year,
        issued_on=date(fiscal_year, 7, 10),
        issuer="さいたま市長",
        insurer_name="埼玉県後期高齢者医療広域連合",
        breakdown=breakdown,
        instalments=lines,
    )


def table_rows(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if re.match(r"\s*(特別徴収|普通徴収)\s", line)]


def total_line(text: str, label: str, *, last: bool = True) -> str:
    """The last (or first) line with `label` as a cell and an amount (the instalment total comes last)."""
    found = [
        line
        for line in text.splitlines()
        if re.search(rf"(^|\s){re.escape(label)}\s", line) and re.search(r"[\d,]+円\s*$", line)
    ]
    assert found, label
    return found[-1] if last else found[0]


@pytest.mark.parametrize("kind", ["notice", "change"])
def test_only_the_embedded_japanese_font_is_used(tmp_path: Path, kind: str) -> None:
    item = sample_notice() if kind == "notice" else sample_change_notice()
    fonts = pdffonts(write(tmp_path, kind, [item]))
    assert fonts and all(f["name"].endswith(f"+{GOTHIC}") and f["emb"] == "yes" for f in fonts)


def test_issue_example_notice_prints_how_the_premium_was_reached(tmp_path: Path) -> None:
    """FY2024 Saitama, the issue's example: 均等割 22,960 (5割), 所得割 22,734, annual 45,600."""
    data = engine_notice(2024)
    text = pdftotext(write(tmp_path, "notice", [data]))
    f = flat(text)
    for expected in (
        "令和6年度後期高齢者医療保険料額決定通知書",
        "〒330-0854",
        "さいたま市大宮区桜木町一丁目7番5号",
        "山田太郎様",
        "宛名番号100000123",
        "被保険者番号12345675",
        "通知年月日令和6年7月10日",
        "令和5年中の所得",
        "総所得金額等",
        "700,000円",
        "基礎控除430,000円",
        "270,000円×所得割率8.42%",
        "所得割額",
        "22,734円",
        "45,930円(5割軽減)",
        "22,960円",
        "賦課限度額",
        "730,000円",
        "×12/12か月",
        "年間保険料額",
        "45,600円",
        "さいたま市長",
        "埼玉県後期高齢者医療広域連合",
        "さいたま市大宮区役所保険年金課",
        "審査請求",
        "令和6年4月",
        "令和7年2月15日(支払日)",
    ):
        assert expected in f, expected
    assert "子ども・子育て支援金" not in f  # before FY2026 there is no such line


def test_instalment_table_adds_up_to_the_annual_premium(tmp_path: Path) -> None:
    for data in (engine_notice(2024), sample_notice()):
        text = pdftotext(write(tmp_path, "notice", [data]))
        rows = table_rows(text)
        assert len(rows) == len(data.instalments)
        amounts = [yen_values(row)[-1] for row in rows]
        assert amounts == [i.amount for i in data.instalments]
        printed_total = yen_values(total_line(text, "合計"))[-1]
        printed_annual = yen_values(total_line(text, "年間保険料額", last=False))[-1]
        assert sum(amounts) == printed_total == printed_annual == data.breakdown.annual_premium


def test_sample_notice_uses_the_engine_and_the_planner(tmp_path: Path) -> None:
    data = sample_notice()
    assert all(line.method == "pension" for line in data.instalments)
    assert [line.period for line in data.instalments] == ["仮徴収"] * 3 + ["本徴収"] * 3
    assert [line.month for line in data.instalments] == [4, 6, 8, 10, 12, 2]
    assert all(line.due_date.day <= 15 for line in data.instalments)  # 年金支払日 (15th or before)
    f = flat(pdftotext(write(tmp_path, "notice", [data])))
    assert "令和7年度後期高齢者医療保険料額決定通知書" in f and "見沼太郎様" in f and "(見本)" not in f


def test_child_support_levy_is_its_own_line_from_fy2026(tmp_path: Path) -> None:
    data = engine_notice(2026, FY2026_TEST_VALUES)
    b = data.breakdown
    assert b.child_support_levy is not None and b.child_support_levy > 0
    text = pdftotext(write(tmp_path, "notice", [data]))
    f = flat(text)
    assert (
        "令和8年度" in f
        and f"子ども・子育て支援金保険料とあわせて納めていただく額(年額){b.child_support_levy:,}円" in f
    )
    assert yen_values(total_line(text, "年間保険料額", last=False))[-1] == b.annual_premium
    # the instalments collect premium + levy; the table's total is that sum
    amounts = [yen_values(row)[-1] for row in table_rows(text)]
    assert sum(amounts) == b.annual_premium + b.child_support_levy == yen_values(total_line(text, "合計"))[-1]


def test_change_notice_old_new_reason_and_replanned_instalments(tmp_path: Path) -> None:
    data = sample_change_notice()
    text = pdftotext(write(tmp_path, "change", [data]))
    f = flat(text)
    for expected in (
        "令和7年度後期高齢者医療保険料額変更決定通知書",
        "変更の理由",
        "所得の更正",
        "変更年月日令和7年7月18日",
        "変更前",
        "変更後",
        "差額",
        f"{data.old.annual_premium:,}円",
        f"{data.new.annual_premium:,}円",
        f"−{data.old.annual_premium - data.new.annual_premium:,}円",
        "納期到来分",
        "今後",
        "特別徴収)を中止しました",
        "審査請求",
        "見沼太郎様",
    ):
        assert expected in f, expected
    assert data.new.annual_premium < data.old.annual_premium and data.pension_stopped
    rows = table_rows(text)
    settled = [r for r in rows if r.endswith("納期到来分")]
    remaining = [r for r in rows if r.endswith("今後")]
    assert settled and remaining and len(settled) + len(remaining) == len(data.instalments)
    # the deduction stopped from September (sample lead: 2 months after the 7-18 notice): August's
    # deduction, already notified to the pension payer, stays (介護保険法 §138③ via 高確法 §110) and the
    # rest is paid directly
    assert [r.startswith("特別徴収") for r in remaining].count(True) == 1
    assert all(r.startswith("普通徴収") for r in remaining[1:])
    assert "既に通知している8月の年金からの差し引き" in f
    total = sum(yen_values(r)[-1] for r in rows)
    assert total == yen_values(total_line(text, "合計(納期到来分を含む)"))[-1] == data.new.annual_premium
    assert f"納期が到来した分{data.settled:,}円" in f and f"今後の納期の分{data.remaining:,}円" in f
    assert "過誤納金" not in f


def test_change_notice_with_an_overpayment(tmp_path: Path) -> None:
    base = sample_change_notice()
    settled = tuple(line for line in base.instalments if line.settled)
    paid = sum(line.amount for line in settled)
    new = replace(base.new, annual_premium=paid - 3_000)
    data = replace(base, new=new, instalments=settled, overpayment=3_000, pension_stopped=True)
    f = flat(pdftotext(write(tmp_path, "change", [data])))
    assert "過誤納金3,000円" in f and "還付通知書" in f
    with pytest.raises(InvalidNoticeData, match="overpayment"):
        replace(data, overpayment=2_000)


def test_figures_that_do_not_add_up_are_refused() -> None:
    data = sample_notice()
    wrong = (*data.instalments[:-1], replace(data.instalments[-1], amount=data.instalments[-1].amount + 1))
    with pytest.raises(InvalidNoticeData, match="amount due"):
        replace(data, instalments=wrong)


def test_direct_instalments_are_numbered_by_period() -> None:
    class Item:
        def __init__(self, method: str, stage: str, month: tuple[int, int], due: date, amount: int) -> None:
            self.method, self.stage, self.due_date, self.amount = method, stage, due, amount
            self.month = type("YM", (), {"year": month[0], "month": month[1]})()

    items = [
        Item("direct", "direct", (2025, 8), date(2025, 9, 1), 500),
        Item("pension", "provisional", (2025, 4), date(2025, 4, 15), 700),
        Item("direct", "direct", (2025, 9), date(2025, 9, 30), 400),
    ]
    lines = instalment_lines(items, settled_on_or_before=date(2025, 4, 30))
    assert [(x.period, x.month, x.settled) for x in lines] == [
        ("仮徴収", 4, True),
        ("第1期", 8, False),
        ("第2期", 9, False),
    ]


def test_notices_carry_no_personal_number(tmp_path: Path) -> None:
    for cls in (PremiumNoticeData, PremiumChangeNoticeData, Addressee):
        names = [f.name for f in fields(cls)]
        assert not any("number" in n or "my_" in n for n in names), cls
    for kind, item in (("notice", sample_notice()), ("change", sample_change_notice())):
        assert not contains_personal_number(pdftotext(write(tmp_path, kind, [item])))


def test_render_premium_samples_writes_one_of_each(tmp_path: Path) -> None:
    written = render_premium_samples(tmp_path)
    assert [p.name for p in written] == ["hokenryo-kettei-tsuchisho.pdf", "hokenryo-henko-tsuchisho.pdf"]
    assert [page_count(p) for p in written] == [1, 1]


def test_batch_rendering_and_reproducibility(tmp_path: Path) -> None:
    people = [
        replace(
            sample_notice(), insured_no=f"{20000000 + i}", addressee=replace(ADDRESSEE, given_name=f"太郎{i}")
        )
        for i in range(5)
    ]
    files = render_batch(premium_notice.KIND, people, tmp_path, "kettei", workers=2, part_size=2)
    assert [f.pages for f in files] == [2, 2, 1] == [page_count(f.path) for f in files]
    assert "山田太郎4様" in flat(pdftotext(files[2].path))
    assert render_pdf(premium_notice.KIND, people[:1]) == render_pdf("hokenryo-kettei-tsuchisho", people[:1])
    with pytest.raises(ValueError):
        render_pdf(premium_change_notice.KIND, [])


def test_issuer_follows_the_city_setting(settings: Any) -> None:
    settings.KOUKI_CITY_NAME = "川口市"
    assert default_issuer() == "川口市長"


def test_samples_without_the_planner_use_a_labelled_fixed_list(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import kouki.rules

    monkeypatch.setitem(sys.modules, "kouki.rules.instalments", None)  # import fails
    monkeypatch.delattr(kouki.rules, "instalments", raising=False)
    notice, change = sample_notice(), sample_change_notice()
    assert all(line.period == "(見本)" for line in notice.instalments)
    assert sum(line.amount for line in notice.instalments) == notice.breakdown.amount_due
    assert change.settled + change.remaining - change.overpayment == change.new.amount_due
