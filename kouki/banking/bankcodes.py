"""Bank and branch codes (統一金融機関コード・店番号), checked against the offline data of the `zengin-code`
package (banks.json and branches/<bank>.json shipped inside it; no network). Names for the Zengin files
are the package's katakana readings converted to half-width."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kouki.interfaces.zengin.charset import to_zengin


@dataclass(frozen=True)
class BankName:
    code: str
    name: str  # 漢字/かな as published (みずほ)
    kana: str  # half-width Zengin characters, at most 15 bytes


@cache
def _banks() -> dict[str, Any]:
    import zengin_code  # type: ignore[import-untyped]  # (loads ~1,100 banks once, 0.3 s)

    return dict(zengin_code.Bank.all)


def data_version() -> str:
    import zengin_code

    return str(zengin_code.__version__)


def _short(kana: str) -> str:
    return to_zengin(kana)[:15]


def bank(code: str) -> BankName | None:
    b = _banks().get(code)
    return BankName(b.code, b.name, _short(b.kana)) if b is not None else None


def branch(bank_code: str, branch_code: str) -> BankName | None:
    b = _banks().get(bank_code)
    br = b.branches.get(branch_code) if b is not None else None
    return BankName(br.code, br.name, _short(br.kana)) if br is not None else None


def check(bank_code: str, branch_code: str) -> list[tuple[str, str]]:
    """(field, reason) for a bank/branch pair that is malformed or does not exist."""
    if not (len(bank_code) == 4 and bank_code.isascii() and bank_code.isdigit()):
        return [("bank_code", f"銀行コード {bank_code!r} は4桁の数字ではありません")]
    if not (len(branch_code) == 3 and branch_code.isascii() and branch_code.isdigit()):
        return [("branch_code", f"支店コード {branch_code!r} は3桁の数字ではありません")]
    if bank(bank_code) is None:
        return [("bank_code", f"銀行コード {bank_code} は存在しません")]
    if branch(bank_code, branch_code) is None:
        return [("branch_code", f"銀行コード {bank_code} 支店コード {branch_code} は存在しません")]
    return []
