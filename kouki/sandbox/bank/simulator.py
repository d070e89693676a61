"""The simulated bank: takes a 全銀 口座振替 request (91) and returns the 振替結果 file, deterministically.

Each data record's outcome depends only on the seed and the record's customer number (and account), so
the same request and seed always give the same bytes: most debits succeed; some fail for insufficient
funds (1), no account (2, e.g. closed), stopped by the depositor (3), no authorisation (4) or other (9).
The result keeps every byte of the request except the 振替結果コード and the trailer's totals, and the
same record separator (CR LF or none). No database: it speaks only files.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

from kouki.interfaces.zengin.debit import DATA_RECORD, TRAILER_RECORD, parse_debit_file
from kouki.interfaces.zengin.layout import RECORD_LENGTH, dump_record

# cumulative thresholds of a uniform draw → result code
DEFAULT_OUTCOMES: tuple[tuple[float, int], ...] = (
    (0.030, 1),  # 資金不足
    (0.040, 2),  # 取引なし (closed)
    (0.050, 3),  # 預金者の都合による振替停止
    (0.054, 4),  # 振替依頼書なし
    (0.057, 9),  # その他
)
RESULT_OFFSET = dict((f.name, pos) for f, pos in DATA_RECORD.offsets())["result_code"]


class RequestRejected(ValueError):
    """The bank refuses a request file it cannot read (the message lists the first problems)."""


def outcome(seed: int, customer_no: str, outcomes: tuple[tuple[float, int], ...] = DEFAULT_OUTCOMES) -> int:
    draw = random.Random(f"{seed}:{customer_no}").random()
    for threshold, code in outcomes:
        if draw < threshold:
            return code
    return 0


def simulate(
    request: bytes,
    *,
    seed: int,
    forced: Mapping[str, int] | None = None,
    outcomes: tuple[tuple[float, int], ...] = DEFAULT_OUTCOMES,
) -> bytes:
    """The result file for a request; `forced` fixes the code of given customer numbers (tests)."""
    parsed = parse_debit_file(request, "request", results=False)
    if parsed.errors:
        raise RequestRejected("; ".join(str(e) for e in parsed.errors[:5]))
    stride = RECORD_LENGTH + 2 if request[RECORD_LENGTH : RECORD_LENGTH + 2] == b"\r\n" else RECORD_LENGTH
    end = request[RECORD_LENGTH:stride]
    records = [bytearray(request[i : i + RECORD_LENGTH]) for i in range(0, len(request), stride)]
    by_line = {r.line: r for r in parsed.records}
    totals = {
        "total_count": 0,
        "total_amount": 0,
        "done_count": 0,
        "done_amount": 0,
        "failed_count": 0,
        "failed_amount": 0,
    }
    for number, raw in enumerate(records, start=1):
        rec = by_line.get(number)
        if rec is None:
            continue
        code = (forced or {}).get(rec.customer_no, outcome(seed, rec.customer_no, outcomes))
        raw[RESULT_OFFSET] = ord(str(code))
        totals["total_count"] += 1
        totals["total_amount"] += rec.amount
        which = "done" if code == 0 else "failed"
        totals[f"{which}_count"] += 1
        totals[f"{which}_amount"] += rec.amount
    for i, raw in enumerate(records):
        if raw[:1] == b"8":
            records[i] = bytearray(dump_record(TRAILER_RECORD, totals))
    return b"".join(bytes(r) + end for r in records)


def run_bank(request_path: Path, out_dir: Path, *, seed: int) -> Path:
    """Read a request file, write <name>.result next to the other results in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{request_path.stem}-kekka{request_path.suffix}"
    target.write_bytes(simulate(request_path.read_bytes(), seed=seed))
    return target
