"""What a certificate or notice prints, as plain values (no personal number field exists here).

`CertificateData` is built from a 資格確認書発行用情報 record, or from the registry for a counter issue,
and is kept as a JSON snapshot on the issue record so the printed document can be reproduced exactly.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from kouki.core.config import city_config

DEFAULT_OFFICE = "国保年金課"
WARD_OFFICE = "保険年金課"


@dataclass(frozen=True)
class CertificateData:
    addressee_no: str  # 宛名番号, printed small as the control number of the mailing
    insured_no: str  # 被保険者番号 (8 digits)
    insurer_no: str  # 保険者番号 (8 digits)
    insurer_name: str  # 保険者名
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str  # "1" 男 / "2" 女
    birth_date: date
    postal_code: str  # 7 digits
    address: str
    acquired_on: date  # 資格取得年月日
    copay_rate: int  # 10 / 20 / 30 (%)
    valid_from: date  # 発効期日 (and start of the rate's period)
    valid_until: date  # 有効期限
    issued_on: date  # 交付年月日
    limit_category: str = ""  # 適用区分, printed only on request (任意記載事項), else ""

    @property
    def name(self) -> str:
        return f"{self.family_name}\u3000{self.given_name}"

    @property
    def name_kana(self) -> str:
        return f"{self.family_name_kana}\u3000{self.given_name_kana}"

    def to_snapshot(self) -> dict[str, Any]:
        """JSON-safe values (dates as ISO strings) for storing on the issue record."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> CertificateData:
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = snapshot.get(f.name, "")
            values[f.name] = date.fromisoformat(value) if f.type in ("date", date) else value
        values["copay_rate"] = int(values["copay_rate"])
        return cls(**values)


@dataclass(frozen=True)
class Sender:
    """Who sends the mailing and answers questions: the ward office of the person's address."""

    office: str
    phone: str = ""


def default_insurer_name() -> str:
    return city_config().insurer_name


def default_issuer() -> str:
    """A city letter is sent by the mayor (the city collects; the union assessed); settings rename both."""
    return city_config().issuer


_WARD = re.compile(r"^(?:埼玉県)?(\S+?市)(\S+?区)")


def sender_for(address: str) -> Sender:
    """さいたま市浦和区… → さいたま市浦和区役所 保険年金課; otherwise the city's central office.

    KOUKI_CERTIFICATE_PHONE (optional setting) is printed as the contact number.
    """
    phone, city = city_config().certificate_phone, city_config().city_name
    match = _WARD.match(address)
    if match and match.group(1) == city:
        return Sender(office=f"{city}{match.group(2)}役所 {WARD_OFFICE}", phone=phone)
    return Sender(office=f"{city}役所 {DEFAULT_OFFICE}", phone=phone)
