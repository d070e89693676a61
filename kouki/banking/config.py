"""Per-bank settings of the city's collecting bank(s) (委託者コード, the city's account, format quirks).

Django setting `KOUKI_ZENGIN_BANKS` (dict key → BankSettings fields) overrides or adds banks; the default
key is `KOUKI_ZENGIN_BANK` (else "sandbox"). The built-in "sandbox" entry is synthetic: a contract with
埼玉りそな銀行 県庁支店 used by tests, the demo and the bank simulator. ADR 0009 lists the assumptions.
"""

from __future__ import annotations

from typing import Any

from kouki.core.config import city_config
from kouki.interfaces.zengin.debit import BankSettings

_SANDBOX_CONTRACT: dict[str, Any] = {
    "consignor_code": "1234567890",
    "consignor_name": "ｻｲﾀﾏｼ",
    "bank_code": "0017",
    "bank_name": "ｻｲﾀﾏﾘｿﾅ",
    "branch_code": "104",
    "branch_name": "ｹﾝﾁﾖｳ",
    "deposit_type": 1,
    "account_number": "1234567",
}
BUILTIN: dict[str, dict[str, Any]] = {
    "sandbox": _SANDBOX_CONTRACT,
    # the same contract with a bank that leaves the header's account blank and wants a blank result code
    # in requests
    "sandbox-blank": {
        **_SANDBOX_CONTRACT,
        "header_account": False,
        "request_result_code": " ",
        "crlf": True,
    },
}


def bank_settings(key: str | None = None) -> BankSettings:
    config = city_config()
    key = key or config.zengin_bank
    banks = {**BUILTIN, **config.zengin_banks}
    if key not in banks:
        raise KeyError(f"取引銀行設定 {key!r} がありません（KOUKI_ZENGIN_BANKS）")
    return BankSettings(key=key, **banks[key])
