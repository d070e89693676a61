"""保険料試算 (counter premium estimate): form → engine → result with the steps; Japanese field errors;
who may open it; nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.privacy.models import AuditEntry
from kouki.web.access import declaration_of
from kouki.web.views.premium_estimate import premium_estimate_view

pytestmark = pytest.mark.django_db
URL = "/premium/estimate/"
ROWS = 6


def post_data(fiscal_year: int, members: list[dict[str, str]], union: str = "saitama") -> dict[str, str]:
    data = {
        "fiscal_year": str(fiscal_year),
        "union": union,
        "m-TOTAL_FORMS": str(ROWS),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": str(ROWS),
    }
    for i, member in enumerate(members):
        data.update({f"m-{i}-{k}": v for k, v in member.items()})
    return data


# The issue's JSON example household: one insured householder, born 1946-05-01, pension revenue 180万.
EXAMPLE_A = {
    "label": "A",
    "birth_date": "S21.5.1",
    "insured": "on",
    "householder": "on",
    "public_pension_revenue": "1800000",
    "salary_revenue": "",
    "other_income": "",
}


def test_url_and_declaration() -> None:
    assert reverse("web:premium_estimate") == URL
    decl = declaration_of(premium_estimate_view)
    assert decl is not None and decl.permission == Perm.VIEW_PERSON and decl.business_function == 5
    assert decl.methods == ("GET", "POST")


def test_issue_example_household_fy2024(client_as: Callable[[Role], Client]) -> None:
    """Issue 4 §2 example (Saitama FY2024 preset = the example's parameters): 22,960 / 22,734 / 45,600."""
    client = client_as(Role.COUNTER_CLERK)
    audit_before = AuditEntry.objects.count()
    response = client.post(URL, post_data(2024, [EXAMPLE_A]))
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.context["results"]
    assert [
        (r["id"], r["reduction"], r["per_capita_levy"], r["income_levy"], r["months"], r["annual_premium"])
        for r in results
    ] == [("1", "50%", 22960, 22734, 12, 45600)]
    page = response.content.decode()
    for shown in (
        "22,960円",
        "22,734円",
        "45,600円",
        "5割軽減",
        "計算の過程: A",
        "軽減判定",
        "所得割額",
        "公的年金等所得",
        "保険料額",
    ):
        assert shown in page, shown
    # a calculator: nothing written, not even an audit row
    assert AuditEntry.objects.count() == audit_before
    assert "no-store" in response["Cache-Control"]


def test_two_member_household_and_non_insured_householder(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    members = [
        {"label": "夫", "birth_date": "1950-01-10", "householder": "on", "salary_revenue": "3000000"},
        {"label": "妻", "birth_date": "S19.3.3", "insured": "on", "public_pension_revenue": "700000"},
    ]
    response = client.post(URL, post_data(2025, members))
    results = response.context["results"]
    assert [r["label"] for r in results] == ["妻"]  # only insured members get a premium
    assert results[0]["annual_premium"] > 0


def test_former_dependant_counted_from_the_first_entry_in_another_prefecture(
    client_as: Callable[[Role], Client],
) -> None:
    """Issue 10 §7: the 24 months run from the first entry into 後期 anywhere (tests/rules/
    test_premium_corrections.py cites the sources): entered in Tokyo 2024-01-15, moved here 2025-06-10."""
    member = {**EXAMPLE_A, "birth_date": "1948-12-01", "public_pension_revenue": "3000000",
              "former_dependant": "on", "insured_from": "2025-06-10",
              "first_insured_from": "R6.1.15"}  # fmt: skip
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(2025, [member]))
    [result] = response.context["results"]
    assert (result["reduction"], result["annual_premium"]) == ("former_dependant", 24_800)
    assert "最初の資格取得日 2024-01-15" in response.content.decode()


def test_fy2024_cap_exclusion_after_a_move_at_75(client_as: Callable[[Role], Client]) -> None:
    """FY2024 73万 for a disability entrant, 80万 once they left the certifying union's area after 75
    (https://shizuoka-ki.jp/hokenryo/index2.html)."""
    member = {**EXAMPLE_A, "birth_date": "1949-08-01", "public_pension_revenue": "10740000",
              "disability_entry": "on"}  # fmt: skip
    client = client_as(Role.COUNTER_CLERK)
    stay = client.post(URL, post_data(2024, [member])).context["results"]
    moved = client.post(URL, post_data(2024, [{**member, "left_certifying_area_after_75": "on"}]))
    assert (stay[0]["annual_premium"], moved.context["results"][0]["annual_premium"]) == (730_000, 800_000)


def test_empty_form_on_get(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保険料試算" in page and "試算する" in page and response.context["results"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"birth_date": "1946-13-01"}, "birth_date", "存在しない日付です"),
        ({"birth_date": "きのう"}, "birth_date",
         "日付は R8.4.1(和暦)または 2026-04-01(西暦)の形で入力してください"),
        ({"public_pension_revenue": "-5"}, "public_pension_revenue", "0以上で入力してください"),
        ({"salary_revenue": "12万"}, "salary_revenue", "円単位の整数で入力してください"),
        ({"birth_date": ""}, "birth_date", "生年月日を入力してください"),
        ({"former_dependant": "on"}, "insured_from", "資格取得日を入力してください"),
        (
            {"insured_from": "R6.10.1", "insured_until": "R6.6.1"},
            "insured_until",
            "資格喪失日は資格取得日より後",
        ),
        (
            {"insured_from": "R6.10.1", "first_insured_from": "R6.11.1"},
            "first_insured_from",
            "最初の資格取得日は資格取得日以前",
        ),
        ({"left_certifying_area_after_75": "on"}, "left_certifying_area_after_75", "障害認定の方だけ"),
    ],
)
def test_invalid_input_shows_a_japanese_field_error(
    client_as: Callable[[Role], Client], change: dict[str, str], field: str, message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(2024, [{**EXAMPLE_A, **change}]))
    assert response.status_code == 200
    assert response.context["results"] == []
    errors = response.context["members"].forms[0].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([{**EXAMPLE_A, "insured": ""}], "被保険者の方が1人もいません"),
        ([EXAMPLE_A, {**EXAMPLE_A, "label": "B"}], "世帯主は1人だけ選んでください"),
        ([], "世帯の方を1人以上入力してください"),
    ],
)
def test_household_errors(
    client_as: Callable[[Role], Client], members: list[dict[str, str]], message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(2024, members))
    assert message in response.content.decode()
    assert response.context["results"] == []


def test_missing_union_parameters_are_named(client_as: Callable[[Role], Client]) -> None:
    """FY2026 Saitama values are not published: the engine names what is missing, the screen shows it."""
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(2026, [EXAMPLE_A]))
    assert response.context["results"] == []
    error = response.context["engine_error"]
    assert error.startswith("この条件では計算できません") and "令和8年度の設定値" in error
    assert "均等割額" in error and "子ども・子育て支援金の所得割率" in error
    assert "per_capita_levy" not in error and "child_support" not in error  # no parameter keys (issue 11 §4)
    assert escape(error) in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(role: Role, client_as: Callable[[Role], Client]) -> None:
    client = client_as(role)
    allowed = Perm.VIEW_PERSON in ROLE_PERMISSIONS[role]
    assert client.get(URL).status_code == (200 if allowed else 403)
    response = client.post(URL, post_data(2024, [EXAMPLE_A]))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert b"45,600" not in response.content
    menu = client.get(reverse("web:menu")).content.decode()
    assert ("保険料試算" in menu) == allowed


def test_anonymous_is_sent_to_login(client: Client) -> None:
    assert client.get(URL)["Location"].startswith("/login/?next=")
    response = client.post(URL, post_data(2024, [EXAMPLE_A]))
    assert response.status_code == 302 and b"45,600" not in response.content


def test_incomes_are_never_put_in_the_url(client_as: Callable[[Role], Client]) -> None:
    page = client_as(Role.COUNTER_CLERK).get(URL).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
