"""The simulated bank: takes a 全銀 口座振替 request (91) and returns the 振替結果 file, deterministically;
likewise a 総合振込 of refunds (21) and its 振込結果 (`simulate_transfer`: most transfers are made, a few
come back with a code 1–9 of the simulated bank's own; issue 11 §3).

Each data record's outcome depends only on the seed and the record's customer number (and account), so
the same request and seed always give the same bytes: most debits succeed; some fail for insufficient
funds (1), no account (2, e.g. closed), stopped by the depositor (3), no authorisation (4) or other (9).
The result keeps every byte of the request except the 振替結果コード and the trailer's totals, and the
same record separator (CR LF or none). No database: it speaks only files.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from kouki.interfaces.zengin.debit import DATA_RECORD, TRAILER_RECORD, parse_debit_file
from kouki.interfaces.zengin.layout import RECORD_LENGTH, dump_record
from kouki.interfaces.zengin.transfer import DATA_RECORD as TRANSFER_DATA
from kouki.interfaces.zengin.transfer import TRAILER_RECORD as TRANSFER_TRAILER
from kouki.interfaces.zengin.transfer import read_transfer_file

# cumulative thresholds of a uniform draw → result code
DEFAULT_OUTCOMES: tuple[tuple[float, int], ...] = (
    (0.030, 1),  # 資金不足
    (0.040, 2),  # 取引なし (closed)
    (0.050, 3),  # 預金者の都合による振替停止
    (0.054, 4),  # 振替依頼書なし
    (0.057, 9),  # その他
)
# transfers the simulated bank cannot make (振込不能); the codes are this simulation's own
TRANSFER_OUTCOMES: tuple[tuple[float, int], ...] = ((0.02, 1), (0.03, 2), (0.035, 9))
RESULT_OFFSET = dict((f.name, pos) for f, pos in DATA_RECORD.offsets())["result_code"]
TRANSFER_RESULT_OFFSET = dict((f.name, pos) for f, pos in TRANSFER_DATA.offsets())["result_code"]


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


def simulate_transfer(
    request: bytes,
    *,
    seed: int,
    forced: Mapping[int, int] | None = None,
    outcomes: tuple[tuple[float, int], ...] = TRANSFER_OUTCOMES,
) -> bytes:
    """The 振込結果 of a 総合振込 request: each record's code from the seed and its 顧客コード1 (the
    refund id), or from `forced` (refund id → code, tests); the rest of each record as sent."""
    parsed = read_transfer_file(request, "request", results=False)
    if parsed.errors:
        raise RequestRejected("; ".join(str(e) for e in parsed.errors[:5]))
    stride = RECORD_LENGTH + 2 if request[RECORD_LENGTH : RECORD_LENGTH + 2] == b"\r\n" else RECORD_LENGTH
    end = request[RECORD_LENGTH:stride]
    records = [bytearray(request[i : i + RECORD_LENGTH]) for i in range(0, len(request), stride)]
    by_line = {ln.line: ln for ln in parsed.lines}
    coded = []
    for number, raw in enumerate(records, start=1):
        ln = by_line.get(number)
        if ln is None:
            continue
        code = (forced or {}).get(ln.customer_code1, outcome(seed, f"t{ln.customer_code1}", outcomes))
        raw[TRANSFER_RESULT_OFFSET] = ord(str(code))
        coded.append(replace(ln, result_code=code))
    done = [ln for ln in coded if ln.result_code == 0]
    failed = [ln for ln in coded if ln.result_code != 0]
    totals = {
        "total_count": len(coded), "total_amount": sum(ln.amount for ln in coded),
        "done_count": len(done), "done_amount": sum(ln.amount for ln in done),
        "failed_count": len(failed), "failed_amount": sum(ln.amount for ln in failed),
    }  # fmt: skip
    for i, raw in enumerate(records):
        if raw[:1] == b"8":
            records[i] = bytearray(dump_record(TRANSFER_TRAILER, totals))
    return b"".join(bytes(r) + end for r in records)


def run_bank(request_path: Path, out_dir: Path, *, seed: int) -> Path:
    """Read a request file (口座振替 91 or 総合振込 21, by its 種別コード), write its result
    (<name>-kekka) in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{request_path.stem}-kekka{request_path.suffix}"
    data = request_path.read_bytes()
    transfer = data[1:3] == b"21"
    target.write_bytes(simulate_transfer(data, seed=seed) if transfer else simulate(data, seed=seed))
    return target
