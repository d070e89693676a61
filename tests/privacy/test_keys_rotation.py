"""Keyring and key rotation (design: key outside the database; docs/operations/keys.md)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.cli import main
from kouki.privacy.context import Actor
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.keys import KeyringError, create_keyring, load_keyring
from kouki.privacy.models import AuditEntry, PersonalNumber, PersonalNumberPending
from kouki.privacy.rotation import KeyInUse, keys_retire, keys_rotate
from kouki.privacy.selectors import key_usage, pending_list
from kouki.privacy.services import personal_number_pending_confirm, personal_number_register
from kouki.privacy.vault import DecryptionFailed, decrypt_number, encrypt_number

from .helpers import actor_of

Numbers = Callable[[], str]
People = Callable[[], Person]


def test_init_creates_a_private_keyring_and_refuses_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sub" / "keyring.json"
    assert main(["keys", "init", "--path", str(path)]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["active"] == "k1" and set(data["keys"]) == {"k1"}
    # search-hash keys (rotatable, issue 14 §2) apart from the reference-token key
    assert data["search_active"] == "s1" and set(data["search_keys"]) == {"s1"}
    assert data["token_key"] != data["search_keys"]["s1"]
    before = path.read_bytes()
    assert main(["keys", "init", "--path", str(path)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert path.read_bytes() == before
    with pytest.raises(KeyringError):
        create_keyring(path)


def test_key_material_is_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keyring.json"
    main(["keys", "init", "--path", str(path)])
    key = json.loads(path.read_text())["keys"]["k1"]
    assert (key in capsys.readouterr().out) is False


def test_bad_keyring_files_give_clear_errors(tmp_path: Path, settings: object) -> None:
    path = tmp_path / "k.json"
    settings.KOUKI_KEYRING = str(path)  # type: ignore[attr-defined]
    with pytest.raises(KeyringError, match="does not exist"):
        load_keyring()
    path.write_text("{not json")
    with pytest.raises(KeyringError, match="not valid JSON"):
        load_keyring()
    path.write_text(json.dumps({"active": "k2", "keys": {"k1": "AAAA"}, "blind_index_key": "AAAA"}))
    with pytest.raises(KeyringError, match="active"):
        load_keyring()


@pytest.mark.django_db
def test_ciphertext_is_bound_to_the_person(make_number: Numbers) -> None:
    number = make_number()
    blob, key_id = encrypt_number(number, 1)
    assert (decrypt_number(blob, key_id, 1) == number) is True
    with pytest.raises(DecryptionFailed):
        decrypt_number(blob, key_id, 2)
    with pytest.raises(KeyringError):
        decrypt_number(blob, "k99", 1)


def _populate(make_number: Numbers, make_person: People, supervisor: StaffUser) -> dict[int, str]:
    """Current numbers, one replaced (history), one open different-number arrival, one blank arrival."""
    actor = Actor.system("import.resident_register")
    expected: dict[int, str] = {}
    people = [make_person() for _ in range(7)]
    for person in people:
        expected[person.pk] = make_number()
        personal_number_register(actor=actor, person_id=person.pk, number=expected[person.pk], source="住基")
    changed = make_number()
    personal_number_register(actor=actor, person_id=people[0].pk, number=changed, source="住基")
    personal_number_pending_confirm(
        actor=actor_of(supervisor), pending_id=pending_list().get().pk, note="変更"
    )
    expected[people[0].pk] = changed
    personal_number_register(actor=actor, person_id=people[1].pk, number=make_number(), source="住基")
    personal_number_register(actor=actor, person_id=people[2].pk, number="", source="住基")
    return expected


@pytest.mark.django_db
def test_rotate_reencrypts_every_row_and_audits_counts(
    own_keyring: Path, make_number: Numbers, make_person: People, supervisor: StaffUser
) -> None:
    expected = _populate(make_number, make_person, supervisor)
    before = {row.pk: bytes(row.ciphertext) for row in PersonalNumber.objects.all()}
    assert key_usage() == {"k1": 9}  # 8 numbers (one is history) + 1 listed arrival with a number
    result = keys_rotate(actor=Actor.system("keys.rotate"), batch_size=3)
    assert (result.previous_key, result.active_key, result.personal_numbers, result.pending) == (
        "k1",
        "k2",
        8,
        1,
    )
    assert load_keyring().active == "k2" and set(load_keyring().keys) == {"k1", "k2"}
    assert key_usage() == {"k2": 9}
    assert all(bytes(row.ciphertext) != before[row.pk] for row in PersonalNumber.objects.all())
    assert (
        PersonalNumberPending.objects.filter(ciphertext__isnull=True, key_id="").count() == 2
    )  # blank, confirmed
    entry = AuditEntry.objects.get(action="keys.rotate")
    assert entry.detail == {"previous_key": "k1", "active_key": "k2", "personal_numbers": 8, "pending": 1,
                            "staff_secrets": 0}
    current = {row.person_id: row for row in PersonalNumber.objects.filter(is_current=True)}
    same = all(
        decrypt_number(row.ciphertext, row.key_id, pid) == expected[pid] for pid, row in current.items()
    )
    assert same is True


@pytest.mark.django_db
def test_retire_refuses_while_a_row_uses_the_key(
    own_keyring: Path,
    operator: str,  # KOUKI_BATCH_USER for --as; enrolled after own_keyring, so its TOTP is sealed with it
    make_number: Numbers,
    make_person: People,
    supervisor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _populate(make_number, make_person, supervisor)
    with pytest.raises(KeyInUse, match="active key"):
        keys_retire(actor=Actor.system("keys.retire"), key_id="k1")
    # a rotation cut short: the new key is active but the rows are still under k1
    from kouki.privacy.keys import add_active_key

    add_active_key(own_keyring)
    with pytest.raises(KeyInUse, match="still encrypts 10 rows"):  # numbers and staff TOTP secrets
        keys_retire(actor=Actor.system("keys.retire"), key_id="k1")
    assert main(["keys", "retire", "k1"]) == 2
    assert main(["keys", "reencrypt", "--batch-size", "2"]) == 0
    assert main(["keys", "retire", "k1"]) == 0
    assert set(load_keyring().keys) == {"k2"}
    assert AuditEntry.objects.filter(action="keys.retire", target_id="k1").count() == 1
    assert main(["keys", "status"]) == 0
    out = capsys.readouterr().out
    assert "k2 (active): 10 rows" in out


@pytest.mark.django_db
def test_cli_rotate_then_reveal_still_works(
    own_keyring: Path,
    operator: str,  # KOUKI_BATCH_USER; after own_keyring, so its enrolment row is sealed under this keyring
    make_number: Numbers,
    make_person: People,
    supervisor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _populate(make_number, make_person, supervisor)
    assert main(["keys", "rotate", "--batch-size", "4"]) == 0
    out = capsys.readouterr().out
    assert "active key k2 (was k1); re-encrypted 8 personal numbers and 1 confirmation-list rows" in out
    assert main(["keys", "rotate"]) == 0
    assert load_keyring().active == "k3"
    pid = next(iter(expected))
    shown = reveal_personal_number(
        user=supervisor, person_id=pid, purpose="identity", screen="宛名照会", terminal_id="T-0101"
    )
    assert (shown == expected[pid]) is True
    assert main(["audit", "verify"]) == 0


@pytest.mark.django_db
def test_an_interrupted_rotation_is_finished_not_repeated(
    own_keyring: Path, operator: str, make_number: Numbers, make_person: People, supervisor: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 16 §3: killed mid re-encryption, `rotate` again (or `reencrypt`) finishes the rotation the
    keyring records as begun: no third key, one `keys.rotate` row, the record gone."""
    expected = _populate(make_number, make_person, supervisor)

    def killed(table: str, done: int) -> None:
        raise KeyboardInterrupt  # the process dies after its first committed batch

    with pytest.raises(KeyboardInterrupt):
        keys_rotate(actor=Actor.system("keys.rotate"), batch_size=3, progress=killed)
    assert json.loads(own_keyring.read_text())["rotating"] == {"keys": {"from": "k1", "to": "k2"}}
    assert key_usage()["k2"] == 3 and key_usage()["k1"] > 0  # half done
    assert main(["keys", "status"]) == 0
    assert "the rotation to k2 is unfinished" in capsys.readouterr().out
    assert main(["keys", "rotate", "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "finished an interrupted rotation (no new key made): active key k2 (was k1)" in out
    ring = load_keyring()
    assert (ring.active, set(ring.keys), ring.rotating) == ("k2", {"k1", "k2"}, {})
    assert set(key_usage()) == {"k2"}
    entry = AuditEntry.objects.get(action="keys.rotate")
    # the rotation's counts, not this run's
    assert (entry.detail["personal_numbers"], entry.detail["pending"]) == (8, 1)
    current = {row.person_id: row for row in PersonalNumber.objects.filter(is_current=True)}
    assert all(decrypt_number(r.ciphertext, r.key_id, pid) == expected[pid] for pid, r in current.items())
    # the old recovery command finishes a recorded rotation the same way
    with pytest.raises(KeyboardInterrupt):
        keys_rotate(actor=Actor.system("keys.rotate"), batch_size=3, progress=killed)
    assert main(["keys", "reencrypt"]) == 0
    assert "finished the interrupted rotation from k2" in capsys.readouterr().out
    assert load_keyring().rotating == {} and set(key_usage()) == {"k3"}
    assert list(AuditEntry.objects.filter(action="keys.rotate").values_list("target_id", flat=True)
                .order_by("seq")) == ["k2", "k3"]


@pytest.mark.django_db
def test_retire_killed_after_its_audit_row_is_finished_by_running_it_again(
    own_keyring: Path, operator: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys_rotate(actor=Actor.system("keys.rotate"))

    def killed(path: Path, key_id: str) -> None:
        raise KeyboardInterrupt  # the audit row has committed, the file still holds the key

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr("kouki.privacy.rotation.remove_key", killed)
        keys_retire(actor=Actor.system("keys.retire"), key_id="k1")
    assert set(load_keyring().keys) == {"k1", "k2"}
    assert main(["keys", "retire", "k1"]) == 0
    assert set(load_keyring().keys) == {"k2"}
    assert AuditEntry.objects.filter(action="keys.retire", target_id="k1").count() == 1
    # killed right after the file lost the key: the retirement is already recorded (it was not, before)
    from kouki.privacy.keys import remove_key

    def removed_then_killed(path: Path, key_id: str) -> None:
        remove_key(path, key_id)
        raise KeyboardInterrupt

    keys_rotate(actor=Actor.system("keys.rotate"))
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr("kouki.privacy.rotation.remove_key", removed_then_killed)
        keys_retire(actor=Actor.system("keys.retire"), key_id="k2")
    assert set(load_keyring().keys) == {"k3"}
    assert AuditEntry.objects.filter(action="keys.retire", target_id="k2").count() == 1


@pytest.mark.django_db
def test_new_numbers_after_rotation_use_the_new_key(
    own_keyring: Path, make_number: Numbers, make_person: People
) -> None:
    keys_rotate(actor=Actor.system("keys.rotate"))
    person = make_person()
    personal_number_register(
        actor=Actor.system("import"), person_id=person.pk, number=make_number(), source="住基"
    )
    assert PersonalNumber.objects.get(person=person).key_id == "k2"


@pytest.mark.django_db
def test_a_keyring_readable_by_others_is_refused(
    own_keyring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 §2: a keyring others can read is not used at all (it used to be loaded with a warning)."""
    from kouki.privacy.keys import KeyringError, load_keyring

    own_keyring.chmod(0o644)
    assert main(["keys", "status"]) == 2
    assert "mode 0644; it must be 0600" in capsys.readouterr().err
    with pytest.raises(KeyringError, match="refusing to use it"):
        load_keyring()
    own_keyring.chmod(0o600)
    assert main(["keys", "status"]) == 0
