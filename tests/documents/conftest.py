"""A synthetic person's certificate data (invented name and address)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kouki.documents.data import CertificateData


def sample_data(**changes: object) -> CertificateData:
    base = CertificateData(
        addressee_no="100000123", insured_no="12345675", insurer_no="39110011",
        insurer_name="埼玉県後期高齢者医療広域連合", family_name="山田", given_name="太郎",
        family_name_kana="ヤマダ", given_name_kana="タロウ", sex="1", birth_date=date(1946, 5, 1),
        postal_code="3300854", address="さいたま市大宮区桜木町一丁目7番5号", acquired_on=date(2021, 5, 1),
        copay_rate=20, valid_from=date(2026, 8, 1), valid_until=date(2027, 7, 31),
        issued_on=date(2026, 7, 15),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def data() -> CertificateData:
    return sample_data()
