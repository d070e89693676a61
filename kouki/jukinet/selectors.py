"""Reads of the lookup log: the lookups a notification may cite, and the log for auditors."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kouki.jukinet.models import Lookup


def _day(on: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(on, time.min))
    return start, start + timedelta(days=1)


def verifying_lookups(user_id: int, on: date) -> list[Lookup]:
    """The lookups this staff member made on `on` that found exactly one person: those a notification the
    same member enters may cite as its 住基ネット check (newest first)."""
    start, end = _day(on)
    return list(
        Lookup.objects.filter(user_id=user_id, at__gte=start, at__lt=end, hit_count=1).order_by("-at", "-pk")[
            :50
        ]
    )


def lookup_problem(lookup_id: int, user_id: int) -> str | None:
    """Why this lookup cannot verify a notification entered by `user_id` today, or None when it can."""
    lookup = Lookup.objects.filter(pk=lookup_id).first()
    if lookup is None:
        return "照会記録がありません"
    if lookup.user_id != user_id:
        return "自分が行った照会のみ指定できます"
    if lookup.hit_count != 1:
        return "該当者が1人の照会のみ指定できます"
    start, end = _day(timezone.localdate())
    if not start <= lookup.at < end:
        return "本日の照会のみ指定できます"
    return None


def lookups(
    *, user_id: int | None = None, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Lookup]:
    """The lookup log (auditors, SEC-12): by staff and period [since, until), newest first."""
    qs = Lookup.objects.all()
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-pk")
