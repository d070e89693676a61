"""kouki.rules.applications: the kinds' 事務, checklists, details schema, time limit and warnings.

Sources: ../shared/docs/domain-facts-next.md §1–§3 (R4, R6, R7, R8, R20, R21–R27) and the assessment's
list of 事務 (PIA L84–99, requirements BF-01)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.accounts.permissions import NUMBER_JIMU
from kouki.rules.applications import (
    FUNERAL_AMOUNT,
    GROUND_EVIDENCE,
    SPECS,
    ApplicationKind,
    DetailsInvalid,
    Ground,
    clean_details,
    missing_documents,
    requirements_of,
    spec_of,
    time_limit_last_day,
    time_limit_passed,
    warnings_for,
)

FUNERAL = {"funeral_date": "2026-03-20", "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
           "former_insurance": "no"}  # fmt: skip


def test_the_number_jimu_agree_with_the_accounts_list() -> None:
    from kouki.rules.applications import NUMBER_JIMU_NUMBERS

    assert NUMBER_JIMU_NUMBERS == {int(j) for j in NUMBER_JIMU}


@pytest.mark.parametrize(
    ("kind", "jimu"),
    [
        (ApplicationKind.FUNERAL, 7),  # PIA L90: 葬祭費 is 事務 7
        (ApplicationKind.PREMIUM_DEFERRAL, 9),  # L92
        (ApplicationKind.PREMIUM_REDUCTION, 11),  # L94
        (ApplicationKind.SIMPLE_DECLARATION, 13),  # L96
        (ApplicationKind.MEDICAL_ABROAD, 4),  # L87: 医療給付に関する申請
        (ApplicationKind.HIGH_COST, 4),
        (ApplicationKind.SPECIFIED_DISEASE, 4),
    ],
)
def test_each_kind_belongs_to_its_jimu(kind: ApplicationKind, jimu: int) -> None:
    assert spec_of(kind).jimu == jimu


def test_bf01_only_the_funeral_expense_kind_may_not_carry_a_personal_number() -> None:
    assert [k for k, s in SPECS.items() if not s.number_allowed] == [ApplicationKind.FUNERAL]


@pytest.mark.parametrize(
    ("event", "last_day"),
    [
        (date(2024, 4, 9), date(2026, 4, 9)),  # counted from the next day, ends on the corresponding day
        (date(2024, 2, 29), date(2026, 2, 28)),  # 民法 §143 ②: no 29 Feb → the month's last day
        (date(2025, 12, 31), date(2027, 12, 31)),
    ],
)
def test_time_limit_examples(event: date, last_day: date) -> None:
    """[R4] 療養費 2 years from the day after payment; [R6][R7] 葬祭費 from the day after the funeral."""
    assert time_limit_last_day(event) == last_day
    assert not time_limit_passed(event, last_day)
    assert time_limit_passed(event, last_day + timedelta(days=1))


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(0, 2000))
def test_time_limit_is_about_two_years_and_monotone(event: date, later: int) -> None:
    last = time_limit_last_day(event)
    assert 729 <= (last - event).days <= 731
    assert time_limit_last_day(event + timedelta(days=later)) >= last
    assert time_limit_passed(event, last + timedelta(days=1 + later))


def test_funeral_expenses_are_fifty_thousand_yen_in_saitama() -> None:
    assert FUNERAL_AMOUNT == 50_000  # [R6][R7]
    assert "50,000円" in spec_of(ApplicationKind.FUNERAL).note


def test_clean_details_stores_plain_values_and_names_each_bad_one() -> None:
    assert clean_details(ApplicationKind.FUNERAL, {**FUNERAL, "funeral_date": date(2026, 3, 20)}) == {
        **FUNERAL, "other_account": False}  # fmt: skip
    with pytest.raises(DetailsInvalid) as caught:
        clean_details(
            ApplicationKind.FUNERAL, {"funeral_date": "x", "amount": 3, "former_insurance": "maybe"}
        )
    assert set(caught.value.errors) == {"funeral_date", "amount", "mourner_name", "mourner_relationship",
                                        "former_insurance"}  # fmt: skip
    assert caught.value.errors["amount"] == "この申請にはない項目です"
    assert all(not message.isascii() for message in caught.value.errors.values())


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), min_size=1))
def test_unknown_details_are_never_stored(extra: dict[str, str]) -> None:
    unknown = {k: v for k, v in extra.items() if k not in FUNERAL and k != "other_account"}
    if unknown:
        with pytest.raises(DetailsInvalid):
            clean_details(ApplicationKind.FUNERAL, {**FUNERAL, **unknown})


@given(st.sampled_from(list(ApplicationKind)), st.data())
def test_one_alternative_of_each_requirement_meets_the_checklist(
    kind: ApplicationKind, data: st.DataObject
) -> None:
    details = {"ground": data.draw(st.sampled_from(list(Ground))).value, "other_insurer": True,
               "other_account": True}  # fmt: skip
    reqs = requirements_of(kind, details)
    chosen = frozenset(data.draw(st.sampled_from(r.alternatives)).code for r in reqs)
    assert missing_documents(reqs, chosen) == ()
    if reqs:
        assert missing_documents(reqs, frozenset()) == tuple(r.label for r in reqs)


def test_reduction_evidence_follows_the_ground() -> None:
    """[R26][R28]: grounds 1–4 are judged on income; a disaster needs the り災証明書 [R27][R28]."""
    disaster = requirements_of(ApplicationKind.PREMIUM_REDUCTION, {"ground": "5"})
    assert [r.label for r in disaster][-1].startswith("り災証明書")
    death = [r.label for r in requirements_of(ApplicationKind.PREMIUM_DEFERRAL, {"ground": "1"})]
    assert "前年の収入がわかる書類" in death and "本年の収入見込みがわかる書類" in death
    assert set(GROUND_EVIDENCE) == set(Ground)


def test_specified_disease_accepts_the_previous_insurers_certificate_instead() -> None:
    """[R23]: a doctor's 意見書, or a copy of the previous insurer's 受療証."""
    reqs = requirements_of(ApplicationKind.SPECIFIED_DISEASE, {"disease": "dialysis"})
    presented = frozenset({"form", "card", "former_certificate"})
    assert missing_documents(reqs, presented) == ()


def test_cross_checks() -> None:
    with pytest.raises(DetailsInvalid, match="6か月以内"):
        clean_details(ApplicationKind.PREMIUM_DEFERRAL, {"ground": "3", "months": 7})
    with pytest.raises(DetailsInvalid, match="災害のあった日"):
        clean_details(ApplicationKind.PREMIUM_REDUCTION, {"ground": "5"})
    with pytest.raises(DetailsInvalid, match="90日を超える"):
        clean_details(ApplicationKind.LONG_STAY, {"inpatient_days": 90})  # [R20]: more than 90 days
    assert clean_details(ApplicationKind.LONG_STAY, {"inpatient_days": 91})["inpatient_days"] == 91


def test_warnings_of_a_late_incomplete_excluded_funeral() -> None:
    details = clean_details(ApplicationKind.FUNERAL, {**FUNERAL, "funeral_date": "2024-01-05",
                                                      "former_insurance": "yes"})  # fmt: skip
    w = warnings_for(ApplicationKind.FUNERAL, details, received_on=date(2026, 1, 6),
                     presented=frozenset({"form"}), deceased=False)  # fmt: skip
    assert w.time_limit_last_day == date(2026, 1, 5)
    assert w.messages[0] == "時効(2年)を過ぎています(申請できた最終日 令和8年1月5日)"
    assert len(w.missing) == 3 and len(w.other) == 2
    complete = frozenset({"form", "card", "funeral_receipt", "account"})
    ok = clean_details(ApplicationKind.FUNERAL, FUNERAL)
    assert not warnings_for(ApplicationKind.FUNERAL, ok, received_on=date(2026, 4, 1), presented=complete)


def test_kinds_without_a_known_start_of_the_limit_are_not_checked() -> None:
    """高額療養費 / 高額介護合算: "within 2 years" [R10][R15], the start is not in the facts (ADR 0006)."""
    assert spec_of(ApplicationKind.HIGH_COST).time_limit_from is None
    assert spec_of(ApplicationKind.HIGH_COST_COMBINED).time_limit_from is None
