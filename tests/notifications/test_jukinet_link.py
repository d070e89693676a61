"""IN-09: a notification verified on 住基ネット cites the lookup that verified it (issue 13 §3).
The lookup must
be the entering member's own, of today, with exactly one person found, and verify no other notification; rows
from before the lookup existed keep their bare flag."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from factories import personal_number
from jukinet_samples import Register
from jukinet_samples import register as register  # the fixture

from kouki.jukinet.models import Lookup
from kouki.jukinet.services import jukinet_lookup_by_number
from kouki.notifications.models import Notification
from kouki.notifications.services import NotificationError, notification_enter
from kouki.privacy.models import AuditEntry

from .conftest import Counter, actor_of, disability_input

pytestmark = pytest.mark.django_db
WHERE = {"screen": "住基ネット照会", "terminal_id": "T-01"}


def _lookup(counter: Counter, register: Register, *, found: bool = True, staff: str = "number_clerk") -> int:
    user = getattr(counter, staff).user
    number = register.resident.personal_number if found else "123456789018"
    return jukinet_lookup_by_number(user=user, number=number, purpose="identity", **WHERE).lookup_id


def _enter(counter: Counter, lookup_id: int | None, staff: str = "number_clerk") -> Notification:
    data = disability_input(
        counter.person, identity_documents=frozenset(), resident_network_lookup_id=lookup_id
    )
    return notification_enter(
        actor=actor_of(getattr(counter, staff)), data=data, number=personal_number(random.Random(13))
    )


def test_the_notification_records_the_lookup_that_verified_it(counter: Counter, register: Register) -> None:
    lookup_id = _lookup(counter, register)
    n = _enter(counter, lookup_id)
    assert (n.resident_network_lookup_id, n.resident_network_checked) == (lookup_id, True)
    assert "住基ネット" in n.identity_summary
    entry = AuditEntry.objects.filter(action="notification.enter").get()
    assert entry.detail["jukinet_lookup_id"] == lookup_id


def test_without_documents_or_a_lookup_the_identity_check_fails(counter: Counter) -> None:
    with pytest.raises(NotificationError) as refused:
        _enter(counter, None)
    assert refused.value.field == "identity"


def test_a_lookup_verifies_one_notification_only(counter: Counter, register: Register) -> None:
    lookup_id = _lookup(counter, register)
    _enter(counter, lookup_id)
    with pytest.raises(NotificationError, match="別の届出") as refused:
        _enter(counter, lookup_id)
    assert refused.value.field == "resident_network_lookup"


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("other_staff", "自分が行った照会"),
        ("no_hit", "該当者が1人"),
        ("yesterday", "本日の照会"),
        ("unknown", "照会記録がありません"),
    ],
)
def test_lookups_that_cannot_verify_are_refused(
    counter: Counter, register: Register, case: str, reason: str
) -> None:
    if case == "other_staff":
        lookup_id = _lookup(counter, register, staff="supervisor")
    elif case == "no_hit":
        lookup_id = _lookup(counter, register, found=False)
    elif case == "yesterday":
        lookup_id = _lookup(counter, register)
        Lookup.objects.filter(pk=lookup_id).update(at=Lookup.objects.get(pk=lookup_id).at - timedelta(days=1))
    else:
        lookup_id = 999_999
    with pytest.raises(NotificationError, match=reason) as refused:
        _enter(counter, lookup_id)
    assert refused.value.field == "resident_network_lookup"
    assert Notification.objects.count() == 0


def test_old_rows_keep_the_bare_flag_and_a_lookup_always_means_checked(
    counter: Counter, register: Register
) -> None:
    n = _enter(counter, _lookup(counter, register))
    Notification.objects.filter(pk=n.pk).update(resident_network_lookup=None)  # as rows before the lookup
    assert Notification.objects.filter(pk=n.pk, resident_network_checked=True).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.filter(pk=n.pk).update(
            resident_network_lookup=_lookup(counter, register), resident_network_checked=False
        )
