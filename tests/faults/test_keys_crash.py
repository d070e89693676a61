"""Key rotation survives a crash, exactly once (issue 16 §3): `kouki keys rotate`, `rotate-search-hash` and
`rotate-audit`, each killed with SIGKILL where a crash hurts — while the keyring file is written, after
the keyring write before any row, between two committed batches of re-encryption, before and after the
audit row's commit — then run again (the same command: it finds the keyring's record of the rotation and
finishes it); the keyring and the database must then equal an uninterrupted run's.

Key material and ciphertexts are random, so the comparison is by structure, not bytes: the keyring by its
key ids (which are the seed's keys, which are new, which is active, which rotation it records as begun),
the rows holding ciphertext by the key id each is under and what it decrypts to with this database's own
keyring (a keyed digest, never a number), a search hash by its key id and whether it is the number's hash
under that key. Every other column of every table is compared as in the kit (tests/faults/crashkit.py).
Right after each kill: the keyring is whole (mode 0600) and every stored number and staff secret still
opens, to the value it had before the run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from faults.crashkit import STARTUP_TABLES, Batch, World, build_world, case_ids, cases
from faults.harness import _kept, _value, canonical, chain_is_linked, differences, run
from kouki.privacy.keys import Keyring, parse_keyring
from kouki.privacy.vault import blind_index, decrypt_number

pytestmark = pytest.mark.slow

KEYRING_WRITE = ("mid-write:.json", "after-rename:.json")  # the keyring half written / written, no row yet
BETWEEN_BATCHES = "mid-write:PersonalNumber"  # the first batch of rows committed, the others not
BATCHES = (
    Batch("rotate", ("keys", "rotate", "--batch-size", "10"),
          (*KEYRING_WRITE, BETWEEN_BATCHES, "before-commit", "after-commit"), writes_files=False,
          own_keyring=True),
    Batch("rotate-search-hash", ("keys", "rotate-search-hash", "--batch-size", "10"),
          ("after-rename:.json", BETWEEN_BATCHES, "before-commit", "after-commit"), writes_files=False,
          own_keyring=True),
    Batch("rotate-audit", ("keys", "rotate-audit"), (*KEYRING_WRITE, "before-commit", "after-commit"),
          writes_files=False, own_keyring=True),
)
# points at which the run has committed nothing yet (rotate-audit's one transaction is its audit row)
NOTHING_COMMITTED = {"rotate": KEYRING_WRITE, "rotate-search-hash": ("after-rename:.json",),
                     "rotate-audit": (*KEYRING_WRITE, "before-commit")}
SECRET = secrets.token_bytes(32)  # keys the digests of numbers and secrets: comparable, never reversible
NUMBERS = ("privacy_personalnumber", "privacy_personalnumberpending")
SEALED_SECRETS = "accounts_staffuser"


def _digest(value: str) -> str:
    return hmac.new(SECRET, value.encode(), hashlib.sha256).hexdigest()[:16]


def _number_row(row: dict[str, Any], ring: Keyring, key_ids: bool) -> dict[str, Any]:
    """A ciphertext row: its key ids, what it decrypts to (digest) and whether its search hash is that
    number's under the key it names, instead of the random bytes."""
    out = dict(row)
    blob, number = out.pop("ciphertext"), ""
    if out["key_id"]:
        number = decrypt_number(bytes(blob), out["key_id"], out["person_id"], ring)
        out["ciphertext"] = _digest(number)
    if out["blind_index"]:
        out["blind_index"] = out["blind_index"] == blind_index(number, ring, out["index_key_id"])
    if not key_ids:
        out.pop("key_id"), out.pop("index_key_id")
    return out


def _staff_row(row: dict[str, Any], ring: Keyring, key_ids: bool) -> dict[str, Any]:
    """A staff account: its sealed second-factor secret as (key id, digest of the secret it opens to)."""
    out = dict(row)
    sealed = str(out["totp_secret"])
    if sealed.startswith("sealed:"):
        key_id, text = sealed.removeprefix("sealed:").split(":", 1)
        blob = base64.b64decode(text)
        aad = f"kouki:staff-second-factor:{out['username']}".encode()
        plain = AESGCM(ring.key(key_id)).decrypt(blob[:12], blob[12:], aad).decode()
        out["totp_secret"] = (key_id if key_ids else "", _digest(plain))
    return out


def keyed_dump(world: World, db: str, keyring: Path, key_ids: bool = True) -> dict[str, list[Any]]:
    """The kit's canonical dump, with the tables holding ciphertext compared by key id and by what they
    open to with `keyring` (without the key ids when `key_ids` is False: "every value still there")."""
    dbs, ring = world.dbs, parse_keyring(json.loads(keyring.read_text()))
    dump: dict[str, list[Any]] = canonical(dbs, db, world.out(db))
    tables = dbs.tables(db)
    for table in (*NUMBERS, SEALED_SECRETS):
        columns = tables[table]
        sql = "SELECT " + ", ".join(f'"{c}"' for c in columns) + f' FROM "{table}"'  # noqa: S608 (own names)
        opened = _staff_row if table == SEALED_SECRETS else _number_row
        rows = []
        for values in dbs.rows(db, sql):
            row = opened(dict(zip(columns, values, strict=True)), ring, key_ids)
            rows.append(tuple(_value(v, str(world.out(db)), dbs.postgres) for c, v in sorted(row.items())
                              if _kept(c, dbs.postgres)))
        dump[table] = sorted(rows, key=repr)
    return dump


def keyring_shape(path: Path, seed: Path) -> dict[str, Any]:
    """The keyring by structure: for each kind of key, which ids it holds (each the seed's key or a new
    one), which is active; the token key the seed's; the rotations it records as begun."""
    data, before = json.loads(path.read_text()), json.loads(seed.read_text())
    parse_keyring(data)  # whole and valid

    def ids(section: str) -> dict[str, str]:
        return {k: "seed" if before.get(section, {}).get(k) == v else "new" for k, v in data[section].items()}

    return {"keys": ids("keys"), "active": data["active"], "search_keys": ids("search_keys"),
            "search_active": data["search_active"], "audit_keys": ids("audit_keys"),
            "audit_active": data["audit_active"], "token_key": data["token_key"] == before["token_key"],
            "rotating": data.get("rotating", {}), "mode": stat.S_IMODE(path.stat().st_mode)}


def _without(dump: dict[str, list[Any]], tables: tuple[str, ...]) -> dict[str, list[Any]]:
    return {t: rows for t, rows in dump.items() if t not in tables}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    yield from build_world(tmp_path_factory, keyring_file, "keys", BATCHES,
                           [Path(__file__).with_name("seed_keys.py")])


def _audit_verifies(world: World, db: str, keyring: Path) -> None:
    proc = run(world.dbs, db, keyring, ["audit", "verify"], operator="ops.kimura")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_every_uninterrupted_run_does_something(world: World) -> None:
    """Each rotation makes a new key and its rows (or audit rows) move under it; the seed has rows of
    every kind the rotations touch (numbers, confirmation-list rows with and without a number, sealed
    staff secrets, several batches' worth)."""
    seed_ring = world.keyring("seed")
    seed = keyed_dump(world, "seed", seed_ring)
    assert len(seed["privacy_personalnumber"]) > 20 and len(seed["privacy_personalnumberpending"]) >= 3
    expected_new = {"rotate": ("keys", "k2"), "rotate-search-hash": ("search_keys", "s2"),
                    "rotate-audit": ("audit_keys", "a2")}
    for b in BATCHES:
        ref = f"ref_{b.name}"
        ring = world.keyring(ref, b)
        shape = keyring_shape(ring, seed_ring)
        section, new = expected_new[b.name]
        assert shape[section][new] == "new" and shape["rotating"] == {} and shape["mode"] == 0o600, b.name
        assert keyed_dump(world, ref, ring) != seed, b.name
        assert not differences(_without(keyed_dump(world, ref, ring, key_ids=False), ("privacy_auditentry",)),
                               _without(keyed_dump(world, "seed", seed_ring, key_ids=False),
                                        ("privacy_auditentry",))), b.name  # every value is still there
        _audit_verifies(world, ref, ring)


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    db = f"c{cases(BATCHES).index((batch, point))}"
    world.dbs.create(db, "seed")
    ref, seed_ring = f"ref_{batch.name}", world.keyring("seed")
    ring = world.keyring(db, batch)
    assert world.batch(db, batch, world.out(db), fault=point) == -9, f"{point}: the hook did not fire"

    # killed: the keyring whole, every number and secret still opens to what it was
    killed_shape = keyring_shape(ring, seed_ring)
    assert killed_shape["mode"] == 0o600
    assert not [p.name for p in ring.parent.iterdir() if not p.name.startswith(".") and p.suffix != ".json"]
    ignored = (*STARTUP_TABLES, "privacy_auditentry")
    assert not differences(_without(keyed_dump(world, db, ring, key_ids=False), ignored),
                           _without(keyed_dump(world, "seed", seed_ring, key_ids=False), ignored))
    if point in NOTHING_COMMITTED[batch.name]:
        assert not differences(_without(keyed_dump(world, db, ring), STARTUP_TABLES),
                               _without(keyed_dump(world, "seed", seed_ring), STARTUP_TABLES))

    # the same command again finishes that rotation: no second new key, the same rows
    assert world.batch(db, batch, world.out(db)) == 0
    assert keyring_shape(ring, seed_ring) == keyring_shape(world.keyring(ref, batch), seed_ring)
    assert not differences(keyed_dump(world, db, ring), keyed_dump(world, ref, world.keyring(ref, batch)))
    chain_is_linked(world.dbs, db)
    _audit_verifies(world, db, ring)
