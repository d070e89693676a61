"""Sample premium notices from synthetic people: for `kouki demo` and the PNGs in docs/documents/.

`render_premium_samples(out_dir)` computes the premiums with the engine (Saitama preset, FY2025) and the
instalments with kouki.rules.instalments when it is importable; otherwise the sample uses a fixed,
clearly labelled instalment list (期別 「…(見本)」). Sample only: nothing here is used for real notices.

    .venv/bin/python -m kouki.documents.premium_samples docs/documents   # PDFs + PNGs (pdftoppm)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kouki.documents import premium_change_notice, premium_notice
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.pages import DocumentKind, samples_main, write_sample_pdfs
from kouki.documents.premium_data import (
    PENSION,
    Addressee,
    InstalmentLine,
    PremiumBreakdown,
    PremiumChangeNoticeData,
    PremiumNoticeData,
    breakdown_from_engine,
    instalment_lines,
)
from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters

FISCAL_YEAR = 2025
ISSUED_ON = date(2025, 7, 10)
CHANGED_ON = date(2025, 7, 18)
# さいたま市's own 普通徴収 months are not published ([NF]); the sample assumes July–March (9 期) so that a
# re-plan that moves the rest to direct payment can be shown. Sample configuration only.
SAMPLE_DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)
SAMPLE_STOP_LEAD_MONTHS = 2  # a sample configuration: the city's real lead is [NF] (ADR 0006 §6)

ADDRESSEE = Addressee(
    addressee_no="100004321",
    family_name="見沼",
    given_name="太郎",
    postal_code="3370051",
    address="さいたま市見沼区東大宮九丁目99番9号",
)
INSURED_NO = "11112236"
TARO = HouseholdMember(
    id="taro",
    insured=True,
    householder=True,
    birth_date=date(1944, 9, 3),
    public_pension_revenue=2_600_000,
    other_income=200_000,
)
HANAKO = HouseholdMember(
    id="hanako", insured=True, birth_date=date(1947, 2, 11), public_pension_revenue=780_000
)
PENSION_ANNUAL = 2_600_000
CARE_PREMIUM = 92_000


def _breakdown(taro: HouseholdMember) -> PremiumBreakdown:
    params = resolve_parameters(FISCAL_YEAR, "saitama")
    results = {r.id: r for r in assess_household([taro, HANAKO], params)}
    return breakdown_from_engine(taro, results["taro"], params)


def _fixed_lines(amount: int) -> tuple[InstalmentLine, ...]:
    """Without the planner: six pension instalments, odd yen in April, each labelled 見本."""
    later = amount // 6 // 100 * 100
    amounts = [amount - 5 * later] + [later] * 5
    months = [
        (FISCAL_YEAR, 4),
        (FISCAL_YEAR, 6),
        (FISCAL_YEAR, 8),
        (FISCAL_YEAR, 10),
        (FISCAL_YEAR, 12),
        (FISCAL_YEAR + 1, 2),
    ]
    return tuple(
        InstalmentLine(PENSION, "(見本)", y, m, date(y, m, 15), a)
        for (y, m), a in zip(months, amounts, strict=True)
    )


def _planned(old: int, new: int | None) -> tuple[tuple[InstalmentLine, ...], Any]:
    """The initial plan's lines and, when `new` is given, the re-plan (None without the planner)."""
    try:
        from kouki.rules import instalments as inst
        from kouki.rules.business_days import japanese_calendar
    except ImportError:
        return _fixed_lines(old), None
    cal = japanese_calendar([FISCAL_YEAR, FISCAL_YEAR + 1])
    rules = replace(
        inst.SAITAMA, direct_months=SAMPLE_DIRECT_MONTHS, pension_stop_lead_months=SAMPLE_STOP_LEAD_MONTHS
    )
    previous = old - 3_000
    pension = inst.PensionInfo(
        annual_amount=PENSION_ANNUAL,
        care_premium_annual=CARE_PREMIUM,
        provisional_amount=previous // 6 // 100 * 100,
        previous_annual_premium=previous,
    )
    plan = inst.plan_instalments(inst.PlanRequest(FISCAL_YEAR, old, None, "age", pension), rules, cal)
    if new is None:
        return instalment_lines(plan.instalments), None
    replan = inst.replan_after_reassessment(
        plan, new_annual_premium=new, as_of=CHANGED_ON, rules=rules, cal=cal
    )
    return instalment_lines(replan.instalments, settled_on_or_before=CHANGED_ON), replan


def sample_notice() -> PremiumNoticeData:
    breakdown = _breakdown(TARO)
    lines, _ = _planned(breakdown.amount_due, None)
    return PremiumNoticeData(
        addressee=ADDRESSEE,
        insured_no=INSURED_NO,
        fiscal_year=FISCAL_YEAR,
        issued_on=ISSUED_ON,
        issuer=default_issuer(),
        insurer_name=default_insurer_name(),
        breakdown=breakdown,
        instalments=lines,
    )


def sample_change_notice() -> PremiumChangeNoticeData:
    """Taro's 2024 other income was corrected downwards (修正申告) in July: the premium falls after two
    provisional pension deductions, so the deduction stops — from the payment the pension payer can
    still act on (August's was already notified and is still deducted) — and the rest is paid directly."""
    old = _breakdown(TARO)
    new = _breakdown(TARO._replace(other_income=0))
    lines, replan = _planned(old.amount_due, new.amount_due)
    if replan is None:  # without the planner: settled = the first three fixed lines
        fixed = _fixed_lines(old.amount_due)
        settled = tuple(replace(line, settled=True) for line in fixed[:2])
        rest = new.amount_due - sum(line.amount for line in settled)
        lines = (*settled, *_rest_lines(rest)) if rest > 0 else settled
        overpayment, stopped = max(0, -rest), False
    else:
        overpayment, stopped = replan.overpayment, replan.pension_stopped
    return PremiumChangeNoticeData(
        addressee=ADDRESSEE,
        insured_no=INSURED_NO,
        fiscal_year=FISCAL_YEAR,
        issued_on=date(2025, 7, 25),
        issuer=default_issuer(),
        insurer_name=default_insurer_name(),
        reason="所得の更正(令和6年分所得の修正申告)",
        changed_on=CHANGED_ON,
        old=old,
        new=new,
        instalments=lines,
        overpayment=overpayment,
        pension_stopped=stopped,
    )


def _rest_lines(rest: int) -> tuple[InstalmentLine, ...]:
    months = [(FISCAL_YEAR, 10), (FISCAL_YEAR, 12), (FISCAL_YEAR + 1, 2)]
    later = rest // 3 // 100 * 100
    amounts = [rest - 2 * later, later, later]
    return tuple(
        InstalmentLine(PENSION, "(見本)", y, m, date(y, m, 15), a)
        for (y, m), a in zip(months, amounts, strict=True)
    )


def render_premium_samples(out_dir: Path, *, png: bool = False) -> list[Path]:
    """One 保険料額決定通知書 and one 変更通知 PDF (and PNGs with png=True) in out_dir; the files written."""
    samples: list[tuple[DocumentKind[Any], Any, str]] = [
        (premium_notice.KIND, sample_notice(), "premium-notice"),
        (premium_change_notice.KIND, sample_change_notice(), "premium-change-notice"),
    ]
    return write_sample_pdfs(out_dir, samples, png=png)


if __name__ == "__main__":
    samples_main(lambda out_dir: render_premium_samples(out_dir, png=True))
