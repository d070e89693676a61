"""The 住基ネット CS (統合端末) as kouki sees it: one Protocol that a real connection and the
simulator both implement.

本人確認情報 [domain-facts-next §6, R40/R41]: 氏名 (with 旧氏 and 通称), 生年月日, 性別, 住所,
住民票コード and change information; the 個人番号 is searched for and shown as well [PIA L341–345,
partial]. A search is by 個人番号 or by the 4 items (氏名, 生年月日, 性別, 住所) [PIA L341–345;
requirements System 6]. The CS authenticates the operator itself (操作者ID per business role,
照合情報認証 [R43]) and keeps its own 操作履歴; kouki passes who operates and from which terminal.
Which class is used is the installation's setting KOUKI_JUKINET_CS (kouki.core.config): the simulator
`kouki.sandbox.jukinet.simulator.SimulatedCS` by default. docs/interfaces/jukinet-cs.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from django.utils.module_loading import import_string

from kouki.core.config import jukinet_cs_path


@dataclass(frozen=True)
class CsOperator:
    """Who operates: the 操作者ID of the business role, the staff member, the terminal."""

    operator_id: str
    staff_id: str
    terminal_id: str


@dataclass(frozen=True)
class FourItems:
    """A search by the 4 items. Names match with spaces ignored (kanji or kana); the address as given is
    looked for within the registered address (a clerk may type its leading part)."""

    name: str
    birth_date: date
    sex: str  # "1" male, "2" female
    address: str


@dataclass(frozen=True)
class IdentityRecord:
    """One person's 本人確認情報 as the CS returns it. Held in memory for the check only, never stored."""

    name: str
    name_kana: str
    former_name: str  # 旧氏 ("" when none)
    common_name: str  # 通称 ("" when none)
    birth_date: date
    sex: str
    address: str
    resident_code: str  # 住民票コード, 11 digits
    personal_number: str
    last_change: str  # 異動事由 of the latest change (転入, 転居, 出生 …)
    last_change_date: date


class CsError(RuntimeError):
    """The CS could not answer (not reachable, not set up). The message carries no personal data."""


class CsOperatorRefused(CsError):
    """The CS did not accept the operator (unknown 操作者ID)."""


@runtime_checkable
class ResidentNetworkCS(Protocol):
    def by_personal_number(self, number: str, operator: CsOperator) -> list[IdentityRecord]: ...

    def by_four_items(self, query: FourItems, operator: CsOperator) -> list[IdentityRecord]: ...


def connect() -> ResidentNetworkCS:
    """The configured CS (KOUKI_JUKINET_CS), or CsError when the setting names nothing usable."""
    path = jukinet_cs_path()
    try:
        cs = import_string(path)()
    except ImportError:
        raise CsError(f"KOUKI_JUKINET_CS: cannot load {path!r}") from None
    if not isinstance(cs, ResidentNetworkCS):
        raise CsError(f"KOUKI_JUKINET_CS: {path!r} does not speak the CS interface")
    return cs
