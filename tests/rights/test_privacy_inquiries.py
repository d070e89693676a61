"""受付票 of inquiries and complaints about personal information (SEC-38; issue 15 §4): recorded with a
受付番号 per fiscal year, searchable, answered and completed, audited; never holding a personal number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from factories import Staff
from web.conftest import Family

from kouki.accounts.permissions import Role
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import contains_personal_number
from kouki.rights.models import InquiryStatus, PrivacyInquiry
from kouki.rights.selectors import privacy_inquiry_counts
from kouki.rights.services import InvalidInquiry, privacy_inquiry_answer
from kouki.rules.numbers import my_number_check_digit
from kouki.rules.wareki import format_wareki_input
from rights.samples import make_inquiry

pytestmark = pytest.mark.django_db

BASE = "27182818284"
NUMBER = BASE + str(my_number_check_digit(BASE))


def _form(**overrides: str) -> dict[str, str]:
    now = timezone.localtime()
    data = {"received_on": format_wareki_input(now.date()), "received_time": "9:05", "channel": "counter",
            "kind": "complaint", "relation": "family", "requester_name": "山田 花子", "contact": "",
            "addressee_no": "", "subject": "家族の情報の扱い",
            "content": "窓口で家族の情報を大きな声で読み上げられた"}
    return data | overrides


def test_a_clerk_records_a_slip_finds_it_and_a_colleague_answers_and_completes_it(
    client_as: Callable[[Role], Client], family: Family
) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    response = clerk.post("/privacy-inquiries/new/", _form(addressee_no=family.taro.addressee_no))
    assert response.status_code == 302
    inquiry = PrivacyInquiry.objects.get()
    fy = "令和" if timezone.localdate() >= date(2019, 5, 1) else ""
    assert inquiry.receipt_no.startswith(f"問{fy}") and inquiry.receipt_no.endswith("第0001号")
    assert inquiry.person_id == family.taro.pk and inquiry.status == InquiryStatus.OPEN
    assert AuditEntry.objects.filter(action="privacy_inquiry.record", target_id=str(inquiry.pk)).count() == 1

    listing = clerk.get("/privacy-inquiries/", {"text": "読み上げ"}).content.decode()
    assert inquiry.receipt_no in listing and "家族の情報の扱い" in listing
    def found(**query: str) -> bool:
        return inquiry.receipt_no in clerk.get("/privacy-inquiries/", query).content.decode()

    assert not found(text="存在しない語句") and found(status="open", kind="complaint")
    assert not found(status="closed") and not found(channel="phone")

    supervisor = client_as(Role.SUPERVISOR)
    response = supervisor.post(f"/privacy-inquiries/{inquiry.pk}/", {
        "answer": "担当課長から謝罪し、窓口での読み上げをやめる運用に改めた", "follow_up": "翌週に再度連絡",
        "close": "on"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at is not None
    assert inquiry.answered_by is not None and inquiry.answered_by.role == Role.SUPERVISOR
    page = supervisor.get(f"/privacy-inquiries/{inquiry.pk}/").content.decode()
    assert "完了" in page and "回答・対応の記録" not in page  # a completed slip is not changed again
    with pytest.raises(InvalidInquiry):
        user = inquiry.answered_by
        from kouki.privacy.context import Actor

        actor = Actor(username=user.username, terminal_id="t", user_id=user.pk)
        privacy_inquiry_answer(actor=actor, user=user, inquiry_id=inquiry.pk, answer="変更", follow_up="",
                               close=False)


def test_a_personal_number_in_any_written_form_is_refused_and_not_echoed(
    client_as: Callable[[Role], Client]
) -> None:
    clerk = client_as(Role.NUMBER_CLERK)
    grouped = f"{NUMBER[:4]} {NUMBER[4:8]} {NUMBER[8:]}"
    full_width = NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for content in (NUMBER, grouped, full_width):
        page = clerk.post("/privacy-inquiries/new/", _form(content=f"番号は {content} です")).content.decode()
        assert "個人番号は記録できません" in page
        assert not contains_personal_number(page.replace("番号は", ""))  # the page does not show it back
    assert PrivacyInquiry.objects.count() == 0


def test_bad_input_gets_a_clear_error(client_as: Callable[[Role], Client]) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    page = clerk.post("/privacy-inquiries/new/", _form(received_time="25:00")).content.decode()
    assert "時:分" in page
    page = clerk.post("/privacy-inquiries/new/", _form(relation="anonymous")).content.decode()
    assert "匿名の申出に氏名は記入しません" in page
    page = clerk.post("/privacy-inquiries/new/", _form(addressee_no="9999999999")).content.decode()
    assert "この宛名番号の宛名は登録されていません" in page
    tomorrow = format_wareki_input(timezone.localdate() + timedelta(days=1))
    page = clerk.post("/privacy-inquiries/new/", _form(received_on=tomorrow)).content.decode()
    assert "受付日時が未来です" in page
    reversed_period = {"received_from": "R8.5.1", "received_to": "R8.4.1"}
    page = clerk.get("/privacy-inquiries/", reversed_period).content.decode()
    assert "受付日の範囲が逆です" in page
    assert PrivacyInquiry.objects.count() == 0


def test_an_auditor_reads_but_does_not_record(
    client_as: Callable[[Role], Client], staff_of: Callable[[Role], Staff]
) -> None:
    inquiry = make_inquiry(staff_of(Role.COUNTER_CLERK).user)
    auditor = client_as(Role.AUDITOR)
    assert auditor.get("/privacy-inquiries/").status_code == 200
    page = auditor.get(f"/privacy-inquiries/{inquiry.pk}/").content.decode()
    assert inquiry.subject in page and "回答・対応の記録" not in page
    assert auditor.post(f"/privacy-inquiries/{inquiry.pk}/", {"answer": "x"}).status_code == 403
    assert auditor.get("/privacy-inquiries/new/").status_code == 403
    assert client_as(Role.SYSTEM_ADMIN).get("/privacy-inquiries/").status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.answer == ""


def test_numbers_follow_the_fiscal_year_and_the_month_is_counted(staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    a = make_inquiry(clerk, hours_ago=2)
    b = make_inquiry(clerk, hours_ago=1)
    assert int(a.receipt_no[-5:-1]) + 1 == int(b.receipt_no[-5:-1])
    today = timezone.localdate()
    counts = privacy_inquiry_counts(today - timedelta(days=1), today)
    assert counts.total == 2 and counts.by_kind == {"inquiry": 2} and counts.open_at_end == 2
    assert privacy_inquiry_counts(today - timedelta(days=40), today - timedelta(days=10)).total == 0
