"""Which document an insured person gets — 資格確認書 or 資格情報のお知らせ — and for how long. Pure.

domain-facts §2:
- 暫定運用 (MHLW notice of 2025-04-03): a 資格確認書 for every 後期 insured person until 2026-07-31 [S6][S7].
- Saitama from 2026-08-01 [S8]: everyone aged 85 or over on 2026-08-01 gets a 資格確認書; people 84 and under
  get a 資格確認書 when they hold no usable マイナ保険証 (no card, not registered as a health card,
  registration withdrawn, card or certificate expired [S11]), or on application (要配慮者 etc. [S9]; once
  applied it continues from 2027-08 on [S8]); otherwise a 資格情報のお知らせ.
- A 資格確認書 runs to the next July 31 (yearly renewal on August 1).

Assumptions, stated: "85 or over on 2026-08-01" means the 85th birthday is on or before that day (born on
or before 1941-08-01); for later renewal years the age is taken on the August 1 that starts the year
(`age_each_year=True`) — Saitama has announced only the 2026 rule [inference]. All dates and the age are
parameters of the preset `SAITAMA_2026`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kouki.rules.eligibility import birthday
from kouki.rules.union_codes import CertificateKind


class MynaStatus(StrEnum):
    """What the union knows of the person's マイナ保険証 (My Number card used as a health card)."""

    REGISTERED = "registered"  # usable マイナ保険証
    NO_CARD = "no_card"
    NOT_REGISTERED = "not_registered"  # card, not registered as a health card
    WITHDRAWN = "withdrawn"  # 利用登録解除
    EXPIRED = "expired"  # card or its electronic certificate expired


@dataclass(frozen=True)
class CertificateRules:
    interim_until: date  # last day of the 暫定運用 (everyone a 資格確認書)
    age_threshold: int  # this age or over: always a 資格確認書
    age_reference: date  # the day the age is taken on (first year of the rule)
    age_each_year: bool  # later years: take the age on each year's August 1
    renewal_month: int = 8  # yearly renewal on August 1; documents valid to the day before
    renewal_day: int = 1


SAITAMA_2026 = CertificateRules(
    interim_until=date(2026, 7, 31),
    age_threshold=85,
    age_reference=date(2026, 8, 1),
    age_each_year=True,
)


def renewal_on_or_before(on: date, rules: CertificateRules = SAITAMA_2026) -> date:
    start = date(on.year, rules.renewal_month, rules.renewal_day)
    return start if on >= start else date(on.year - 1, rules.renewal_month, rules.renewal_day)


def valid_until(valid_from: date, rules: CertificateRules = SAITAMA_2026) -> date:
    """The last valid day: the day before the next renewal after valid_from (e.g. the next July 31)."""
    next_renewal = date(
        renewal_on_or_before(valid_from, rules).year + 1, rules.renewal_month, rules.renewal_day
    )
    return date.fromordinal(next_renewal.toordinal() - 1)


def has_usable_card(status: MynaStatus) -> bool:
    return status == MynaStatus.REGISTERED


def certificate_kind(
    *,
    birth_date: date,
    on: date,
    myna: MynaStatus,
    applied: bool = False,
    rules: CertificateRules = SAITAMA_2026,
) -> CertificateKind:
    """The document for a person insured on `on`.

    applied: the person asked for a 資格確認書; the caller keeps the application, which holds in later
    renewals too (from 2027-08 on, [S8]).
    """
    if on <= rules.interim_until:
        return CertificateKind.CERTIFICATE
    reference = rules.age_reference
    if rules.age_each_year:
        reference = max(reference, renewal_on_or_before(on, rules))
    if birthday(birth_date, rules.age_threshold) <= reference:
        return CertificateKind.CERTIFICATE
    if not has_usable_card(myna) or applied:
        return CertificateKind.CERTIFICATE
    return CertificateKind.NOTICE
