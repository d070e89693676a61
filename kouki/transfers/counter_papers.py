"""The paper transfers of applications taken at the counter (issue 12 §1, issue 13 §4):

- T02 簡易申告 → 市民税課 (PIA L1351–L1393; item 簡易申告書; 紙; 随時): the month's confirmed 簡易申告 in one
  移転票 (the forms go with it), so that 市民税課 can assess 個人住民税 and the tax data comes back through
  the 所得・課税情報 file (docs/interfaces/tax-income.md, 申告区分).
- T04 高額介護合算療養費 → 介護保険課 (PIA L1431–L1481; 申請書, 資格, 給付; 紙; 随時): one 移転票 per
  application ("for each application", domain-facts-next §1).

Both definitions' method is 紙 (kouki.transfers.catalogue), so the execution is the printed 移転票 PDF
(kouki.transfers.paper: the gate first, then the PDF and its TransferRecord together). Who is on it comes
from the caller (the command reads the applications due, kouki.applications.internal_transfers), and `mark`
marks them sent inside the record's transaction. docs/operations/transfers.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kouki.privacy.context import Actor
from kouki.transfers.catalogue import BENEFITS, ELIGIBILITY
from kouki.transfers.models import TransferRecord
from kouki.transfers.paper import PaperTransfer, transfer_paper


@dataclass(frozen=True)
class CounterPaper:
    code: str
    items: tuple[str, ...]
    per_application: bool  # one 移転票 per application (else one for the batch)


SIMPLE_DECLARATION = CounterPaper("T02", ("簡易申告書",), per_application=False)
HIGH_COST_COMBINED = CounterPaper("T04", ("申請書", ELIGIBILITY, BENEFITS), per_application=True)


def counter_paper_transfer(*, actor: Actor, paper: CounterPaper, person_ids: Sequence[int], outbox: Path,
                           mark: Callable[[TransferRecord], object]) -> PaperTransfer:  # fmt: skip
    """One 移転票 of `paper`'s definition for `person_ids`; `mark` runs in its transaction (TransferRefused
    when the gate refuses: nothing written, nothing marked)."""
    return transfer_paper(actor=actor, code=paper.code, person_ids=person_ids, items=paper.items,
                          outbox=outbox, then=mark)  # fmt: skip
