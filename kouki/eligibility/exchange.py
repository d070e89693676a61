"""One day of the exchange with a union counterpart that takes files and answers with files
(the simulated union in kouki.sandbox.union, for the demo and the tests; in production the files travel
over the dedicated line instead and `kouki batch daily` is run on its own).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from kouki.eligibility.batch import AGE_REPORT, DailyResult, batch_daily, batch_initial, import_inbox
from kouki.privacy.context import Actor


class UnionCounterpart(Protocol):
    def receive(self, path: Path) -> int: ...

    def run_day(self, on: date, out_dir: Path) -> list[Path]: ...


def union_day(*, actor: Actor, union: UnionCounterpart, on: date, outbox: Path, inbox: Path,
              initial: bool = False) -> DailyResult:
    """The city's batch for `on` (initial: the go-live full extract), the files handed to the union,
    the union's day run into `inbox`, and its answers imported (result.imported)."""
    result = (batch_initial(actor=actor, on=on, outbox=outbox) if initial
              else batch_daily(actor=actor, on=on, outbox=outbox, inbox=None))
    for sent in result.sent:
        if sent.kind != AGE_REPORT:
            union.receive(sent.path)
    union.run_day(on, inbox)
    result.imported = import_inbox(actor=actor, inbox=inbox)
    return result
