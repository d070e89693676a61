"""The simulator's synthetic national register: one JSON file in its own directory (never the city's
database).

Seeded from the synthetic city (`generate_city` with the same residents and seed as `kouki synth`: the
same people, names and personal numbers) plus people living elsewhere who may move in. Deceased people are
not in it (their 本人確認情報 is 消除). 住民票コード: 11 random digits [R41], drawn from the seed. Every name,
number and address is synthetic.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from kouki.sandbox.synth.city import CityBuilder, _Counters, generate_city
from kouki.sandbox.synth.model import DECEASED, SynthConfig, SynthPerson

REGISTER_FILE = "jukinet-register.json"
OPERATOR_IDS = ("kouki:number_clerk", "kouki:supervisor")  # 操作者ID issued per business role [R43]
OUTSIDER_SERIAL_BASE = 90_000_000  # far past any synthetic city's serials: distinct personal numbers


@dataclass(frozen=True)
class RegisterEntry:
    name: str
    name_kana: str
    birth_date: str  # ISO
    sex: str
    address: str
    resident_code: str
    personal_number: str
    last_change: str
    last_change_date: str  # ISO
    in_city: bool


def _entry(person: SynthPerson, code: str, *, in_city: bool, change: str) -> RegisterEntry:
    return RegisterEntry(
        name=f"{person.family_name}　{person.given_name}",
        name_kana=f"{person.family_name_kana}　{person.given_name_kana}",
        birth_date=person.birth_date.isoformat(),
        sex=person.sex,
        address=person.address,
        resident_code=code,
        personal_number=person.personal_number,
        last_change=change,
        last_change_date=person.since.isoformat(),
        in_city=in_city,
    )


def _codes(seed: int) -> random.Random:
    return random.Random(f"kouki-jukinet-codes:{seed}")


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = f"{rng.randrange(10**11):011d}"
        if code not in taken:
            taken.add(code)
            return code


def build_register(config: SynthConfig, *, outsiders: int) -> list[RegisterEntry]:
    """The city's living people (residents at their city address, 住登外者 where they live) and `outsiders`
    people in households outside the city."""
    rng = _codes(config.seed)
    taken: set[str] = set()
    entries: list[RegisterEntry] = []
    for chunk in generate_city(config):
        for person in chunk.persons:
            if person.status == DECEASED:
                continue
            change = "転入" if person.since > person.birth_date else "出生"
            entries.append(
                _entry(person, _code(rng, taken), in_city=person.registration == "resident", change=change)
            )
    for person in outsider_people(config, outsiders):
        entries.append(_entry(person, _code(rng, taken), in_city=False, change="転入"))
    return entries


def outsider_people(config: SynthConfig, count: int) -> list[SynthPerson]:
    """`count` synthetic people in households outside the city, the same for the same seed (who may move in;
    the simulated 中間サーバ's providers know the same people)."""
    builder = CityBuilder(
        config,
        random.Random(f"kouki-jukinet-outsiders:{config.seed}"),
        _Counters(person=OUTSIDER_SERIAL_BASE, household=OUTSIDER_SERIAL_BASE),
    )
    people: list[SynthPerson] = []
    while len(people) < count:
        moved_in = config.as_of - timedelta(days=builder.rng.randint(20, 365 * 30))
        _, members = builder.household(
            builder.household_members()[: count - len(people)], moved_in=moved_in, outside=True
        )
        people.extend(members)
    return people


def write_register(directory: Path, entries: list[RegisterEntry], *, seed: int, as_of: date) -> Path:
    """Write the register atomically (mode 0600: it holds synthetic personal numbers)."""
    directory.mkdir(parents=True, exist_ok=True)
    body = {
        "seed": seed,
        "as_of": as_of.isoformat(),
        "operators": list(OPERATOR_IDS),
        "people": [asdict(e) for e in entries],
    }
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".register-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out, ensure_ascii=False)
    os.chmod(tmp, 0o600)
    path = directory / REGISTER_FILE
    os.replace(tmp, path)
    return path


def read_register(directory: Path) -> tuple[tuple[str, ...], list[RegisterEntry]]:
    """(operator ids, entries); FileNotFoundError when the register was never seeded."""
    body = json.loads((directory / REGISTER_FILE).read_text(encoding="utf-8"))
    return tuple(body["operators"]), [RegisterEntry(**row) for row in body["people"]]
