"""Reveals of people outside the user's ward, and of people who share the user's family name (swept).

The ward of a member of staff is the 区 named in their 所属 (「浦和区役所 保険年金課」→ 浦和区); staff of the
central office (no 区 in 所属) serve the whole city and are not checked. The ward of a person is the 区 of
their current address in this city (KOUKI_CITY_NAME; 「さいたま市浦和区…」→ 浦和区); people living outside
the city (住所地特例, 転出) have none and are not counted. kouki holds no staff address and no staff kana: the
own-family rule compares the person's 氏 with the first word of the user's 職員氏名 (「山田 太郎」→ 山田), and
does nothing for a 職員氏名 written without a space.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

from kouki.accounts.models import StaffUser
from kouki.core.alert_config import AlertThresholds
from kouki.core.config import city_config
from kouki.privacy.alerts import register_rule
from kouki.privacy.anomalies.common import open_events, per_day, raise_run
from kouki.privacy.anomalies.readers import PersonFactsReader
from kouki.privacy.models import ReferenceKind, ReferenceLog

OUTSIDE_WARD = "reveal_outside_ward"
OWN_FAMILY = "reveal_own_family"

register_rule(OUTSIDE_WARD, "担当区以外の方の個人番号の表示",
              "所属の区以外に住む方の個人番号の表示が1日に警告の件数に達しました。他区の方の来庁など業務上の"
              "理由があったか、参照記録の対象者と理由を確認してください。")
register_rule(OWN_FAMILY, "職員と同じ氏の方の個人番号の表示",
              "職員と同じ氏の方の個人番号を表示しました(家族・親族の情報の閲覧の疑い)。参照記録の対象者と"
              "理由を確認し、窓口での手続があったか確かめてください。")

_STAFF_WARD = re.compile(r"市?([^\s市区]+区)")
_SPACE = re.compile(r"[\s\u3000]+")


def staff_ward(office: str) -> str:
    """浦和区役所 保険年金課 → 浦和区; "" when the 所属 names no ward."""
    match = _STAFF_WARD.search(office)
    return match.group(1) if match else ""


def person_ward(address: str, city: str) -> str:
    """さいたま市浦和区… (optionally after the prefecture) → 浦和区; "" outside `city` or without a ward."""
    if not city:
        return ""
    match = re.match(rf"(?:\S{{2,3}}[都道府県])?{re.escape(city)}([^\s区]+?区)", address.strip())
    return match.group(1) if match else ""


def staff_family_name(staff_name: str) -> str:
    parts = _SPACE.split(staff_name.strip())
    return parts[0] if len(parts) > 1 else ""


def scan_people(since: datetime, until: datetime, t: AlertThresholds, facts_of: PersonFactsReader) -> int:
    rows = list(ReferenceLog.objects.filter(at__gte=since, at__lt=until, kind=ReferenceKind.REVEAL,
                                            person__isnull=False).values_list("user_id", "person_id", "at"))
    if not rows:
        return 0
    users = StaffUser.objects.in_bulk({r[0] for r in rows})
    facts = facts_of({r[1] for r in rows})
    city = city_config().city_name
    outside: dict[int, list[datetime]] = defaultdict(list)
    family: dict[int, list[datetime]] = defaultdict(list)
    for user_id, person_id, at in rows:
        person, user = facts.get(person_id), users[user_id]
        if person is None:
            continue
        ward, theirs = staff_ward(user.office), person_ward(person.address, city)
        if ward and theirs and ward != theirs:
            outside[user_id].append(at)
        surname = staff_family_name(user.staff_name)
        if surname and surname == person.family_name.strip():
            family[user_id].append(at)
    raised = 0
    if t.outside_ward_per_day > 0:
        for user_id, moments in open_events(OUTSIDE_WARD, outside).items():
            for day, on_day in per_day(moments).items():
                if len(on_day) >= t.outside_ward_per_day:
                    raise_run(OUTSIDE_WARD, users[user_id], on_day,
                              {"day": day.isoformat(), "ward": staff_ward(users[user_id].office),
                               "per_day": t.outside_ward_per_day})
                    raised += 1
    if t.own_family:
        for user_id, moments in open_events(OWN_FAMILY, family).items():
            for day, on_day in per_day(moments).items():
                raise_run(OWN_FAMILY, users[user_id], on_day, {"day": day.isoformat()})
                raised += 1
    return raised
