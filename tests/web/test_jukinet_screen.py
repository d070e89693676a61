"""住基ネット照会 screen (issue 13 §3, IN-09) and the integrated addressee number kept off screens (§1).

POST only for the search; the result is shown once beside 氏名・生年月日・住所 and never stored; the typed
number is never rendered back; the counter clerk cannot open the screen; the notification form offers the
member's own lookups of today."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from jukinet_samples import Register
from jukinet_samples import register as register  # the fixture

from kouki.accounts.permissions import Role
from kouki.jukinet.models import Lookup
from kouki.privacy.models import IntegratedAddressee
from kouki.rules.integrated_number import integrated_number_text

from .conftest import Family, Numbers
from .test_personal_numbers import leaks_any_number, shows

pytestmark = pytest.mark.django_db
URL = "web:jukinet_lookup"


def _ask(client: Client, **data: str) -> str:
    response = client.post(reverse(URL), {"search_kind": "personal_number", **data})
    assert response.status_code == 200
    return response.content.decode()


def test_lookup_by_number_shows_the_result_once_and_logs_it(
    register: Register, client_as: Callable[[Role], Client]
) -> None:
    person = register.resident
    client = client_as(Role.NUMBER_CLERK)
    assert client.get(reverse(URL)).status_code == 200
    page = _ask(client, purpose="identity", personal_number=person.personal_number)
    lookup = Lookup.objects.get()
    assert f"照会番号 {lookup.pk}" in page and person.name in page and person.resident_code in page
    assert shows(page, person.personal_number)  # in the result, grouped 4-4-4 beside the name
    assert f'value="{person.personal_number}"' not in page  # never rendered back into the form
    assert not re.search(r"\d{12}", page.replace(person.resident_code, ""))
    assert lookup.hit_count == 1 and lookup.screen == "web.jukinet_lookup"


def test_lookup_needs_a_purpose_and_says_so_next_to_the_field(
    register: Register, client_as: Callable[[Role], Client]
) -> None:
    page = _ask(client_as(Role.SUPERVISOR), purpose="", personal_number=register.resident.personal_number)
    assert "照会番号" not in page and "必須です" in page
    assert not leaks_any_number(page) and Lookup.objects.count() == 0


def test_unknown_person_and_four_items(register: Register, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.NUMBER_CLERK)
    page = _ask(client, purpose="number", personal_number="123456789018")
    assert "該当する方はいません" in page and not leaks_any_number(page)
    outsider = register.outsider
    year, month, day = outsider.birth_date.split("-")
    page = _ask(
        client,
        search_kind="four_items",
        purpose="move_in",
        name=outsider.name,
        birth_date=f"{year}-{month}-{day}",
        sex=outsider.sex,
        address=outsider.address,
    )
    assert outsider.resident_code in page
    first = Lookup.objects.order_by("pk").values_list("search_kind", "hit_count").first()
    assert first == ("personal_number", 0)


def test_counter_clerk_cannot_look_up(register: Register, client_as: Callable[[Role], Client]) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    assert clerk.get(reverse(URL)).status_code == 403
    refused = clerk.post(
        reverse(URL),
        {
            "search_kind": "personal_number",
            "purpose": "identity",
            "personal_number": register.resident.personal_number,
        },
    )
    assert refused.status_code == 403 and not leaks_any_number(refused.content.decode())
    assert Lookup.objects.count() == 0
    assert "住基ネット照会" not in clerk.get(reverse("web:menu")).content.decode()
    assert "住基ネット照会" in client_as(Role.NUMBER_CLERK).get(reverse("web:menu")).content.decode()


def test_the_notification_form_offers_todays_own_lookups(
    register: Register, family: Family, client_as: Callable[[Role], Client]
) -> None:
    client = client_as(Role.NUMBER_CLERK)
    _ask(client, purpose="identity", personal_number=register.resident.personal_number)
    lookup = Lookup.objects.get()
    form = client.get(reverse("web:notification_new", args=[family.taro.pk])).content.decode()
    assert f'value="{lookup.pk}"' in form and f"照会番号 {lookup.pk}" in form
    other = client_as(Role.SUPERVISOR).get(reverse("web:notification_new", args=[family.taro.pk]))
    assert f"照会番号 {lookup.pk}" not in other.content.decode()


def test_the_integrated_number_is_on_no_person_screen(
    family: Family, numbers: Numbers, client_as: Callable[[Role], Client], settings: object
) -> None:
    settings.KOUKI_INTEGRATED_ADDRESSEE_DIGITS = "15"  # type: ignore[attr-defined]
    serial = IntegratedAddressee.objects.get(person=family.taro).serial
    text = integrated_number_text(serial, 15)
    for role in (Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.SUPERVISOR):
        client = client_as(role)
        for url in (
            reverse("web:person_detail", args=[family.taro.pk]),
            reverse("web:person_search") + "?kana=ヤマダ",
        ):
            assert text not in client.get(url).content.decode(), (role, url)
