"""The ledger identity of one person's fiscal year (issue 5 §6). Pure.

    assessed = received − refunded − set_off_out + set_off_in + unpaid + written_off

where `unpaid` is the net balance: what is still owed less any open overpayment (negative when the
person has paid more than is owed and it has not yet been refunded or set off).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ledger:
    assessed: int
    received: int
    refunded: int
    set_off_out: int
    set_off_in: int
    written_off: int
    owed: int  # the sum of what every instalment still charges
    overpaid: int  # the open overpayment (過誤納金) not yet refunded or set off

    @property
    def unpaid(self) -> int:
        return self.owed - self.overpaid

    @property
    def balances(self) -> bool:
        return self.assessed == (
            self.received
            - self.refunded
            - self.set_off_out
            + self.set_off_in
            + self.unpaid
            + self.written_off
        )
