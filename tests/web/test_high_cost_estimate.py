"""高額療養費の試算 (counter estimate): form → rules → what comes back, per member and for the household;
Japanese field errors; who may open it; nothing stored. The rules and their sources:
tests/rules/test_high_cost.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.privacy.models import AuditEntry
from kouki.web.access import declaration_of
from kouki.web.views.high_cost_estimate import high_cost_estimate_view, month_choices

pytestmark = pytest.mark.django_db
URL = "/high-cost/estimate/"
ROWS = 4


def post_data(
    members: list[dict[str, str]],
    *,
    month: str = "2025-07",
    income_class: str = "general_1",
    many: bool = False,
) -> dict[str, str]:
    data = {
        "month": month,
        "income_class": income_class,
        "m-TOTAL_FORMS": str(ROWS),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": str(ROWS),
    }
    if many:
        data["many_times"] = "on"
    for i, member in enumerate(members):
        data.update({f"m-{i}-{k}": v for k, v in member.items()})
    return data


# issue 12 §3: 一般Ⅰ, 外来 250,000 → 25,000 paid, 18,000 limit, 7,000 back.
EXAMPLE_A = {"label": "本人", "outpatient_cost": "250000"}


def test_url_and_declaration() -> None:
    assert reverse("web:high_cost_estimate") == URL
    decl = declaration_of(high_cost_estimate_view)
    assert decl is not None and decl.permission == Perm.VIEW_PERSON and decl.business_function == 4
    assert decl.methods == ("GET", "POST")


def test_issue_example_shows_what_comes_back(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    audit_before = AuditEntry.objects.count()
    response = client.post(URL, post_data([EXAMPLE_A]))
    assert response.status_code == 200
    result: dict[str, Any] = response.context["result"]
    assert result["refund_total"] == 7_000 and result["copayment_total"] == 25_000
    (member,) = result["members"]
    assert member["id"] == "本人" and member["outpatient_limit"] == 18_000 and member["borne"] == 18_000
    page = response.content.decode()
    for shown in (
        '戻ってくる額(目安): <strong id="refund-total">7,000円</strong>',
        "令和7年7月診療分・一般Ⅰ(1割負担)",
        "25,000円",
        "18,000円",
        '<span id="household-limit">57,600円</span>',
    ):
        assert shown in page, shown
    # a calculator: nothing written, not even an audit row
    assert AuditEntry.objects.count() == audit_before
    assert "no-store" in response["Cache-Control"]


def test_household_step_and_many_times(client_as: Callable[[Role], Client]) -> None:
    """一般Ⅰ 多数回: 外来 25,000 → 18,000, 入院 50,000; 68,000 over 44,400 → 23,600 more, shared."""
    members = [EXAMPLE_A, {"label": "妻", "inpatient_cost": "500000"}]
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(members, many=True))
    result = response.context["result"]
    assert result["household_limit"] == 44_400 and result["borne_total"] == 44_400
    assert result["refund_total"] == 7_000 + 23_600
    assert [m["household_refund"] for m in result["members"]] == [6_247, 17_353]
    assert "・多数回該当" in response.content.decode()


def test_active_class_shows_the_household_limit_only(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).post(
        URL, post_data([{"inpatient_cost": "1000000"}], income_class="active_1")
    )
    result = response.context["result"]
    assert result["refund_total"] == 212_570 and result["household_limit"] == 87_430
    page = response.content.decode()
    assert "(世帯の限度額のみ)" in page and "現役並みⅠ(3割負担)" in page and "1人目" in page


@pytest.mark.parametrize(("month", "refund", "noted"), [("2025-09", 7_000, True), ("2025-10", 2_000, False)])
def test_general_2_care_measure_until_september_2025(
    client_as: Callable[[Role], Client], month: str, refund: int, noted: bool
) -> None:
    """一般Ⅱ, 外来 100,000: 2割 20,000; under the 配慮措置 1割 + 3,000 = 13,000 borne, after it 18,000."""
    response = client_as(Role.COUNTER_CLERK).post(
        URL, post_data([{"outpatient_cost": "100000"}], month=month, income_class="general_2")
    )
    assert response.context["result"]["refund_total"] == refund
    page = response.content.decode()
    assert ("2割負担の配慮措置(令和7年9月診療分まで)" in page) == noted


def test_empty_form_on_get_lists_months_in_wareki(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "高額療養費の試算" in page and "試算する" in page and response.context["result"] is None
    assert "令和4年10月" in page and "令和8年7月" in page
    assert month_choices()[0] == ("2026-07", "令和8年7月") and month_choices()[-1] == (
        "2022-10",
        "令和4年10月",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"outpatient_cost": "12345"}, "outpatient_cost", "10円単位で入力してください"),
        ({"inpatient_cost": "-10"}, "inpatient_cost", "0以上で入力してください"),
        ({"outpatient_cost": "25万"}, "outpatient_cost", "円単位の整数で入力してください"),
    ],
)
def test_invalid_cost_shows_a_japanese_field_error(
    client_as: Callable[[Role], Client], change: dict[str, str], field: str, message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data([{**EXAMPLE_A, **change}]))
    assert response.status_code == 200
    assert response.context["result"] is None
    errors = response.context["members"].forms[0].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            post_data([EXAMPLE_A], income_class="low_2", many=True),
            "many_times",
            "多数回該当の限度額はありません",
        ),
        (post_data([EXAMPLE_A], income_class=""), "income_class", "選んでください"),
        (post_data([EXAMPLE_A], month="2026-08"), "month", "対応している月から選んでください"),
        (post_data([EXAMPLE_A], month="2022-09"), "month", "対応している月から選んでください"),
    ],
)
def test_invalid_choice_shows_a_japanese_field_error(
    client_as: Callable[[Role], Client], data: dict[str, str], field: str, message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, data)
    assert response.context["result"] is None
    assert any(message in e for e in response.context["form"].errors[field])
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([], "被保険者の方を1人以上入力してください"),
        ([EXAMPLE_A, EXAMPLE_A], "呼び名が重なっています"),
    ],
)
def test_household_errors(
    client_as: Callable[[Role], Client], members: list[dict[str, str]], message: str
) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, post_data(members))
    assert message in response.content.decode()
    assert response.context["result"] is None


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(role: Role, client_as: Callable[[Role], Client]) -> None:
    client = client_as(role)
    allowed = Perm.VIEW_PERSON in ROLE_PERMISSIONS[role]
    assert client.get(URL).status_code == (200 if allowed else 403)
    response = client.post(URL, post_data([EXAMPLE_A]))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "戻ってくる額" not in response.content.decode()
    menu = client.get(reverse("web:menu")).content.decode()
    assert ("高額療養費の試算" in menu) == allowed


def test_anonymous_is_sent_to_login(client: Client) -> None:
    assert client.get(URL)["Location"].startswith("/login/?next=")
    response = client.post(URL, post_data([EXAMPLE_A]))
    assert response.status_code == 302 and "戻ってくる額" not in response.content.decode()


def test_costs_are_never_put_in_the_url(client_as: Callable[[Role], Client]) -> None:
    page = client_as(Role.COUNTER_CLERK).get(URL).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
