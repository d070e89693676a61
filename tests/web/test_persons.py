"""宛名検索 and 宛名詳細: kana normalisation, 西暦/和暦 birth dates, household as of a date, history.

USE-01 (1): staff confirm the insured person and household members against the registry.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role

from .conftest import Family

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client_as: Callable[[Role], Client]) -> Client:
    return client_as(Role.COUNTER_CLERK)


def search(client: Client, **params: str) -> str:
    response = client.get(reverse("web:person_search"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kana", ["ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "ヤマタ", "やまだ　たろう", "ﾔﾏﾀﾞﾀﾛｳ"])
def test_kana_search_ignores_script_width_and_voiced_marks(clerk: Client, family: Family, kana: str) -> None:
    page = search(clerk, kana=kana)
    assert "山田 太郎" in page and "鈴木 次郎" not in page


@pytest.mark.parametrize("kana", ["すずきしろう", "スズキジロウ", "ｽｽﾞｷ ｼﾛｳ"])
def test_kana_search_voiced_mark_in_the_stored_name(clerk: Client, family: Family, kana: str) -> None:
    page = search(clerk, kana=kana)
    assert "鈴木 次郎" in page and "山田" not in page


def test_search_result_shows_name_birth_date_both_calendars_and_address(clerk: Client,
                                                                        family: Family) -> None:
    page = search(clerk, kana="やまだたろう")
    assert "昭和21年5月1日" in page and "1946年5月1日" in page
    assert family.new_address in page
    assert reverse("web:person_detail", args=[family.taro.pk]) in page


@pytest.mark.parametrize(
    "birth", ["1946-05-01", "1946/5/1", "S21.5.1", "s21.5.1", "昭和21年5月1日", "Ｓ２１．５．１"]
)
def test_birth_date_in_western_or_japanese_era(clerk: Client, family: Family, birth: str) -> None:
    page = search(clerk, birth=birth)
    assert "山田 太郎" in page and "山田 花子" not in page and "鈴木 次郎" not in page


def test_bad_birth_date_is_explained(clerk: Client, family: Family) -> None:
    page = search(clerk, birth="H31.5.1")
    assert "その元号の期間に含まれない日付です" in page and "検索結果" not in page


def test_empty_search_asks_for_a_condition(clerk: Client, family: Family) -> None:
    page = search(clerk, kana="", birth="", addressee_no="")
    assert "いずれかを入力してください" in page


def test_non_kana_name_is_refused(clerk: Client, family: Family) -> None:
    assert "カナ(ひらがな可)で入力してください" in search(clerk, kana="山田")


def test_addressee_number_search(clerk: Client, family: Family) -> None:
    page = search(clerk, addressee_no=family.jiro.addressee_no)
    assert "鈴木 次郎" in page and "山田" not in page


def test_combined_conditions_narrow_the_result(clerk: Client, family: Family) -> None:
    page = search(clerk, kana="ヤマダ", birth="S25.8.16")
    assert "山田 花子" in page and "山田 太郎" not in page


def detail(client: Client, family: Family, **params: str) -> str:
    response = client.get(reverse("web:person_detail", args=[family.taro.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_detail_shows_current_data_in_both_calendars(clerk: Client, family: Family) -> None:
    page = detail(clerk, family)
    assert "山田 太郎" in page and "ヤマダ タロウ" in page
    assert "昭和21年5月1日" in page and "1946年5月1日" in page
    assert family.new_address in page and family.taro.addressee_no in page


def household_table(page: str) -> str:
    start = page.index('id="household"')
    return page[start:page.index("</table>", start)]


def test_household_as_of_a_date(clerk: Client, family: Family) -> None:
    today = household_table(detail(clerk, family))
    assert "山田 太郎" in today and "山田 花子" in today and "世帯主" in today
    before_hanako = household_table(detail(clerk, family, on="2005-01-01"))
    assert "山田 太郎" in before_hanako and "山田 花子" not in before_hanako
    same_in_wareki = household_table(detail(clerk, family, on="H17.1.1"))
    assert same_in_wareki == before_hanako


def test_before_the_first_record_there_is_nothing(clerk: Client, family: Family) -> None:
    page = detail(clerk, family, on="1999-01-01")
    assert "基準日に有効な記録はありません" in page


def test_bad_as_of_date_is_explained_and_today_is_used(clerk: Client, family: Family) -> None:
    page = detail(clerk, family, on="R8.2.30")
    assert "存在しない日付です" in page and "山田 花子" in household_table(page)


def history_table(page: str) -> str:
    start = page.index('id="history"')
    return page[start:page.index("</table>", start)]


def test_history_lists_every_version_with_dates_change_and_recorded_at(clerk: Client, family: Family) -> None:
    table = history_table(detail(clerk, family))
    rows = table.count("<tr") - 1
    assert rows == 2
    assert "平成12年4月1日 〜 令和6年4月1日" in table and "令和6年4月1日 〜" in table
    assert family.old_address in table and family.new_address in table
    assert "転入" in table and "転居" in table and "異動日 令和6年4月1日" in table
    assert "記録日時" in table and "現在" in table


def test_history_marks_superseded_versions(clerk: Client, family: Family) -> None:
    response = clerk.get(reverse("web:person_detail", args=[family.hanako.pk]))
    table = history_table(response.content.decode())
    assert table.count("<tr") - 1 == 3
    assert table.count('class="superseded"') == 1 and "訂正により無効" in table
    assert "職権修正" in table


def test_unknown_person_is_404(clerk: Client, family: Family) -> None:
    assert clerk.get(reverse("web:person_detail", args=[999_999])).status_code == 404
