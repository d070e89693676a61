"""資格確認書 or 資格情報のお知らせ (domain-facts §2 [S6][S7][S8][S9][S11])."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.interfaces.union.records import CertificateKind as K
from kouki.rules.certificates import SAITAMA_2026, MynaStatus, certificate_kind, valid_until

OLD = date(1941, 8, 1)  # 85 on 2026-08-01
YOUNG = date(1941, 8, 2)  # 84 on 2026-08-01


@pytest.mark.parametrize(
    ("birth", "on", "myna", "applied", "kind"),
    [
        # 暫定運用: everyone gets a 資格確認書 through 2026-07-31 [S6][S7]
        (YOUNG, date(2026, 7, 31), MynaStatus.REGISTERED, False, K.CERTIFICATE),
        # Saitama from 2026-08-01: 85 or over → 資格確認書 [S8]
        (OLD, date(2026, 8, 1), MynaStatus.REGISTERED, False, K.CERTIFICATE),
        # 84 and under with a usable マイナ保険証 → お知らせ
        (YOUNG, date(2026, 8, 1), MynaStatus.REGISTERED, False, K.NOTICE),
        # no usable card → 資格確認書 [S11]
        (YOUNG, date(2026, 8, 1), MynaStatus.NO_CARD, False, K.CERTIFICATE),
        (YOUNG, date(2026, 8, 1), MynaStatus.NOT_REGISTERED, False, K.CERTIFICATE),
        (YOUNG, date(2026, 8, 1), MynaStatus.WITHDRAWN, False, K.CERTIFICATE),
        (YOUNG, date(2026, 8, 1), MynaStatus.EXPIRED, False, K.CERTIFICATE),
        # on application (要配慮者) [S8][S9]
        (YOUNG, date(2026, 8, 1), MynaStatus.REGISTERED, True, K.CERTIFICATE),
        (YOUNG, date(2028, 8, 1), MynaStatus.REGISTERED, True, K.CERTIFICATE),
        # later years: the age on that year's August 1 [inference]
        (YOUNG, date(2027, 8, 1), MynaStatus.REGISTERED, False, K.CERTIFICATE),
        (date(1943, 1, 1), date(2027, 8, 1), MynaStatus.REGISTERED, False, K.NOTICE),
        # a mid-year new insured person of 75
        (date(1951, 9, 1), date(2026, 9, 1), MynaStatus.REGISTERED, False, K.NOTICE),
    ],
)
def test_kind(birth: date, on: date, myna: MynaStatus, applied: bool, kind: K) -> None:
    assert certificate_kind(birth_date=birth, on=on, myna=myna, applied=applied) == kind


def test_the_preset_is_parameters() -> None:
    assert SAITAMA_2026.interim_until == date(2026, 7, 31)
    assert SAITAMA_2026.age_threshold == 85
    assert SAITAMA_2026.age_reference == date(2026, 8, 1)


def test_valid_until_the_next_july_31() -> None:
    assert valid_until(date(2026, 8, 1)) == date(2027, 7, 31)
    assert valid_until(date(2026, 7, 31)) == date(2026, 7, 31)
    assert valid_until(date(2027, 2, 10)) == date(2027, 7, 31)
