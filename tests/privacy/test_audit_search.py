"""The auditor's desk selectors (issue 15 §1; SEC-11, SEC-12): one search over the audit log, the reference
log and the 宛名詳細 views; who has seen a person's number and why; the transfers carrying a person.

Numbers are never put into assertions' displayed values (compare booleans instead)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from factories import make_person, make_staff

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.addressees.models import Person
from kouki.addressees.selectors import person_ids_matching
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy import audit_search
from kouki.privacy.audit import audit_record
from kouki.privacy.audit_search import (
    NUMBER_IN_CRITERIA,
    PERIOD_REVERSED,
    PERSON_VIEW_ACTION,
    Cursor,
    Source,
    TrailCriteria,
    TrailSearchError,
    number_seen_by,
    person_views_of,
    search_trail,
    trail_search_audited,
)
from kouki.privacy.bulk import bulk_store_numbers
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.models import AuditEntry, PersonView
from kouki.privacy.reading import person_view_record
from kouki.privacy.redaction import contains_personal_number

from .helpers import actor_of

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
APRIL_10 = datetime(2026, 4, 10, 10, 0, tzinfo=TOKYO)
MAY_2 = datetime(2026, 5, 2, 14, 30, tzinfo=TOKYO)
REVEAL_SCREEN = "web.personal_number_reveal(遷移元:宛名詳細)"


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@dataclass(frozen=True)
class Scene:
    taro: Person
    hanako: Person
    jiro: Person
    sato: StaffUser  # number clerk: revealed Taro's number on 2026-04-10
    suzuki: StaffUser  # number clerk: opened Taro's 宛名詳細 on 2026-04-10, revealed Hanako's on 2026-05-02


@pytest.fixture
def scene(make_number: Callable[[], str]) -> Scene:
    taro = make_person(addressee_no="0000123451", family_name_kana="ヤマダ", given_name_kana="タロウ",
                       birth_date=date(1946, 5, 1))
    hanako = make_person(addressee_no="0000123452", given_name="花子", family_name_kana="ヤマダ",
                         given_name_kana="ハナコ", birth_date=date(1950, 8, 15))
    jiro = make_person(addressee_no="0000999993", family_name="鈴木", given_name="次郎",
                       family_name_kana="スズキ", given_name_kana="ジロウ", birth_date=date(1948, 1, 20))
    bulk_store_numbers([(p.pk, make_number()) for p in (taro, hanako, jiro)], source="tests")
    sato = make_staff(Role.NUMBER_CLERK, username="sato.ichiro", staff_name="佐藤 一郎").user
    suzuki = make_staff(Role.NUMBER_CLERK, username="suzuki.mika", staff_name="鈴木 美香").user
    with clock(APRIL_10):
        assert reveal_personal_number(user=sato, person_id=taro.pk, purpose="identity", screen=REVEAL_SCREEN,
                                      terminal_id="T-0101") is not None
    with clock(APRIL_10 + timedelta(minutes=5)):
        person_view_record(user=suzuki, person_id=taro.pk, terminal_id="T-0202")
        with transaction.atomic():
            audit_record(actor=actor_of(suzuki, "T-0202"), action=AuditAction.IMPORT_APPLIED,
                         target_type=AuditTarget.IMPORT_RECORD, target_id="7",
                         detail={"kind": "tax", "file_name": "KOUKI_TAX_20260410.dat", "records": 3})
    with clock(MAY_2):
        assert reveal_personal_number(user=suzuki, person_id=hanako.pk, purpose="benefit",
                                      screen=REVEAL_SCREEN, terminal_id="T-0202") is not None
    return Scene(taro, hanako, jiro, sato, suzuki)


def test_number_seen_by_says_who_when_where_and_why(scene: Scene) -> None:
    [seen] = number_seen_by(scene.taro.pk)
    assert (seen.username, seen.staff_name, seen.terminal_id) == ("sato.ichiro", "佐藤 一郎", "T-0101")
    assert seen.screen == "個人番号の表示(遷移元:宛名詳細)" and seen.kind == "個人番号の表示"
    assert seen.purpose.startswith("本人確認") and seen.at == APRIL_10
    [view] = person_views_of(scene.taro.pk)
    assert (view.staff_name, view.terminal_id) == ("鈴木 美香", "T-0202")
    assert number_seen_by(scene.jiro.pk) == [] and person_views_of(scene.jiro.pk) == []


def test_search_by_person_finds_the_reveal_the_view_and_no_other_person(scene: Scene) -> None:
    page = search_trail(TrailCriteria(kana="ﾔﾏﾀﾞﾀ"), person_ids=[scene.taro.pk])
    by_source = {r.source: r for r in page.rows if r.source != Source.AUDIT}
    assert by_source[Source.REFERENCE].purpose.startswith("本人確認")
    assert by_source[Source.REFERENCE].screen == "個人番号の表示(遷移元:宛名詳細)"
    assert by_source[Source.VIEW].action == "宛名詳細の閲覧"
    assert {r.person_id for r in page.rows} == {scene.taro.pk}
    # a reveal is one row (from the reference log, with its purpose), not also its audit row
    assert [r.action for r in page.rows].count("個人番号の表示") == 1
    assert page.total == len(page.rows) and not page.total_capped and page.next_cursor is None


def test_search_by_staff_action_file_and_period(scene: Scene) -> None:
    by_staff = search_trail(TrailCriteria(username="sato.ichiro", sources=(Source.REFERENCE,)))
    assert [(r.username, r.person_id) for r in by_staff.rows] == [("sato.ichiro", scene.taro.pk)]
    views = search_trail(TrailCriteria(actions=(PERSON_VIEW_ACTION,)))
    assert [(r.source, r.username) for r in views.rows] == [(Source.VIEW, "suzuki.mika")]
    reveals = search_trail(TrailCriteria(actions=(AuditAction.PERSONAL_NUMBER_REVEAL.value,)))
    assert sorted(r.person_id or 0 for r in reveals.rows) == sorted([scene.taro.pk, scene.hanako.pk])
    assert {r.source for r in reveals.rows} == {Source.REFERENCE}
    files = search_trail(TrailCriteria(file_name="tax_2026"))
    assert [(r.action, r.files) for r in files.rows] == [("連携ファイルの取込", ("KOUKI_TAX_20260410.dat",))]
    april = search_trail(TrailCriteria(since=date(2026, 4, 10), until=date(2026, 4, 10),
                                       sources=(Source.REFERENCE, Source.VIEW)))
    assert {r.person_id for r in april.rows} == {scene.taro.pk}
    may = search_trail(TrailCriteria(since=date(2026, 5, 1), sources=(Source.REFERENCE,)))
    assert [r.person_id for r in may.rows] == [scene.hanako.pk]


def test_a_reversed_period_or_a_personal_number_in_the_criteria_is_refused_in_words(
        scene: Scene, make_number: Callable[[], str]) -> None:
    with pytest.raises(TrailSearchError, match=PERIOD_REVERSED):
        search_trail(TrailCriteria(since=date(2026, 5, 1), until=date(2026, 4, 1)))
    with pytest.raises(TrailSearchError) as caught:
        search_trail(TrailCriteria(file_name=f"list-{make_number()}.csv"))
    assert str(caught.value) == NUMBER_IN_CRITERIA and not contains_personal_number(str(caught.value))


def test_nobody_matching_the_person_criteria_finds_nothing_and_says_which_criteria(scene: Scene) -> None:
    criteria = TrailCriteria(kana="ワタナベ", since=date(2026, 4, 1), until=date(2026, 4, 30))
    page = search_trail(criteria, person_ids=[])
    assert page.rows == [] and page.total == 0
    assert criteria.summary() == "氏名カナ=ワタナベ、期間=2026-04-01〜2026-04-30"


def test_pages_follow_each_other_without_gap_or_repeat_across_the_three_logs(scene: Scene) -> None:
    for minute in range(7):  # some views share their second with each other
        PersonView.objects.create(user=scene.sato, person_id=scene.jiro.pk, terminal_id="T-0101",
                                  at=APRIL_10 + timedelta(minutes=minute // 2))
    everything = search_trail(TrailCriteria(), size=1000).rows
    seen: list[tuple[Source, int]] = []
    after: Cursor | None = None
    while True:
        page = search_trail(TrailCriteria(), after=after, size=3)
        assert len(page.rows) <= 3 and page.total == len(everything)
        seen += [(r.source, r.row_id) for r in page.rows]
        if page.next_cursor is None:
            break
        after = Cursor.decode(page.next_cursor.encode())
    assert seen == [(r.source, r.row_id) for r in everything]
    assert len(set(seen)) == len(seen)
    times = [r.at for r in everything]
    assert times == sorted(times, reverse=True)


def test_the_count_stops_at_the_cap(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_search, "COUNT_CAP", 2)
    page = search_trail(TrailCriteria(), size=1)
    assert page.total == 2 and page.total_capped and page.next_cursor is not None


def test_a_forged_cursor_is_refused() -> None:
    for text in ("", "x", "2026-04-10T10:00:00~9~1", "2026-04-10T10:00:00~0~1"):
        with pytest.raises(TrailSearchError):
            Cursor.decode(text)


def test_person_criteria_match_by_kana_prefix_name_part_birth_date_and_number_part(scene: Scene) -> None:
    both = {scene.taro.pk, scene.hanako.pk}
    assert set(person_ids_matching(kana="やまだ")) == both
    assert set(person_ids_matching(kana="ﾔﾏﾀﾞ ﾀ")) == {scene.taro.pk}
    assert set(person_ids_matching(name="山田")) == both
    assert set(person_ids_matching(name="山田 花")) == {scene.hanako.pk}
    assert set(person_ids_matching(addressee_no="12345")) == both
    assert set(person_ids_matching(addressee_no="0000999993")) == {scene.jiro.pk}
    assert set(person_ids_matching(kana="ヤマダ", birth_date=date(1950, 8, 15))) == {scene.hanako.pk}
    assert len(person_ids_matching(kana="ヤマダ", limit=1)) == 2  # one more than the limit: "too many"


def test_the_search_is_audited_in_words(scene: Scene) -> None:
    criteria = TrailCriteria(kana="ヤマダ", username="sato.ichiro", since=date(2026, 4, 1))
    trail_search_audited(actor=actor_of(scene.sato), criteria=criteria, found=3)
    row = AuditEntry.objects.filter(action=AuditAction.AUDIT_SEARCH.value).get()
    assert row.detail["criteria"] == {"氏名カナ": "ヤマダ", "職員": "sato.ichiro", "期間": "2026-04-01〜"}
    assert row.detail["found"] == 3
    assert timezone.is_aware(row.at)


def test_every_audit_row_written_with_a_file_name_is_of_a_file_action() -> None:
    """A file search reads only the rows of FILE_ACTIONS: every audit call in kouki/ whose detail names a
    file (FILE_KEYS) must use one of them, or its file would never be found."""
    import ast
    from pathlib import Path

    missing = []
    for path in sorted((Path(__file__).resolve().parents[2] / "kouki").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", "") or getattr(node.func, "attr", "")
            if name not in {"audit_record", "AuditItem"}:
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            action = keywords.get("action") or (node.args[0] if node.args else None)
            detail = keywords.get("detail") or (node.args[3] if len(node.args) > 3 else None)
            keys = {k.value for d in (ast.walk(detail) if detail is not None else ())
                    if isinstance(d, ast.Dict) for k in d.keys if isinstance(k, ast.Constant)}  # fmt: skip
            if keys & set(audit_search.FILE_KEYS):
                member = ast.unparse(action) if action is not None else ""
                value = getattr(AuditAction, member.removeprefix("AuditAction."), None)
                if value is None or value.value not in audit_search.FILE_ACTIONS:
                    missing.append(f"{path.name}:{node.lineno} {member}")
    assert missing == []
