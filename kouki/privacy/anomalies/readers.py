"""What the sweep needs to know about people, handed in by its caller (kouki.privacy may not read the
domain apps; `kouki alerts scan` builds these from their selectors)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonFacts:
    family_name: str  # 氏 (kanji)
    family_name_kana: str
    address: str  # the current 住所, e.g. さいたま市浦和区…


# person ids → their current facts (people without a current record are left out)
PersonFactsReader = Callable[[Iterable[int]], dict[int, PersonFacts]]
# a person id → how audit rows name the person's records: {target_type: [target_id, …]}
PersonTargetsReader = Callable[[int], dict[str, list[str]]]


@dataclass(frozen=True)
class Readers:
    facts: PersonFactsReader
    targets: PersonTargetsReader
