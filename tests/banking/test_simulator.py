"""The simulated bank (kouki/sandbox/bank): files only, deterministic for a seed, most debits succeed,
and the result differs from the request only in the result codes and the trailer."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from kouki.banking.config import bank_settings
from kouki.interfaces.zengin.debit import DebitLine, dump_debit_file, parse_debit_file
from kouki.sandbox.bank.simulator import RequestRejected, run_bank, simulate

LINES = [
    DebitLine("0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", 1, f"{n:07d}", "ﾔﾏﾀﾞ ﾀﾛｳ", 1_000 + n, 0, f"{n:012d}20260731")
    for n in range(1, 2001)
]


@pytest.mark.parametrize("bank", ["sandbox", "sandbox-blank"])
def test_result_is_deterministic_and_keeps_the_request(bank: str, tmp_path: Path) -> None:
    request = dump_debit_file(bank_settings(bank), date(2026, 7, 31), LINES)
    first, again = simulate(request, seed=3), simulate(request, seed=3)
    assert first == again and first != simulate(request, seed=4)
    parsed = parse_debit_file(first, "kekka", results=True)
    assert parsed.errors == []
    codes = Counter(r.result_code for r in parsed.records)
    assert codes[0] > 0.9 * len(LINES) and set(codes) <= {0, 1, 2, 3, 4, 9} and codes[1] > 0
    stride = 122 if bank == "sandbox-blank" else 120
    for i in range(len(LINES) + 1):  # header and data: only the result code may differ
        a, b = request[i * stride : (i + 1) * stride], first[i * stride : (i + 1) * stride]
        assert a[:111] + a[112:] == b[:111] + b[112:] if i else a == b
    path = tmp_path / "kozafuri.dat"
    path.write_bytes(request)
    assert run_bank(path, tmp_path / "bank", seed=3).read_bytes() == first


def test_an_unreadable_request_is_refused() -> None:
    with pytest.raises(RequestRejected, match="120 バイトの倍数ではありません"):
        simulate(b"1" * 119, seed=1)
