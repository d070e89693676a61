"""A simulated payment agent (収納代行会社): given the codes on slips and a seed, it writes the 速報 and
確報 files of one day of payments at convenience stores. It speaks only files: no database.

What a day holds (all by the seed): every given code paid once; some paid twice (another store, later);
a few payments cancelled at the register (the 確報 carries the payment and its cancellation); a few
payments of codes that belong to no slip (valid check digit, unknown 納付書番号).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path

from kouki.interfaces.stores.codec import dump
from kouki.interfaces.stores.records import ReportHeader, ReportKind, StorePaymentRecord
from kouki.rules import gs1

CHAINS = ("0001", "0002", "0003", "0004", "0005")  # synthetic 本部 codes
AGENT_CODE = "12345"  # synthetic


@dataclass
class StoreDay:
    """The payments of one day and what the agent did on purpose (the tests' ground truth)."""

    paid_on: date
    payments: list[StorePaymentRecord] = field(default_factory=list)  # as in the 速報, file order
    cancellations: list[StorePaymentRecord] = field(default_factory=list)  # in the 確報, after the payments
    paid_twice: list[str] = field(default_factory=list)  # codes
    unknown: list[str] = field(default_factory=list)  # codes that name no slip


class PaymentAgent:
    def __init__(
        self, *, seed: int, biller_code: str = gs1.DEFAULT_BILLER_CODE, agent_code: str = AGENT_CODE
    ):
        self.rng = random.Random(seed)
        self.biller_code = biller_code
        self.agent_code = agent_code

    def _record(self, code: str, paid_on: date, used: set[tuple[object, ...]]) -> StorePaymentRecord:
        while True:
            minute = self.rng.randrange(6 * 60, 24 * 60)
            r = StorePaymentRecord(
                kind=ReportKind.PRELIMINARY, paid_on=paid_on, paid_at=time(minute // 60, minute % 60),
                chain_code=self.rng.choice(CHAINS), store_code=f"{self.rng.randrange(1, 10**6):06d}",
                barcode=code, amount=gs1.parse(code).amount,
            )  # fmt: skip
            if r.key not in used:
                used.add(r.key)
                return r

    def unknown_code(self, known: set[str], due_date: date) -> str:
        """A well-formed code of this biller whose 納付書番号 no slip carries."""
        while True:
            free = gs1.DEFAULT_FREE_FIELD.compose(
                {"fiscal_year": due_date.year, "slip_no": self.rng.randrange(10**11, 10**12), "period": 1}
            )
            code = gs1.PaymentCode(
                self.biller_code, free, 0, due_date, 0, self.rng.randrange(100, 30000)
            ).encode()
            if code not in known:
                return code

    def day(
        self,
        codes: Sequence[str],
        *,
        paid_on: date,
        twice: float = 0.02,
        cancel: float = 0.01,
        unknown: int = 2,
    ) -> StoreDay:
        """One day: each code paid once, a share `twice` paid again, a share `cancel` cancelled, and
        `unknown` payments of codes without a slip."""
        out = StoreDay(paid_on)
        used: set[tuple[object, ...]] = set()
        for code in codes:
            out.payments.append(self._record(code, paid_on, used))
            if self.rng.random() < twice:
                out.paid_twice.append(code)
                out.payments.append(self._record(code, paid_on, used))
        known = set(codes)
        for _ in range(unknown):
            code = self.unknown_code(known, paid_on + timedelta(days=30))
            out.unknown.append(code)
            out.payments.append(self._record(code, paid_on, used))
        self.rng.shuffle(out.payments)
        out.payments.sort(key=lambda r: r.paid_at)
        for r in out.payments:
            if self.rng.random() < cancel:
                out.cancellations.append(replace(r, kind=ReportKind.FINAL, cancelled=True))
        return out

    def pay_again(self, day: StoreDay, code: str) -> StorePaymentRecord:
        """Add one more payment of a code to a day (another store or minute)."""
        record = self._record(code, day.paid_on, {r.key for r in day.payments})
        day.payments.append(record)
        day.paid_twice.append(code)
        return record

    def preliminary(self, day: StoreDay, *, created_on: date | None = None) -> bytes:
        """The 速報 file: the day's payments as the stores took them."""
        header = ReportHeader(
            ReportKind.PRELIMINARY, created_on or day.paid_on, self.agent_code, self.biller_code
        )
        return dump(header, day.payments)

    def final(self, day: StoreDay, *, processed_on: date, transfer_on: date, include: float = 1.0) -> bytes:
        """The 確報 file: the payments (a share `include` of them, the rest "late") with the booking and
        transfer dates, then the cancellations."""
        header = ReportHeader(ReportKind.FINAL, processed_on, self.agent_code, self.biller_code)
        records = [
            replace(r, kind=ReportKind.FINAL, processed_on=processed_on, transfer_on=transfer_on)
            for r in day.payments
            if include >= 1.0 or self.rng.random() < include
        ]
        records += [replace(c, processed_on=processed_on, transfer_on=transfer_on) for c in day.cancellations]
        return dump(header, records)

    def write(
        self, day: StoreDay, out_dir: Path, *, processed_on: date, transfer_on: date
    ) -> tuple[Path, Path]:
        """Both files of a day in out_dir, named like the agent's deliveries."""
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = day.paid_on.strftime("%Y%m%d")
        pre = out_dir / f"CVS_SOKUHO_{self.agent_code}_{stamp}.dat"
        fin = out_dir / f"CVS_KAKUHO_{self.agent_code}_{stamp}.dat"
        pre.write_bytes(self.preliminary(day))
        fin.write_bytes(self.final(day, processed_on=processed_on, transfer_on=transfer_on))
        return pre, fin
