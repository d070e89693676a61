"""How each person who pays directly (普通徴収) pays in the demo's year, drawn from the seed.

Shares (of the people with at least one direct instalment): 口座振替 33 %, convenience store 33 %,
counter 26 %, late (pays at the counter after the 督促状, now and then) 5 %, not at all 3 % —
chosen so that the default demo (25,000 residents) holds more than 1,000 receipts of every channel;
they are not measured anywhere. People who
also have 特別徴収 instalments pay their direct ones the same way. Overpayments come from the channels
themselves: a slip paid twice at a store, a counter payment rounded up.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from enum import StrEnum


class Habit(StrEnum):
    DEBIT = "debit"
    STORE = "store"
    COUNTER = "counter"
    LATE = "late"
    NEVER = "never"


SHARES: tuple[tuple[Habit, float], ...] = (
    (Habit.DEBIT, 0.33),
    (Habit.STORE, 0.33),
    (Habit.COUNTER, 0.26),
    (Habit.LATE, 0.05),
    (Habit.NEVER, 0.03),
)


def habits(person_ids: Iterable[int], seed: int) -> dict[int, Habit]:
    """Each person's habit: the same for the same seed and person, whoever else is drawn with them."""
    kinds = [h for h, _ in SHARES]
    weights = [w for _, w in SHARES]
    return {pid: random.Random(f"demo-year:{seed}:{pid}").choices(kinds, weights)[0] for pid in person_ids}
