"""SEC-07 permission, SEC-11 reference log, purposes, and the reference-log selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.privacy.context import Actor
from kouki.privacy.gate import (
    PURPOSES,
    InvalidPurpose,
    PersonalNumberAccessDenied,
    find_person_by_personal_number,
    purpose_parse,
    reveal_personal_number,
)
from kouki.privacy.models import AuditEntry, ReferenceKind, ReferenceLog
from kouki.privacy.selectors import references, references_for_person
from kouki.privacy.services import personal_number_register
from kouki.privacy.vault import reference_token
from kouki.rules.numbers import InvalidNumber

pytestmark = pytest.mark.django_db

Numbers = Callable[[], str]
People = Callable[[], Person]
WHERE = {"screen": "宛名照会", "terminal_id": "T-0101"}


@pytest.fixture
def registered(make_number: Numbers, make_person: People, import_actor: Actor) -> tuple[Person, str]:
    person, number = make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
    return person, number


def test_purposes_are_codes_with_japanese_labels() -> None:
    codes = [code for code, _ in PURPOSES]
    assert len(set(codes)) == len(codes) and "other" in codes
    labels = dict(PURPOSES)
    assert labels["acquisition"] == "資格取得届の受付" and labels["other"] == "その他(理由を記入)"


def test_purpose_accepts_code_or_label_and_other_needs_a_note() -> None:
    assert purpose_parse("acquisition").text == "資格取得届の受付"
    assert purpose_parse("資格喪失届の受付").code == "loss"
    assert purpose_parse("other", "開示請求への対応").text == "その他(理由を記入): 開示請求への対応"
    for bad in ("", "  ", "なんとなく"):
        with pytest.raises(InvalidPurpose):
            purpose_parse(bad)
    with pytest.raises(InvalidPurpose, match="記入"):
        purpose_parse("other", " ")


def test_reveal_writes_one_reference_row_with_all_six_fields(
    registered: tuple[Person, str], number_clerk: StaffUser
) -> None:
    """SEC-11: ID, time, terminal, source screen, purpose, number (as token) on every reference."""
    person, number = registered
    before = timezone.now()
    shown = reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="identity", **WHERE)
    same = shown == number
    assert same is True
    log = ReferenceLog.objects.get()
    assert (log.user_id, log.username, log.terminal_id, log.screen, log.purpose, log.person_id, log.kind) == (
        number_clerk.pk,
        "clerk01",
        "T-0101",
        "宛名照会",
        "本人確認(番号確認)",
        person.pk,
        ReferenceKind.REVEAL,
    )
    assert before <= log.at <= timezone.now()
    assert log.number_token == reference_token(number) and log.number_token.startswith("t_")
    audit = AuditEntry.objects.get(action="personal_number.reveal")
    assert audit.actor == "clerk01" and audit.terminal_id == "T-0101" and audit.target_id == str(person.pk)
    assert audit.detail["reference_log_id"] == log.pk and audit.detail["purpose"] == "identity"
    reveal_personal_number(
        user=number_clerk, person_id=person.pk, purpose="other", purpose_note="開示請求", **WHERE
    )
    assert ReferenceLog.objects.count() == 2  # exactly one row per reference


def test_reveal_without_number_returns_none_and_logs_nothing(
    make_person: People, number_clerk: StaffUser
) -> None:
    person = make_person()
    assert reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="identity", **WHERE) is None
    assert not ReferenceLog.objects.exists()


@pytest.mark.parametrize("role_fixture", ["counter_clerk", "system_admin", "auditor"])
def test_without_permission_nothing_is_shown_searched_or_logged(
    role_fixture: str, registered: tuple[Person, str], request: pytest.FixtureRequest
) -> None:
    """SEC-07: without 個人番号利用事務 permission: no display, no search, 403-type error, no log."""
    user: StaffUser = request.getfixturevalue(role_fixture)
    person, number = registered
    audits = AuditEntry.objects.count()
    with pytest.raises(PersonalNumberAccessDenied):
        reveal_personal_number(user=user, person_id=person.pk, purpose="identity", **WHERE)
    with pytest.raises(PersonalNumberAccessDenied):
        find_person_by_personal_number(user=user, number=number, purpose="identity", **WHERE)
    assert not ReferenceLog.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_inactive_user_is_denied(registered: tuple[Person, str], number_clerk: StaffUser) -> None:
    number_clerk.is_active = False
    with pytest.raises(PersonalNumberAccessDenied):
        reveal_personal_number(user=number_clerk, person_id=registered[0].pk, purpose="identity", **WHERE)


def test_reveal_needs_purpose_screen_and_terminal(
    registered: tuple[Person, str], number_clerk: StaffUser
) -> None:
    person = registered[0]
    with pytest.raises(InvalidPurpose):
        reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="", **WHERE)
    with pytest.raises(InvalidPurpose):
        reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="other", **WHERE)
    with pytest.raises(ValueError, match="terminal"):
        reveal_personal_number(
            user=number_clerk, person_id=person.pk, purpose="identity", screen="宛名照会", terminal_id=""
        )
    assert not ReferenceLog.objects.exists()


def test_search_finds_the_person_and_logs_it(registered: tuple[Person, str], number_clerk: StaffUser) -> None:
    person, number = registered
    found = find_person_by_personal_number(
        user=number_clerk, number=number, purpose="給付申請の受付", **WHERE
    )
    assert found == person.pk
    log = ReferenceLog.objects.get()
    assert (log.kind, log.person_id, log.purpose) == (ReferenceKind.SEARCH, person.pk, "給付申請の受付")
    assert log.number_token == reference_token(number)
    assert AuditEntry.objects.filter(action="personal_number.search", target_id=str(person.pk)).count() == 1


def test_search_with_no_match_is_logged_too(make_number: Numbers, number_clerk: StaffUser) -> None:
    assert (
        find_person_by_personal_number(user=number_clerk, number=make_number(), purpose="identity", **WHERE)
        is None
    )
    log = ReferenceLog.objects.get()
    assert log.person_id is None and log.kind == ReferenceKind.SEARCH
    assert AuditEntry.objects.get(action="personal_number.search").detail["found"] is False


def test_search_does_not_find_a_replaced_number(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    from kouki.privacy.selectors import pending_list
    from kouki.privacy.services import personal_number_pending_confirm

    from .helpers import actor_of

    person, a, b = make_person(), make_number(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=a, source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number=b, source="住基")
    personal_number_pending_confirm(
        actor=actor_of(supervisor), pending_id=pending_list().get().pk, note="変更"
    )
    assert find_person_by_personal_number(user=supervisor, number=a, purpose="identity", **WHERE) is None
    assert find_person_by_personal_number(user=supervisor, number=b, purpose="identity", **WHERE) == person.pk


def test_search_validates_check_digit_before_logging(number_clerk: StaffUser) -> None:
    with pytest.raises(InvalidNumber):
        find_person_by_personal_number(user=number_clerk, number="123456789012", purpose="identity", **WHERE)
    assert not ReferenceLog.objects.exists()


def test_reference_log_queries_for_auditors(
    registered: tuple[Person, str], number_clerk: StaffUser, supervisor: StaffUser, make_person: People
) -> None:
    """SEC-12: auditors read the reference log by user, by person and by period."""
    person, number = registered
    reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="identity", **WHERE)
    reveal_personal_number(user=supervisor, person_id=person.pk, purpose="premium", **WHERE)
    find_person_by_personal_number(user=supervisor, number=number, purpose="identity", **WHERE)
    assert references_for_person(person.pk).count() == 3
    assert references_for_person(make_person().pk).count() == 0
    assert references(user_id=number_clerk.pk).count() == 1
    assert references(username="super01").count() == 2
    now = timezone.now()
    assert references(since=now - timedelta(minutes=1), until=now + timedelta(minutes=1)).count() == 3
    assert references(since=now + timedelta(minutes=1)).count() == 0
    assert references(person_id=person.pk, user_id=supervisor.pk).count() == 2
    newest_first = [r.at for r in references()]
    assert newest_first == sorted(newest_first, reverse=True)
