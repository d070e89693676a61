"""Run as a subprocess by the key-rotation crash cases (tests/faults/test_keys_crash.py) against the seed
database, after the synthetic city: confirmation-list rows for the re-encryption and re-indexing to work
on besides the city's current numbers — an arrival with a number different from the one stored (listed,
encrypted) and an arrival without a number (blank) — and a counter clerk whose second-factor secret is
sealed under the keyring's key (`kouki keys rotate` seals it again).

Synthetic people and numbers only (a fixed random seed: the same database gets the same rows)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    from factories import make_staff

    from kouki.accounts.permissions import Role
    from kouki.privacy.context import Actor
    from kouki.privacy.models import PersonalNumber
    from kouki.privacy.services import personal_number_register
    from kouki.rules.numbers import my_number_check_digit

    make_staff(Role.COUNTER_CLERK, username="clerk.keys", staff_name="鍵 花子")
    rng = random.Random(2216)
    actor = Actor.system("faults-seed")
    people = list(PersonalNumber.objects.filter(is_current=True).order_by("person_id")
                  .values_list("person_id", flat=True)[:3])
    for person_id in people[:2]:  # a different number arrives: listed for confirmation, encrypted
        base = f"{rng.randrange(10**10, 10**11):011d}"
        assert personal_number_register(actor=actor, person_id=person_id, source="住基",
                                        number=base + str(my_number_check_digit(base))) == "pending"
    personal_number_register(actor=actor, person_id=people[2], number="", source="住基")  # blank


if __name__ == "__main__":
    main()
