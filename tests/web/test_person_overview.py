"""宛名詳細 as the counter's one page (issue 11 §1): eligibility, certificates, premium, instalments and
receipts, arrears and contacts, notifications and the history of what was done — each section only for
roles that may open its screen, no personal number for roles without number access, dates in 和暦 — and
宛名検索 marking who is insured with a query count that does not grow with the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_person

from kouki.accounts import permissions
from kouki.accounts.permissions import Perm, Role
from kouki.addressees.models import Person
from kouki.web.access import declaration_of
from kouki.web.views import arrears, certificates, collection, notifications
from kouki.web.views.person_overview import SECTION_PERMISSIONS, Section

from .conftest import Family, Numbers
from .person_samples import day, insure  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("day")]  # 太郎 has something everywhere

def page_of(client: Client, person: Person, **params: str) -> str:
    response = client.get(reverse("web:person_detail", args=[person.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, name: str) -> str:
    start = page.index(f'<section id="section-{name}">')
    return page[start:page.index("</section>", start)]


@pytest.fixture
def clerk(client_as: Callable[[Role], Client]) -> Client:
    return client_as(Role.COUNTER_CLERK)


def test_eligibility_insured_number_copay_rate_and_its_basis(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "eligibility")
    assert "被保険者</span>" in part and "12345678" in part
    assert "令和3年5月1日" in part and "年齢到達" in part
    copay = part[part.index('id="copay"'):]
    assert "2割" in copay and "一定以上所得者" in copay and "令和8年8月1日から適用" in copay
    assert "広域連合の決定 令和8年7月10日" in copay
    assert 'href="/copayment/judgement/"' in copay  # the counter's step-by-step judgement (issue 10 §2)


def test_eligibility_after_loss_shows_the_date_and_reason(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.jiro), "eligibility")
    assert "被保険者でない" in part and 'id="insured-no"' not in part
    assert "令和8年6月2日" in part and "死亡" in part and "1割" in part


def test_certificates_section(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "certificates")
    assert "資格確認書" in part and "一斉更新" in part and "有効" in part
    assert "令和8年8月1日 〜 令和9年7月31日" in part
    assert reverse("web:certificate_list", args=[family.taro.pk]) in part


def test_premium_per_fiscal_year_with_breakdown_and_notice(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "premium")
    year = part[part.index('id="premium-2025"'):part.index("</tr>", part.index('id="premium-2025"'))]
    assert "令和7年度" in year and "当初賦課" in year and "90,000円" in year
    assert "45,000円" in year and "軽減なし" in year and "12か月" in year and "保険料額決定通知書" in year
    assert "令和6年度" in part and "30,000円" in part


def test_instalments_paid_unpaid_and_overpaid(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "collection")
    fy2025 = part[part.index('id="collection-2025"'):part.index('id="collection-2024"')]
    assert "令和7年度" in fy2025 and "完納" in fy2025 and "未納" in fy2025
    assert f"{reverse('web:collection_ledger', args=[family.taro.pk])}?fy=2025" in fy2025
    fy2024 = part[part.index('id="collection-2024"'):]
    assert "10,000円" in fy2024 and reverse("web:overpayment_detail", args=[family.taro.pk, 2024]) in fy2024
    assert "overpayment_detail" not in fy2025 and "過誤納金(還付・充当)" not in fy2025
    assert reverse("web:bank_accounts", args=[family.taro.pk]) in part  # 口座振替・還付口座 (issue 11 §2)


def test_arrears_reminders_contacts_and_pledges(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "arrears")
    assert "滞納額" in part and "期、最も古い納期限" in part
    assert "令和7年9月20日 督促状(令和7年度" in part
    assert "令和8年11月20日 電話(システム処理)" in part and "納付を案内した" in part
    assert "令和8年11月25日 誓約 10,000円" in part and "履行中" in part
    assert reverse("web:arrears_detail", args=[family.taro.pk]) in part


def test_notifications_section(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "notifications")
    assert "障害認定" in part and "令和8年4月3日" in part
    assert reverse("web:notification_new", args=[family.taro.pk]) in part


def test_history_in_japanese_labels_with_staff_names(clerk: Client, family: Family) -> None:
    part = section(page_of(clerk, family.taro), "history")
    for label in ("期割の作成", "収納の記録", "滞納者への接触記録", "納付誓約", "届出の入力"):
        assert label in part, label
    assert "システム処理" in part and "試験 " in part  # a batch actor, and the clerk by name
    for internal in ("receipt_record", "instalment_plan_create", "InstalmentPlan", "notification.enter",
                     "system:"):
        assert internal not in part


def test_dates_on_the_page_are_in_wareki(clerk: Client, family: Family) -> None:
    main = page_of(clerk, family.taro)
    main = re.sub(r'<div class="helptext">.*?</div>', "", main[main.index("<main"):])  # input hints aside
    assert re.search(r"\d{4}-\d{1,2}-\d{1,2}", main) is None
    assert "令和" in main


@pytest.mark.parametrize("hidden", list(Section))
def test_each_section_is_hidden_from_a_role_without_its_permission(
        clerk: Client, family: Family, monkeypatch: pytest.MonkeyPatch, hidden: Section) -> None:
    monkeypatch.setitem(SECTION_PERMISSIONS, hidden, Perm.MANAGE_STAFF)  # a permission the clerk lacks
    page = page_of(clerk, family.taro)
    assert f'id="section-{hidden.value}"' not in page
    for other in Section:
        if other is not hidden:
            assert f'id="section-{other.value}"' in page


def test_section_permissions_are_those_of_the_linked_screens() -> None:
    assert SECTION_PERMISSIONS[Section.CERTIFICATES] == declaration_of(
        certificates.certificate_list_view).permission  # type: ignore[union-attr]
    for s in (Section.PREMIUM, Section.COLLECTION):
        assert SECTION_PERMISSIONS[s] == declaration_of(collection.collection_ledger_view).permission  # type: ignore[union-attr]
    assert SECTION_PERMISSIONS[Section.ARREARS] == declaration_of(arrears.arrears_detail_view).permission  # type: ignore[union-attr]
    assert SECTION_PERMISSIONS[Section.NOTIFICATIONS] == Perm.ENTER_NOTIFICATION == declaration_of(
        notifications.notification_list_view).permission  # type: ignore[union-attr]


def test_a_role_without_notification_rights_sees_neither_the_section_nor_its_history(
        client_as: Callable[[Role], Client], family: Family,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, Role.COUNTER_CLERK, frozenset({Perm.VIEW_PERSON}))
    page = page_of(client_as(Role.COUNTER_CLERK), family.taro)
    assert 'id="section-notifications"' not in page and "届出を入力" not in page
    assert "届出の入力" not in section(page, "history") and "収納の記録" in section(page, "history")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_roles_without_person_access_get_nothing(client_as: Callable[[Role], Client], family: Family,
                                                 role: Role) -> None:
    response = client_as(role).get(reverse("web:person_detail", args=[family.taro.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "山田" not in body and "12345678" not in body


def test_no_personal_number_for_the_counter_clerk(clerk: Client, family: Family,
                                                 numbers: Numbers) -> None:
    page = page_of(clerk, family.taro)
    assert (numbers.taro in page) is False
    main = page[page.index("<main"):]
    assert "個人番号" not in main  # neither the field, nor the number's history, nor its audit rows


def test_number_clerk_sees_the_number_rows_of_the_history_but_never_the_number(
        client_as: Callable[[Role], Client], family: Family, numbers: Numbers) -> None:
    page = page_of(client_as(Role.NUMBER_CLERK), family.taro)
    assert "個人番号の登録" in section(page, "history")
    assert (numbers.taro in page) is False


def test_person_with_no_records_has_plain_empty_sections(clerk: Client, family: Family) -> None:
    page = page_of(clerk, family.hanako)
    assert "被保険者でない" in section(page, "eligibility") and 'id="no-periods"' in page
    assert 'id="no-premium"' in page and 'id="no-collection"' in page and 'id="no-certificates"' in page


def search(client: Client, **params: str) -> str:
    response = client.get(reverse("web:person_search"), params)
    assert response.status_code == 200
    return response.content.decode()


def result_row(page: str, name: str) -> str:
    start = page.rindex("<tr", 0, page.index(name))
    return page[start:page.index("</tr>", start)]


def test_search_marks_who_is_insured(clerk: Client, family: Family) -> None:
    page = search(clerk, kana="ヤマダ")
    assert "被保険者</span>" in result_row(page, "山田 太郎")
    assert "被保険者でない" in result_row(page, "山田 花子")
    lost = search(clerk, kana="スズキ")
    assert "被保険者でない" in result_row(lost, "鈴木 次郎") and "昭和23年1月20日" in lost


def test_search_query_count_does_not_grow_with_the_rows(clerk: Client, family: Family) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            search(clerk, kana="サトウ")
        return len(ctx.captured_queries)

    make_person(family_name="佐藤", family_name_kana="サトウ")
    few = queries()
    for i in range(20):
        person = make_person(family_name="佐藤", given_name=f"{i}郎", family_name_kana="サトウ")
        if i % 2:
            insure(person, insured_no=f"{30000000 + i:08d}")
    many = queries()
    assert few == many
    assert search(clerk, kana="サトウ").count("被保険者</span>") == 10


def test_history_names_staff_and_says_what_an_unnamed_actor_was() -> None:
    from kouki.web.views.person_overview import _who

    names = {"sysop.tanaka": "田中 健"}
    assert _who("sysop.tanaka", names) == "田中 健"  # batches run as a named member of staff (issue 11 §2)
    assert _who("system:batch daily", names) == "システム処理"  # rows written before that
    assert _who("setup:kouki", names) == "導入作業"
    assert _who("counterpart:sandbox synthetic city", names) == "連携先(模擬)"
    assert _who("gone.user", names) == "gone.user"
