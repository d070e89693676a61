"""Rotation of the search-hash (blind index) key (issue 14 §2): `kouki keys rotate-search-hash`.

After a rotation lookups by number find the same people and the old key has left the keyring; a rotation
cut short keeps lookups working and finishes when run again. Numbers are compared as booleans only.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.cli import main
from kouki.privacy.context import Actor
from kouki.privacy.gate import find_person_by_personal_number
from kouki.privacy.keys import add_search_key, load_keyring, new_key_b64
from kouki.privacy.models import AuditEntry, PersonalNumber, PersonalNumberPending
from kouki.privacy.search_rotation import search_hash_rotate, search_key_usage
from kouki.privacy.services import personal_number_register
from kouki.privacy.vault import reference_token

from .helpers import actor_of

Numbers = Callable[[], str]
People = Callable[[], Person]
pytestmark = pytest.mark.django_db


def _populate(make_number: Numbers, make_person: People, user: StaffUser, n: int = 7) -> dict[int, str]:
    """n people with a number, and one confirmation-list row (a different number for the first)."""
    actor = actor_of(user)
    people: dict[int, str] = {}
    for _ in range(n):
        person, number = make_person(), make_number()
        stored = personal_number_register(actor=actor, person_id=person.pk, number=number, source="t")
        assert stored == "stored"
        people[person.pk] = number
    first = next(iter(people))
    listed = personal_number_register(actor=actor, person_id=first, number=make_number(), source="t")
    assert listed == "pending"
    return people


def _found_all(user: StaffUser, people: dict[int, str]) -> bool:
    return all(
        find_person_by_personal_number(user=user, number=number, purpose="identity", screen="t",
                                       terminal_id="T-1") == pid
        for pid, number in people.items()
    )


def test_rotation_reindexes_every_hash_and_drops_the_old_key(
    own_keyring: Path, operator: str, make_number: Numbers, make_person: People, supervisor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    people = _populate(make_number, make_person, supervisor)
    old_key = json.loads(own_keyring.read_text())["search_keys"]["s1"]
    before = {r.pk: r.blind_index for r in PersonalNumber.objects.all()}
    assert main(["keys", "rotate-search-hash", "--batch-size", "3"]) == 0
    out = capsys.readouterr().out
    assert "active search-hash key s2; re-indexed 7 personal numbers and 1 confirmation-list rows" in out
    assert "retired s1" in out
    ring = load_keyring()
    assert ring.search_active == "s2" and set(ring.search_keys) == {"s2"}
    assert (old_key in own_keyring.read_text()) is False  # the old key is no longer needed, nor kept
    assert search_key_usage() == {"s2": 8}
    assert all(before[r.pk] != r.blind_index for r in PersonalNumber.objects.all())
    assert _found_all(supervisor, people) is True
    # IN-04 still recognises the same number and a number held by someone else after the rotation
    pid, number = next(iter(people.items()))
    assert personal_number_register(actor=actor_of(supervisor), person_id=pid, number=number,
                                    source="t") == "unchanged"
    other = make_person()
    assert personal_number_register(actor=actor_of(supervisor), person_id=other.pk, number=number,
                                    source="t") == "pending"
    phases = [e.detail["phase"] for e in AuditEntry.objects.filter(action="keys.rotate_search_hash")
              .order_by("seq")]
    assert phases == ["start", "complete"]
    assert main(["keys", "status"]) == 0
    assert "search-hash key s2 (active): 9 rows" in capsys.readouterr().out


def test_an_interrupted_rotation_keeps_lookups_working_and_resumes(
    own_keyring: Path, operator: str, make_number: Numbers, make_person: People, supervisor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    people = _populate(make_number, make_person, supervisor)

    def killed(table: str, done: int) -> None:
        raise KeyboardInterrupt  # the process dies after its first committed batch

    with pytest.raises(KeyboardInterrupt):
        search_hash_rotate(actor=Actor.system("t"), batch_size=3, progress=killed)
    usage = search_key_usage()
    assert usage == {"s1": 5, "s2": 3}  # half done: three rows re-indexed, five not yet
    assert set(load_keyring().search_keys) == {"s1", "s2"}
    assert _found_all(supervisor, people) is True  # lookups under both keys meanwhile
    newcomer, number = make_person(), make_number()
    assert personal_number_register(actor=actor_of(supervisor), person_id=newcomer.pk, number=number,
                                    source="t") == "stored"
    stale_pid = PersonalNumber.objects.filter(index_key_id="s1", is_current=True).values_list(
        "person_id", flat=True).first()
    assert stale_pid is not None
    assert personal_number_register(actor=actor_of(supervisor), person_id=make_person().pk,
                                    number=people[stale_pid], source="t") == "pending"  # duplicate seen
    assert main(["keys", "status"]) == 0
    assert "rotation is unfinished" in capsys.readouterr().out
    assert main(["keys", "rotate-search-hash"]) == 0  # the same command again
    out = capsys.readouterr().out
    assert "finished an interrupted rotation: active search-hash key s2" in out  # no third key
    assert set(load_keyring().search_keys) == {"s2"}
    assert set(search_key_usage()) == {"s2"}
    people[newcomer.pk] = number
    assert _found_all(supervisor, people) is True


def test_killed_after_reindexing_only_the_retirement_is_left(
    own_keyring: Path, make_number: Numbers, make_person: People, supervisor: StaffUser,
) -> None:
    people = _populate(make_number, make_person, supervisor, n=3)
    add_search_key(own_keyring)  # the new key written, then every row re-indexed, then killed
    from kouki.privacy.search_rotation import _reindex

    _reindex(PersonalNumber, 10, None)
    _reindex(PersonalNumberPending, 10, None)
    result = search_hash_rotate(actor=Actor.system("t"))
    assert result.resumed is True and result.previous_keys == ("s1",) and result.personal_numbers == 0
    assert set(load_keyring().search_keys) == {"s2"}
    assert _found_all(supervisor, people) is True


def test_a_keyring_from_before_keeps_its_tokens_and_rotates_its_search_hash(
    tmp_path: Path, settings: object, make_number: Numbers, make_person: People, supervisor: StaffUser,
) -> None:
    path = tmp_path / "legacy.json"
    legacy_key = new_key_b64()
    path.write_text(json.dumps({"active": "k1", "keys": {"k1": new_key_b64()}, "blind_index_key": legacy_key,
                                "audit_active": "a1", "audit_keys": {"a1": new_key_b64()}}))
    path.chmod(0o600)
    settings.KOUKI_KEYRING = str(path)  # type: ignore[attr-defined]
    people = _populate(make_number, make_person, supervisor, n=3)
    number = next(iter(people.values()))
    token_before = reference_token(number)
    assert load_keyring().token_key == base64.b64decode(legacy_key)
    search_hash_rotate(actor=Actor.system("t"))
    data = json.loads(path.read_text())
    assert "blind_index_key" not in data and set(data["search_keys"]) == {"s2"}
    assert (reference_token(number) == token_before) is True  # the sealed reference log stays linkable
    assert _found_all(supervisor, people) is True
