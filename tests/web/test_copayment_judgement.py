"""負担割合の判定 (counter co-payment judgement): form → rule → rate, reasons and steps; Japanese field
errors; who may open it; nothing stored. The rules and their sources: tests/rules/test_copayment.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.privacy.models import AuditEntry
from kouki.web.access import declaration_of
from kouki.web.views.copayment_judgement import copayment_judgement_view

pytestmark = pytest.mark.django_db
URL = "/copayment/judgement/"
ROWS = 6


def post_data(as_of: str, members: list[dict[str, str]]) -> dict[str, str]:
    data = {
        "as_of": as_of,
        "m-TOTAL_FORMS": str(ROWS),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": str(ROWS),
    }
    for i, member in enumerate(members):
        data.update({f"m-{i}-{k}": v for k, v in member.items()})
    return data


# The issue's example: born S23.2.10, 課税所得 160万, pension 260万, other 30万 → the 210万 rule, then 2割.
EXAMPLE_A = {
    "label": "本人",
    "birth_date": "S23.2.10",
    "insured": "on",
    "taxable_income": "1600000",
    "public_pension_revenue": "2600000",
    "other_income": "300000",
}


def test_url_and_declaration() -> None:
    assert reverse("web:copayment_judgement") == URL
    decl = declaration_of(copayment_judgement_view)
    assert decl is not None and decl.permission == Perm.VIEW_PERSON and decl.business_function == 4
    assert decl.methods == ("GET", "POST")


def test_issue_example_shows_the_rate_the_reasons_and_the_steps(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    audit_before = AuditEntry.objects.count()
    response = client.post(URL, post_data("R8.8.1", [EXAMPLE_A]))
    assert response.status_code == 200
    result: dict[str, Any] = response.context["result"]
    assert result["rate"] == "20%" and result["members"] == ["本人"]
    assert result["reasons"][0] == "課税所得が145万円以上の被保険者(本人、1,600,000円)がいる世帯です"
    assert "申請は不要です" in result["reasons"][1]
    page = response.content.decode()
    for shown in (
        "負担割合: <strong id=\"rate\">2割</strong>",
        "判定の過程",
        "令和8年8月1日〜令和9年7月31日の負担割合",
        "旧ただし書所得",
        "1,370,000円",
        "現役並み所得の判定",
        "2割の判定",
        "2割 (旧ただし書所得210万円以下)",
    ):
        assert shown in page, shown
    # a calculator: nothing written, not even an audit row
    assert AuditEntry.objects.count() == audit_before
    assert "no-store" in response["Cache-Control"]


def test_three_割_says_why(client_as: Callable[[Role], Client]) -> None:
    """Born before 1945-01-02 (no 210万 rule), 収入 400万 ≥ 383万: 3割 for both insured members."""
    members = [
        {"label": "夫", "birth_date": "S19.6.1", "insured": "on", "taxable_income": "1500000",
         "public_pension_revenue": "4000000"},
        {"label": "妻", "birth_date": "S20.3.1", "insured": "on", "public_pension_revenue": "1300000"},
    ]  # fmt: skip
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data("2026-08-01", members))
    result = response.context["result"]
    assert result["rate"] == "30%" and result["members"] == ["夫", "妻"]
    assert result["reasons"][-1] == "世帯の被保険者全員が現役並み所得者として3割です"
    assert any("旧ただし書所得" in s["step"] and "合計" in s["detail"] for s in result["steps"])
    assert "3割" in response.content.decode()


def test_a_70_to_74_household_member_counts_for_the_income_test(client_as: Callable[[Role], Client]) -> None:
    members = [
        {"label": "本人", "birth_date": "S19.6.1", "insured": "on", "taxable_income": "1500000",
         "public_pension_revenue": "4000000"},
        {"label": "子", "birth_date": "S29.3.1", "public_pension_revenue": "1190000"},
    ]  # fmt: skip
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data("R8.8.1", members))
    result = response.context["result"]
    assert result["rate"] == "20%" and result["members"] == ["本人"]
    assert any("基準収入額の適用により" in r for r in result["reasons"])


def test_empty_form_on_get(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "負担割合の判定" in page and "判定する" in page and response.context["result"] is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"birth_date": "1946-13-01"}, "birth_date", "存在しない日付です"),
        ({"birth_date": ""}, "birth_date", "生年月日を入力してください"),
        ({"taxable_income": "-5"}, "taxable_income", "0以上で入力してください"),
        ({"salary_revenue": "12万"}, "salary_revenue", "円単位の整数で入力してください"),
        ({"dependants_under_16": "x"}, "dependants_under_16", "人数を整数で入力してください"),
    ],
)
def test_invalid_input_shows_a_japanese_field_error(
    client_as: Callable[[Role], Client], change: dict[str, str], field: str, message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data("R8.8.1", [{**EXAMPLE_A, **change}]))
    assert response.status_code == 200
    assert response.context["result"] is None
    errors = response.context["members"].forms[0].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("as_of", "members", "message"),
    [
        ("", [EXAMPLE_A], "入力してください"),
        ("R8.8.1", [{**EXAMPLE_A, "insured": ""}], "被保険者の方が1人もいません"),
        ("R8.8.1", [EXAMPLE_A, EXAMPLE_A], "呼び名が重なっています"),
        ("R8.8.1", [], "世帯の方を1人以上入力してください"),
        # the rule refuses: an income year whose 給与所得控除 is not implemented
        ("R9.8.1", [{**EXAMPLE_A, "salary_revenue": "3000000"}],
         "この条件では判定できません: 令和8年分の所得の給与所得控除にはまだ対応していません"),
        ("R9.8.1", [{**EXAMPLE_A, "salary_revenue": "3000000"}], "「その他の所得」に入力してください"),
        ("2019-08-01", [EXAMPLE_A], "令和3年8月1日より前の日の判定には対応していません(令和2年分より前"),
        ("R8.8.1", [{**EXAMPLE_A, "birth_date": "R8.8.2"}], "生年月日が判定する日より後になっています"),
    ],
)
def test_household_errors(
    client_as: Callable[[Role], Client], as_of: str, members: list[dict[str, str]], message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(as_of, members))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["result"] is None


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(role: Role, client_as: Callable[[Role], Client]) -> None:
    client = client_as(role)
    allowed = Perm.VIEW_PERSON in ROLE_PERMISSIONS[role]
    assert client.get(URL).status_code == (200 if allowed else 403)
    response = client.post(URL, post_data("R8.8.1", [EXAMPLE_A]))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "旧ただし書所得" not in response.content.decode()
    menu = client.get(reverse("web:menu")).content.decode()
    assert ("負担割合の判定" in menu) == allowed


def test_anonymous_is_sent_to_login(client: Client) -> None:
    assert client.get(URL)["Location"].startswith("/login/?next=")
    response = client.post(URL, post_data("R8.8.1", [EXAMPLE_A]))
    assert response.status_code == 302 and "旧ただし書所得" not in response.content.decode()


def test_incomes_are_never_put_in_the_url(client_as: Callable[[Role], Client]) -> None:
    page = client_as(Role.COUNTER_CLERK).get(URL).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
