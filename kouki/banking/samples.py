"""Sample 口座振替 files for `kouki demo`: a request file and the simulated bank's result, built from
synthetic lines only (no database), with the built-in sandbox bank settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kouki.banking import bankcodes
from kouki.banking.config import bank_settings
from kouki.banking.debits import customer_number
from kouki.interfaces.zengin.debit import DebitLine, dump_debit_file
from kouki.sandbox.bank.simulator import simulate

SAMPLE_DATE = date(2026, 7, 31)
_PEOPLE = (  # (bank, branch, deposit type, account number, holder, amount, 新規コード)
    ("0001", "001", 1, "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 10_000, 1),
    ("0005", "001", 1, "0004321", "ｽｽﾞｷ ﾊﾅｺ", 6_700, 0),
    ("0017", "104", 1, "0765432", "ﾀﾅｶ ｲﾁﾛｳ", 12_300, 0),
    ("9900", "018", 1, "1111111", "ｻﾄｳ ｶｽﾞｺ", 4_500, 2),
)


def sample_lines() -> list[DebitLine]:
    out = []
    for n, (bank, branch, kind, number, holder, amount, new) in enumerate(_PEOPLE, start=1):
        b, br = bankcodes.bank(bank), bankcodes.branch(bank, branch)
        out.append(
            DebitLine(
                bank,
                b.kana if b else "",
                branch,
                br.kana if br else "",
                kind,
                number,
                holder,
                amount,
                new,
                customer_number(n, SAMPLE_DATE),
            )
        )
    return out


def demo_samples(out_dir: Path) -> list[Path]:
    """Write kozafuri-sample-request.dat and kozafuri-sample-result.dat (seed 1, one forced 資金不足)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = sample_lines()
    request = dump_debit_file(bank_settings("sandbox"), SAMPLE_DATE, lines)
    result = simulate(request, seed=1, forced={lines[1].customer_no: 1})
    paths = [out_dir / "kozafuri-sample-request.dat", out_dir / "kozafuri-sample-result.dat"]
    for path, data in zip(paths, (request, result), strict=True):
        path.write_bytes(data)
    return paths
