"""届出 screens through the Django client: entry, IN-11 再鑑 by a second user, return and correction,
BF-01 number field only for number staff (never echoed), USE-01 worklist with resolve."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff, personal_number
from web.conftest import sign_in

from kouki.notifications.models import MatchingMismatch, Notification, Status
from kouki.privacy.selectors import has_personal_number

from .conftest import Counter

pytestmark = pytest.mark.django_db


def client_for(staff: Staff) -> Client:
    return sign_in(Client(), staff.user)


def _version(notification_id: int) -> str:
    """What the detail or edit page puts in its hidden version field (kouki.core.versioning)."""
    return str(Notification.objects.get(pk=notification_id).version)


def decision(notification_id: int, **data: str) -> dict[str, str]:
    """The detail page's decision form as posted: with the version the page was opened with."""
    return {"version": _version(notification_id), **data}


def form_data(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "notification_type": "disability_certification",
        "effective_date": "R8.4.1",
        "received_on": "2026-04-03",
        "stated_kana": "タカハシ イチロウ",
        "stated_birth": "S31.3.10",
        "applicant": "self",
        "identity_documents": ["my_number_card"],
        "agent_kind": "",
        "note": "障害者手帳1級",
    }
    data.update(changes)
    return data


def enter(client: Client, counter: Counter, **changes: str | list[str]) -> Notification:
    response = client.post(reverse("web:notification_new", args=[counter.person.pk]), form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Notification.objects.latest("pk")


def test_clerk_enters_and_cannot_confirm_a_different_supervisor_confirms(counter: Counter) -> None:
    clerk = client_for(counter.clerk)
    detail_page = clerk.get(reverse("web:person_detail", args=[counter.person.pk])).content.decode()
    assert reverse("web:notification_new", args=[counter.person.pk]) in detail_page
    form_page = clerk.get(reverse("web:notification_new", args=[counter.person.pk])).content.decode()
    assert "タカハシ イチロウ" in form_page and 'name="number"' not in form_page  # BF-01: no number field
    assert "2020年5月25日" in form_page  # the 通知カード rule is on the screen (ADR 0005 #5)
    n = enter(clerk, counter)
    assert (n.status, n.effective_date, n.stated_birth_date) == (
        Status.ENTERED,
        date(2026, 4, 1),
        date(1956, 3, 10),
    )
    page = clerk.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert "入力済(再鑑待ち)" in page and "confirm-button" not in page and "個人番号カード" in page
    refused = clerk.post(reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note="x"))
    assert refused.status_code == 403

    supervisor = client_for(counter.supervisor)
    page = supervisor.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'id="confirm-button"' in page and 'name="number"' not in page
    supervisor.post(reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note=""))
    assert Notification.objects.get(pk=n.pk).status == Status.ENTERED
    response = supervisor.post(
        reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note="届出書と照合"), follow=True
    )
    page = response.content.decode()
    assert "確認済(有効)" in page and "届出書と照合" in page and counter.supervisor.user.staff_name in page
    assert Notification.objects.get(pk=n.pk).confirmed_by == counter.supervisor.user


def test_a_supervisor_sees_no_button_for_their_own_entry_and_is_refused(counter: Counter) -> None:
    supervisor = client_for(counter.supervisor)
    n = enter(supervisor, counter)
    page = supervisor.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'id="self-entry"' in page and "confirm-button" not in page
    response = supervisor.post(
        reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note="自分で確認"), follow=True
    )
    assert "自分の入力を確認できません" in response.content.decode()
    assert Notification.objects.get(pk=n.pk).status == Status.ENTERED


def test_return_and_correction_through_the_screens(counter: Counter) -> None:
    clerk, supervisor = client_for(counter.clerk), client_for(counter.supervisor)
    n = enter(clerk, counter)
    supervisor.post(reverse("web:notification_return", args=[n.pk]),
                    decision(n.pk, note="異動日が届出書と違います"))
    assert Notification.objects.get(pk=n.pk).status == Status.RETURNED
    page = clerk.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'id="edit-button"' in page and "異動日が届出書と違います" in page
    edit_page = clerk.get(reverse("web:notification_edit", args=[n.pk])).content.decode()
    assert 'value="R8.4.1"' in edit_page
    clerk.post(reverse("web:notification_edit", args=[n.pk]),
               form_data(effective_date="2026-04-02", version=_version(n.pk)))
    n.refresh_from_db()
    assert n.status == Status.ENTERED and n.effective_date == date(2026, 4, 2)
    supervisor.post(reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note="修正を確認"))
    assert Notification.objects.get(pk=n.pk).status == Status.CONFIRMED
    # a confirmed notification cannot be edited any more
    response = clerk.get(reverse("web:notification_edit", args=[n.pk]))
    assert response.status_code == 302


def test_identity_problems_are_shown_and_nothing_is_saved(counter: Counter) -> None:
    clerk = client_for(counter.clerk)
    response = clerk.post(
        reverse("web:notification_new", args=[counter.person.pk]),
        form_data(identity_documents=["notification_card"]),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "身元確認ができていません" in page
    agent = form_data(
        applicant="agent",
        agent_kind="delegate",
        agent_name="高橋 花子",
        agent_relationship="妻",
        agent_documents=["drivers_licence"],
        identity_documents=[],
    )
    page = clerk.post(reverse("web:notification_new", args=[counter.person.pk]), agent).content.decode()
    assert "委任状" in page and "代理権の確認ができていません" in page
    assert Notification.objects.count() == 0
    n = enter(clerk, counter, **{**agent, "authority_documents": ["power_of_attorney"]})
    page = clerk.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'id="agent"' in page and "高橋 花子" in page and "委任状" in page and "運転免許証" in page


def test_bf01_the_number_is_typed_twice_and_never_shown(counter: Counter) -> None:
    number = personal_number(random.Random(99))
    number_clerk, supervisor = client_for(counter.number_clerk), client_for(counter.supervisor)
    url = reverse("web:notification_new", args=[counter.person.pk])
    assert 'type="password" name="number"' in number_clerk.get(url).content.decode()
    bad = number_clerk.post(
        url, form_data(number=number, identity_documents=["drivers_licence"])
    ).content.decode()
    assert "番号確認ができていません" in bad and (number in bad) is False
    n = enter(number_clerk, counter, number=number)
    page = supervisor.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'name="number"' in page and "届出書に記載あり" in page and (number in page) is False
    supervisor.post(reverse("web:notification_confirm", args=[n.pk]),
                    decision(n.pk, note="照合", number=number))
    assert Notification.objects.get(pk=n.pk).status == Status.CONFIRMED
    assert has_personal_number(counter.person.pk)


def test_list_filters_by_status(counter: Counter) -> None:
    clerk, supervisor = client_for(counter.clerk), client_for(counter.supervisor)
    first, second = enter(clerk, counter), enter(clerk, counter, note="二件目")
    supervisor.post(reverse("web:notification_confirm", args=[first.pk]), decision(first.pk, note="照合"))
    page = clerk.get(reverse("web:notification_list"), {"status": "entered"}).content.decode()
    table = page.split('id="notifications"')[1]
    assert second.notification_no in table and first.notification_no not in table
    assert "高橋 一郎" in table  # the name beside the 宛名番号 (issue 11 §4)
    page = clerk.get(reverse("web:notification_list"), {"person": str(counter.person.pk)}).content.decode()
    assert second.notification_no in page and first.notification_no in page
    assert "届出(資格取得・喪失・変更)" in clerk.get(reverse("web:menu")).content.decode()


def test_mismatch_worklist_run_and_resolve(counter: Counter) -> None:
    clerk, supervisor = client_for(counter.clerk), client_for(counter.supervisor)
    n = enter(clerk, counter, stated_kana="タカハシ ジロウ", accept_mismatch="on")
    supervisor.post(reverse("web:notification_confirm", args=[n.pk]), decision(n.pk, note="照合"))
    assert clerk.get(reverse("web:mismatch_list")).status_code == 403
    page = supervisor.post(reverse("web:mismatch_run"), follow=True).content.decode()
    assert (
        "新たな不一致 1 件" in page and "氏名カナ・生年月日が住民記録と不一致" in page and "高橋 一郎" in page
    )
    m = MatchingMismatch.objects.get()
    page = supervisor.post(
        reverse("web:mismatch_resolve", args=[m.pk]), {"note": ""}, follow=True
    ).content.decode()
    assert "処理内容を入力してください" in page
    page = supervisor.post(
        reverse("web:mismatch_resolve", args=[m.pk]), {"note": "誤記を確認"}, follow=True
    ).content.decode()
    assert "未処理の不一致はありません" in page
    assert MatchingMismatch.objects.get().resolution_note == "誤記を確認"
