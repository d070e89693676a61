"""移転定義一覧: the registered transfers and their approval state, for those who carry transfers out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_staff
from web.conftest import sign_in

from kouki.accounts.permissions import Role
from kouki.privacy.context import Actor
from transfers.conftest import approve_both

pytestmark = pytest.mark.django_db


def test_the_list_screen_shows_every_definition_and_its_approval(chief: Actor, deputy: Actor,
                                                                 loaded: None) -> None:  # fmt: skip
    approve_both("T02", chief, deputy)
    client = sign_in(Client(), make_staff(Role.NUMBER_CLERK).user)
    html = client.get(reverse("web:transfer_list")).content.decode()
    assert html.count("<tr>") == 16  # the head and the 15 definitions
    assert "市民税課" in html and "承認済" in html and "未確認" in html
    counter = sign_in(Client(), make_staff(Role.COUNTER_CLERK).user)
    assert counter.get(reverse("web:transfer_list")).status_code == 403
