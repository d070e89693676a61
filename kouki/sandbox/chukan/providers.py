"""The simulated providers' synthetic data: what 日本年金機構 and the other 広域連合 know of the people the
synthetic city has and of the people living elsewhere who may move in (the same people as the simulated
住基ネット: `kouki jukinet seed` and `kouki inquiries sandbox-seed` with the same residents and seed).

- 年金給付関係情報 (日本年金機構): the public pension of the income year and the pension the deduction would
  be made from — for city people their synthetic income (the one `kouki synth` loads), for outsiders drawn
  by the same income model.
- 保険料の徴収に関する情報 (the union of the prefecture an outsider lives in, 75 and over): a synthetic annual
  premium (not the union's formula), the collection method, the February deduction, arrears.
Every value is synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from kouki.inquiries.catalogue import union_of
from kouki.sandbox.jukinet.register import outsider_people
from kouki.sandbox.synth.city import generate_city
from kouki.sandbox.synth.income import CARE_DEDUCTION_MINIMUM, draw_income
from kouki.sandbox.synth.model import DECEASED, SynthConfig, SynthIncome, SynthPerson, age_on

PENSION_PAYER = "日本年金機構"
PENSION_KIND = "老齢基礎年金・老齢厚生年金"


@dataclass(frozen=True)
class ProviderPerson:
    personal_number: str
    pension: dict[str, Any] | None  # 年金給付関係情報, None when no pension is paid
    union: dict[str, Any] | None  # 保険料の徴収に関する情報 of another union, None when not insured there
    nondisclosure: bool = False  # the provider flags the content as 不開示情報


def pension_entry(income: SynthIncome) -> dict[str, Any] | None:
    if income.public_pension_revenue <= 0:
        return None
    return {
        "payer": PENSION_PAYER,
        "pension_kind": PENSION_KIND,
        "income_year": income.income_year,
        "public_pension_revenue": income.public_pension_revenue,
        "care_deduction_pension_annual": income.care_deduction_pension_annual,
    }


def union_entry(person: SynthPerson, income: SynthIncome, config: SynthConfig) -> dict[str, Any] | None:
    union = union_of(person.address)
    if union is None or age_on(person.birth_date, config.as_of) < 75:
        return None
    premium = (45_000 + max(0, income.public_pension_revenue - 1_530_000) * 9 // 100) // 100 * 100
    deducted = income.care_deduction_pension_annual >= CARE_DEDUCTION_MINIMUM
    return {
        "union": union,
        "fiscal_year": config.as_of.year if config.as_of.month >= 4 else config.as_of.year - 1,
        "annual_premium": premium,
        "collection_method": "特別徴収" if deducted else "普通徴収",
        "february_pension_deduction": premium // 6 // 100 * 100 if deducted else None,
        "unpaid": 0,
    }


def build_provider_people(config: SynthConfig, *, outsiders: int) -> list[ProviderPerson]:
    rng = random.Random(f"kouki-chukan-providers:{config.seed}")
    out: list[ProviderPerson] = []
    for chunk in generate_city(config):
        incomes = {i.person_serial: i for i in chunk.incomes}
        for person in chunk.persons:
            income = incomes.get(person.serial)
            if person.status == DECEASED or income is None:
                continue
            withheld = rng.random() < 0.01
            out.append(ProviderPerson(person.personal_number, pension_entry(income), None, withheld))
    for person in outsider_people(config, outsiders):
        income = draw_income(rng, person.serial, age_on(person.birth_date, config.as_of), config.income_year)
        out.append(ProviderPerson(
            person.personal_number, pension_entry(income), union_entry(person, income, config),
            rng.random() < 0.01,
        ))  # fmt: skip
    return out
