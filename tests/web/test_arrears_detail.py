"""A person's arrears (issue 5 §4; USE-03): unpaid instalments past due in 和暦 with the limitation
(時効, ADR 0011), contact records with the form to add one, pledges (分納誓約) with the schedule form and
its validation errors, and a clerk's write-off request (不納欠損の起案). Every write is audited by the
service; SEC-07: a role without Perm.VIEW_PERSON is refused, and no personal number is shown (BF-01)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.arrears.models import ContactRecord, PaymentPledge, WriteOffRequest, WriteOffStatus
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import format_wareki
from web.collection_samples import fix_today, pay, person_with_plan, write_off_requested
from web.conftest import Family, Numbers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def url(name: str, person_id: int) -> str:
    return reverse(f"web:{name}", args=[person_id])


def test_unpaid_instalments_past_due_in_wareki_with_the_limitation(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, old = person_with_plan(family.taro, 27_000, 2023)  # due 2023-07 … 2024-03: expired by 2026-12
    _p, new = person_with_plan(person, 90_000, 2025)
    pay(person, new[0].amount, fiscal_year=2025, instalment=new[0])
    page = client_as(Role.COUNTER_CLERK).get(url("arrears_detail", person.pk))
    assert page.status_code == 200
    html = page.content.decode()
    unpaid = html.split('id="unpaid"')[1].split("</table>")[0]
    assert f'id="unpaid-{new[0].pk}"' not in unpaid  # paid
    for row in [*old, *new[1:]]:
        assert f'id="unpaid-{row.pk}"' in unpaid and format_wareki(row.due_date) in unpaid
    expired_rows = [r for r in old if "時効到来" in unpaid.split(f'id="unpaid-{r.pk}"')[1].split("</tr>")[0]]
    assert expired_rows == old
    assert "時効到来" not in unpaid.split(f'id="unpaid-{new[1].pk}"')[1].split("</tr>")[0]
    assert page.context["expired_count"] == len(old)
    assert "令和5年度 普通徴収 第1期" in unpaid
    # the write-off form marks the expired instalments
    choices = dict(page.context["write_off_form"].fields["instalment"].choices)
    assert str(choices[old[0].pk]).startswith("【時効到来】") and not str(choices[new[1].pk]).startswith("【")
    assert reverse("web:collection_ledger", args=[person.pk]) in html


def test_a_contact_is_recorded_and_shown_newest_first(family: Family, staff_of: Callable[[Role], Staff],
                                                      client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    client = client_as(Role.COUNTER_CLERK)
    clerk = staff_of(Role.COUNTER_CLERK).user
    for day, note in (("R8.11.2", "不在。再訪問予定"), ("2026-11-20", "本人と面談、分納を相談")):
        response = client.post(url("arrears_contact_add", person.pk),
                               {"contacted_on": day, "channel": "visit", "note": note})
        assert response.status_code == 302 and response["Location"].endswith("#contacts")
    contacts = list(ContactRecord.objects.filter(person=person).order_by("contacted_on"))
    assert [c.contacted_on for c in contacts] == [date(2026, 11, 2), date(2026, 11, 20)]
    assert {c.staff for c in contacts} == {clerk.username}
    assert AuditEntry.objects.filter(action="contact_record", target_id=str(contacts[1].pk)).exists()
    html = client.get(url("arrears_detail", person.pk)).content.decode()
    listed = html.split('id="contact-list"')[1].split("</table>")[0]
    assert listed.index("分納を相談") < listed.index("再訪問予定")  # newest first
    assert "訪問" in listed and format_wareki(date(2026, 11, 20)) in listed and clerk.staff_name in listed


@pytest.mark.parametrize(("data", "message"), [
    ({"contacted_on": "2026-12-02", "channel": "phone"}, "未来の日付は指定できません"),
    ({"contacted_on": "R8.13.1", "channel": "phone"}, "errors-contacted_on"),
    ({"contacted_on": "2026-11-30", "channel": "fax"}, "方法を一覧から選んでください"),
    ({"contacted_on": "", "channel": "phone"}, "折衝日を入力してください"),
])
def test_a_bad_contact_is_refused_with_the_reason(family: Family, client_as: Callable[[Role], Client],
                                                  data: dict[str, str], message: str) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(url("arrears_contact_add", person.pk), data)
    assert page.status_code == 200 and message in page.content.decode()
    assert not ContactRecord.objects.exists()


def test_a_personal_number_in_the_note_is_refused_by_the_service(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(url("arrears_contact_add", person.pk), {
        "contacted_on": "2026-11-30", "channel": "phone", "note": f"番号 {numbers.taro}"})
    html = page.content.decode()
    assert page.status_code == 200 and "個人番号は入力できません" in html
    assert not ContactRecord.objects.exists()


def test_a_pledge_is_made_with_its_schedule(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro, 90_000, 2025)
    client = client_as(Role.COUNTER_CLERK)
    response = client.post(url("arrears_pledge_make", person.pk), {
        "made_on": "R8.11.30", "schedule": "R8.12.25 30,000\n\n2027-01-25 30000円\nR9.2.25 ３００００",
        "note": "年金支給月に納付"})
    assert response.status_code == 302 and response["Location"].endswith("#pledges")
    pledge = PaymentPledge.objects.get(person=person)
    assert pledge.made_on == date(2026, 11, 30) and pledge.arrears == 90_000
    assert list(pledge.schedule.order_by("due_on").values_list("due_on", "amount")) == [
        (date(2026, 12, 25), 30_000), (date(2027, 1, 25), 30_000), (date(2027, 2, 25), 30_000)]
    assert AuditEntry.objects.filter(action="pledge_make", target_id=str(pledge.pk)).exists()
    html = client.get(url("arrears_detail", person.pk)).content.decode()
    listed = html.split('id="pledge-list"')[1].split("</table>")[0]
    assert "履行中" in listed and "90,000円" in listed and format_wareki(date(2027, 1, 25)) in listed
    # the pledge names the instalments it acknowledges (民法 §152; issue 10 §5): every one past due
    assert pledge.instalments.count() == 9
    assert "令和7年度 普通徴収 第1期" in listed.split('class="named"')[1].split("</td>")[0]


@pytest.mark.parametrize(("schedule", "messages"), [
    ("R8.12.25", ["1行目: 「納付予定日 金額」の形で入力してください"]),
    ("R8.12.25 10,000\nR8.12.32 10,000\nR9.1.25 -5", ["2行目:", "3行目: 金額は1円以上で入力してください"]),
    ("R8.12.25 10,000\n2026-12-25 5,000", ["2行目: 1行目と同じ日付です"]),
    ("R8.11.1 10,000", ["納付予定日は誓約日以降にしてください"]),
    ("\n \n", ["分納の予定を1行以上入力してください"]),
    ("R8.12.25 abc", ["1行目: 金額は円単位の整数で入力してください"]),
])
def test_a_bad_schedule_shows_every_error_and_records_nothing(
        family: Family, client_as: Callable[[Role], Client], schedule: str, messages: list[str]) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(url("arrears_pledge_make", person.pk),
                                              {"made_on": "2026-11-30", "schedule": schedule})
    assert page.status_code == 200
    errors = page.content.decode().split('id="errors-schedule"')[1].split("</div>")[0]
    for message in messages:
        assert message in errors
    assert not PaymentPledge.objects.exists()


def test_a_pledge_made_in_the_future_is_refused(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(url("arrears_pledge_make", person.pk),
                                              {"made_on": "2026-12-05", "schedule": "2026-12-25 1000"})
    assert "未来の日付は指定できません" in page.content.decode() and not PaymentPledge.objects.exists()


def test_a_clerk_requests_a_write_off_with_a_reason(family: Family,
                                                    client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro, 27_000, 2023)
    client = client_as(Role.COUNTER_CLERK)
    response = client.post(url("write_off_request", person.pk),
                           {"instalment": rows[0].pk, "amount": "", "reason": "時効完成(高確法第160条)",
                            "ground": "limitation"})
    assert response.status_code == 302 and response["Location"].endswith("#write-offs")
    req = WriteOffRequest.objects.get()
    assert (req.instalment_id, req.amount) == (rows[0].pk, rows[0].amount)
    assert req.status == WriteOffStatus.REQUESTED
    assert req.requested_on == date(2026, 12, 1)
    assert AuditEntry.objects.filter(action="write_off_request", target_id=str(req.pk)).exists()
    page = client.get(url("arrears_detail", person.pk))
    html = page.content.decode()
    assert "起案中" in html.split('id="write-off-requests"')[1] and "時効完成(高確法第160条)" in html
    # an instalment with an open request is no longer offered, and shows 起案中 in the unpaid table
    assert rows[0].pk not in dict(page.context["write_off_form"].fields["instalment"].choices)
    assert "起案中" in html.split(f'id="unpaid-{rows[0].pk}"')[1].split("</tr>")[0]
    # a second request of the same instalment is refused by the service, with the reason shown
    again = client.post(url("write_off_request", person.pk),
                        {"instalment": rows[0].pk, "amount": "100", "reason": "重複", "ground": "other"})
    assert again.status_code == 200 and "決裁待ちの不納欠損の起案がすでにあります" in again.content.decode()
    assert WriteOffRequest.objects.count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "999,999", "reason": "破産"}, "この期の未納額は"),
    ({"amount": "", "reason": ""}, "欠損事由を入力してください"),
    ({"amount": "0", "reason": "破産"}, "金額は1円以上で入力してください"),
])
def test_a_bad_write_off_request_is_refused(family: Family, client_as: Callable[[Role], Client],
                                            data: dict[str, str], message: str) -> None:
    person, rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(url("write_off_request", person.pk),
                                              {"instalment": rows[1].pk, "ground": "other", **data})
    assert page.status_code == 200 and message in page.content.decode()
    assert not WriteOffRequest.objects.exists()


def test_an_instalment_of_another_person_cannot_be_requested(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    _other, other_rows = person_with_plan(family.hanako)
    page = client_as(Role.COUNTER_CLERK).post(url("write_off_request", person.pk),
                                              {"instalment": other_rows[0].pk, "reason": "破産"})
    assert "期を一覧から選んでください" in page.content.decode() and not WriteOffRequest.objects.exists()


def test_decided_requests_show_who_decided(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    write_off_requested(rows[2], reason="死亡・相続人なし")
    html = client_as(Role.COUNTER_CLERK).get(url("arrears_detail", person.pk)).content.decode()
    assert "死亡・相続人なし" in html and "システム処理" in html and "test-collection" not in html


def test_refusals_and_unknown_people(family: Family, numbers: Numbers,
                                     client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    assert client_as(Role.AUDITOR).get(url("arrears_detail", person.pk)).status_code == 403
    assert client_as(Role.AUDITOR).post(url("arrears_contact_add", person.pk),
                                        {"contacted_on": "2026-11-30", "channel": "phone"}).status_code == 403
    assert client_as(Role.COUNTER_CLERK).get(url("arrears_detail", 999_999)).status_code == 404
    assert client_as(Role.COUNTER_CLERK).get(url("arrears_contact_add", person.pk)).status_code == 405
    html = client_as(Role.SUPERVISOR).get(url("arrears_detail", person.pk)).content.decode()
    assert numbers.taro not in html and "個人番号" not in html
    assert not ContactRecord.objects.exists()
