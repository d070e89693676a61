"""Sample objects of the 届出 screens for the URL × role walk (tests/web/test_access_matrix.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.notifications.models import MatchingMismatch, MismatchKind, Notification
from kouki.notifications.services import notification_enter, notification_return

from .conftest import actor_of, disability_input


@dataclass(frozen=True)
class WalkSamples:
    notification: Notification  # returned for correction: detail and edit both render
    mismatch: MatchingMismatch  # open

    def kwargs(self) -> dict[str, dict[str, int]]:
        n, m = self.notification.pk, self.mismatch.pk
        return {
            "web:notification_new": {"person_id": self.notification.person_id},
            "web:notification_detail": {"notification_id": n},
            "web:notification_edit": {"notification_id": n},
            "web:notification_confirm": {"notification_id": n},
            "web:notification_return": {"notification_id": n},
            "web:mismatch_resolve": {"mismatch_id": m},
        }


def walk_samples(person: Person, kana: str, birth: date) -> WalkSamples:
    entering, checking = make_staff(Role.SUPERVISOR), make_staff(Role.SUPERVISOR)
    n = notification_enter(
        actor=actor_of(entering), data=disability_input(person, stated_kana=kana, stated_birth_date=birth)
    )
    notification_return(actor=actor_of(checking), notification_id=n.pk, note="異動日を確認")
    n.refresh_from_db()
    m = MatchingMismatch.objects.create(
        kind=MismatchKind.NAME_OR_BIRTH,
        notification=n,
        person=person,
        detail="試験",
        found_on=date(2026, 4, 3),
        found_at=timezone.now(),
    )
    return WalkSamples(notification=n, mismatch=m)
