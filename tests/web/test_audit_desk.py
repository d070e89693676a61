"""監査記録の検索 and 宛名ごとの参照状況 (issue 15 §1; SEC-11, SEC-12), on the screen and the command line.

Only the auditor opens them (a clerk gets 403); a search by kana finds the person and the person's page says
who revealed the number, when, from where and why, with the transfers and 情報提供等記録 about them; a
reversed period and an empty result are said in words; no personal number is on any page or output."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.inquiries.models import InquiryRecord
from kouki.privacy.audit_search import PAGE_SIZE
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.models import AuditEntry, PersonView
from kouki.transfers.models import TransferDefinition, TransferDefinitionVersion, TransferRecord

from .conftest import Family, Numbers

pytestmark = pytest.mark.django_db
SEARCH = reverse("web:audit_search")


def _reveal_by_clerk(staff_of: Callable[[Role], Staff], person: Person) -> Staff:
    clerk = staff_of(Role.NUMBER_CLERK)
    shown = reveal_personal_number(user=clerk.user, person_id=person.pk, purpose="identity",
                                   screen="web.personal_number_reveal(遷移元:宛名詳細)", terminal_id="T-0101")
    assert shown is not None
    return clerk


def _transfer_and_inquiry(person: Person, clerk: Staff) -> None:
    now = timezone.now()
    definition = TransferDefinition.objects.create(code="T05", number=5)
    version = TransferDefinitionVersion.objects.create(
        definition=definition, version=1, recipient="介護保険課", persons="被保険者",
        purpose="介護保険料の賦課",
        items=["資格情報"], legal_basis="", methods=["intra"], frequency="随時", sources="tests",
        content_sha256="0" * 64, registered_by="tests", registered_at=now)  # fmt: skip
    TransferRecord.objects.create(version=version, executed_by=clerk.user.username, executed_at=now,
                                  method="intra", person_ids=[person.pk + 1000, person.pk], person_count=2,
                                  items=["資格情報"], file_name="T05_20260410.csv")  # fmt: skip
    TransferRecord.objects.create(version=version, executed_by=clerk.user.username, executed_at=now,
                                  method="intra", person_ids=[person.pk + 1000], person_count=1,
                                  items=["資格情報"], file_name="T05_OTHER.csv")  # fmt: skip
    InquiryRecord.objects.create(
        person=person, kind="pension", inquirer="さいたま市", provider="日本年金機構", jimu="保険料の徴収",
        item="年金給付関係情報", basis="番号法別表", request_id="REQ-0001", status="provided",
        requested_at=now, provided_at=now, user=clerk.user, username=clerk.user.username,
        terminal_id="T-0101", screen="web.inquiry", purpose_code="premium", purpose="保険料の算定",
        retain_until=date(2033, 4, 10))  # fmt: skip


def test_only_the_auditor_opens_the_desk(family: Family, client_as: Callable[[Role], Client]) -> None:
    person_page = reverse("web:audit_person", args=[family.taro.pk])
    for role in Role:
        client = client_as(role)
        expected = 200 if role == Role.AUDITOR else 403
        assert client.get(SEARCH).status_code == expected, role
        assert client.get(person_page).status_code == expected, role


def test_an_auditor_finds_by_kana_who_saw_the_number_and_why(
        family: Family, numbers: Numbers, staff_of: Callable[[Role], Staff],
        client_as: Callable[[Role], Client]) -> None:
    clerk = _reveal_by_clerk(staff_of, family.taro)
    _transfer_and_inquiry(family.taro, clerk)
    auditor = client_as(Role.AUDITOR)
    page = auditor.get(SEARCH, {"search": "1", "kana": "ﾔﾏﾀﾞ ﾀﾛ"}).content.decode()
    person_url = reverse("web:audit_person", args=[family.taro.pk])
    assert person_url in page and family.taro.addressee_no in page and "山田 太郎" in page
    assert "個人番号の表示" in page and "本人確認(番号確認)" in page and clerk.user.staff_name in page
    assert numbers.taro not in page  # (a boolean: the number is never displayed by pytest)
    detail = auditor.get(person_url).content.decode()
    assert clerk.user.staff_name in detail and "T-0101" in detail and "本人確認(番号確認)" in detail
    assert "個人番号の表示(遷移元:宛名詳細)" in detail
    assert "介護保険課" in detail and "T05_20260410.csv" in detail and "T05_OTHER.csv" not in detail
    assert "日本年金機構" in detail and "年金給付関係情報" in detail
    assert numbers.taro not in detail
    searched = AuditEntry.objects.get(action=AuditAction.AUDIT_SEARCH.value)
    assert searched.detail["criteria"] == {"氏名カナ": "ﾔﾏﾀﾞ ﾀﾛ"}
    looked = AuditEntry.objects.get(action=AuditAction.AUDIT_PERSON_VIEW.value)
    assert looked.detail["addressee_no"] == family.taro.addressee_no and looked.detail["references"] == 1
    assert looked.target_id == ""  # not in the person's own history on 宛名詳細


def test_a_reversed_period_and_an_empty_result_are_said_in_words(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    auditor = client_as(Role.AUDITOR)
    reversed_page = auditor.get(SEARCH, {"search": "1", "since": "2026-05-01", "until": "2026-04-01"})
    assert "期間の開始が終了より後です" in reversed_page.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.AUDIT_SEARCH.value).exists()
    empty = auditor.get(SEARCH, {"search": "1", "kana": "ワタナベ"}).content.decode()
    assert "条件に合う宛名はありません" in empty
    assert "該当する記録はありません(条件: 氏名カナ=ワタナベ)" in empty


def test_pages_of_the_result_follow_each_other(family: Family, staff_of: Callable[[Role], Staff],
                                              client_as: Callable[[Role], Client]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    start = timezone.now() - timedelta(days=1)
    for i in range(PAGE_SIZE + 5):
        PersonView.objects.create(user=clerk, person=family.jiro, at=start + timedelta(seconds=i),
                                  terminal_id="T-0303")
    auditor = client_as(Role.AUDITOR)
    first = auditor.get(SEARCH, {"search": "1", "source": "view"})
    assert first.context["page"].total == PAGE_SIZE + 5 and len(first.context["page"].rows) == PAGE_SIZE
    second = auditor.get(SEARCH + "?" + first.context["next_query"])
    rows = second.context["page"].rows
    assert len(rows) == 5 and second.context["page_no"] == 2 and "next_query" not in second.context
    assert rows[-1].at == start


def test_the_commands_search_and_show_a_person(
        family: Family, numbers: Numbers, staff_of: Callable[[Role], Staff],
        capsys: pytest.CaptureFixture[str]) -> None:
    clerk = _reveal_by_clerk(staff_of, family.taro)
    _transfer_and_inquiry(family.taro, clerk)
    auditor = staff_of(Role.AUDITOR).user.username
    assert main(["audit", "search", "--kana", "ヤマダ", "--source", "reference", "--as", auditor]) == 0
    out = capsys.readouterr().out
    assert family.taro.addressee_no in out and "本人確認(番号確認)" in out and clerk.user.staff_name in out
    assert "該当 1件" in out and numbers.taro not in out
    assert main(["audit", "search", "--kana", "ワタナベ", "--as", auditor]) == 0
    assert "該当する記録はありません(条件: 氏名カナ=ワタナベ)" in capsys.readouterr().out
    assert main(["audit", "search", "--since", "2026-05-01", "--until", "2026-04-01", "--as", auditor]) == 2
    assert "期間の開始が終了より後です" in capsys.readouterr().err
    assert main(["audit", "person", family.taro.addressee_no, "--as", auditor]) == 0
    out = capsys.readouterr().out
    assert "個人番号を参照した職員と理由: 1件" in out and clerk.user.staff_name in out and "T-0101" in out
    assert "介護保険課" in out and "日本年金機構" in out and numbers.taro not in out
    assert main(["audit", "person", "0000000000", "--as", auditor]) == 2
    assert main(["audit", "person", family.taro.addressee_no, "--as", clerk.user.username]) == 3


def test_a_person_search_finds_the_writes_on_their_records(
        family: Family, staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    # issue 15 §1 "search the whole audit trail by person": a contact record about Taro's arrears (an audit
    # row naming the ContactRecord, not the person) is found by his kana; Hanako's is not
    from kouki.arrears.services import contact_record
    from kouki.privacy.context import Actor

    clerk = staff_of(Role.COUNTER_CLERK)
    actor = Actor(username=clerk.user.username, terminal_id="T-0101", user_id=clerk.user.pk)
    for person in (family.taro, family.hanako):
        contact_record(actor=actor, person_id=person.pk, contacted_on=date(2026, 4, 10), channel="phone",
                       note="納付の相談")
    auditor = client_as(Role.AUDITOR)
    page = auditor.get(SEARCH, {"search": "1", "kana": "ﾔﾏﾀﾞ ﾀﾛ", "source": "audit"}).content.decode()
    trail = page[page.index('<table id="trail">'):]
    assert trail.count("滞納者への接触記録") == 1  # Taro's, not Hanako's
