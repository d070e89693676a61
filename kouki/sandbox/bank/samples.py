"""Sample 口座振替 files for `kouki demo`: the request file of kouki.banking.samples (synthetic lines, no
database, the built-in sandbox bank settings) and the simulated bank's result for it."""

from __future__ import annotations

from pathlib import Path

from kouki.banking.config import bank_settings
from kouki.banking.samples import SAMPLE_DATE, sample_lines
from kouki.interfaces.zengin.debit import dump_debit_file
from kouki.sandbox.bank.simulator import simulate


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
