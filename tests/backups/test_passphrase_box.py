"""The sealed-file format of backups and keyring exports: round trip; every cut, reorder or change fails."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.core import passphrase_box as box

PASS = "a passphrase of some length"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(box, "CHUNK", 64)  # several chunks from a few hundred bytes
    monkeypatch.setattr(box, "SCRYPT_LOG_N", 10)


def _seal(data: bytes) -> bytes:
    out = io.BytesIO()
    box.seal_stream(io.BytesIO(data), out, box.derive(PASS, params=(10, 8, 1)))
    return out.getvalue()


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=400))
def test_round_trip(data: bytes) -> None:
    assert box.opened_bytes(_seal(data), PASS) == data


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=400), st.data())
def test_any_cut_fails(data: bytes, draw: st.DataObject) -> None:
    sealed = _seal(data)
    cut = draw.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    with pytest.raises(box.PassphraseBoxError):
        box.opened_bytes(sealed[:cut], PASS)


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=400), st.data())
def test_any_flipped_bit_fails(data: bytes, draw: st.DataObject) -> None:
    sealed = bytearray(_seal(data))
    at = draw.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    sealed[at] ^= 1 << draw.draw(st.integers(min_value=0, max_value=7))
    with pytest.raises(box.PassphraseBoxError):
        box.opened_bytes(bytes(sealed), PASS)


def test_swapped_chunks_and_a_wrong_passphrase_fail() -> None:
    sealed = _seal(bytes(range(200)))
    header, rest = sealed[:35], sealed[35:]
    size = 4 + 64 + 16
    first, second, tail = rest[:size], rest[size : 2 * size], rest[2 * size :]
    with pytest.raises(box.PassphraseBoxError):
        box.opened_bytes(header + second + first + tail, PASS)
    with pytest.raises(box.PassphraseBoxError, match="wrong passphrase"):
        box.opened_bytes(sealed, "another passphrase")
    with pytest.raises(box.PassphraseBoxError, match="data after the last part"):
        box.opened_bytes(sealed + b"x", PASS)
