"""住登外者の登録 screen: the form checks every rule in Japanese next to its field (和暦 or 西暦 birth
date), a valid form registers through kouki.addressees.nonresident (audited) and opens the new person;
bad input registers nothing; only staff who enter notifications may register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person, PersonVersion, Registration
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("web:nonresident_new")
VALID = {
    "family_name": "施設", "given_name": "入所", "family_name_kana": "しせつ",
    "given_name_kana": "ニュウショ",
    "sex": "2", "birth_date": "S21.5.1", "postal_code": "336-0021", "municipality_code": "13101",
    "address": "東京都千代田区千代田1番1号 特別養護老人ホーム", "phone": "", "registered_on": "R8.4.1",
}


def test_a_non_resident_is_registered_with_a_wareki_birth_date(
        staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    page = client.get(URL).content.decode()
    assert "住登外者の登録" in page and "S21.5.1" in page
    response = client.post(URL, VALID)
    assert response.status_code == 302
    person = Person.objects.get(registration=Registration.NON_RESIDENT)
    assert response["Location"] == reverse("web:person_detail", args=[person.pk])
    version = PersonVersion.objects.get(person=person, is_current=True)
    assert version.birth_date == date(1946, 5, 1) and version.valid_from == date(2026, 4, 1)
    assert version.family_name_kana == "シセツ"  # ひらがな accepted and stored in カタカナ
    assert version.postal_code == "3360021" and version.municipality_code == "13101"
    assert person.addressee_no.startswith("9")
    entry = AuditEntry.objects.get(action="addressee.nonresident_register")
    assert entry.target_id == str(person.pk) and entry.actor == staff_of(Role.COUNTER_CLERK).user.username


def test_western_birth_dates_are_accepted_too(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.NUMBER_CLERK).post(URL, {**VALID, "birth_date": "1946-05-01"})
    assert response.status_code == 302
    assert PersonVersion.objects.get(is_current=True, person__registration=Registration.NON_RESIDENT
                                     ).birth_date == date(1946, 5, 1)


@pytest.mark.parametrize("field, value, message", [
    ("birth_date", "S21.2.30", "birth_date"),
    ("birth_date", "R9.4.1", "生年月日が登録日より後になっています"),
    ("family_name_kana", "Yamada", "カナ(ひらがな可)で入力してください"),
    ("postal_code", "33600", "郵便番号は7桁の数字で入力してください"),
    ("municipality_code", "1310", "市町村コードは5桁の数字で入力してください"),
    ("sex", "", "必須です"),
    ("family_name", " ", "必須です"),
])
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_registered(
        field: str, value: str, message: str, client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).post(URL, {**VALID, field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message != field:
        assert message in " ".join(form.errors[field])
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="addressee.nonresident_register").exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_roles_without_the_permission_are_refused(role: Role, client_as: Callable[[Role], Client]) -> None:
    client = client_as(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403
    assert not Person.objects.exists()
