"""The 中間サーバ as kouki sees it: one Protocol that a real connection and the simulator both implement
(docs/interfaces/chukan-server.md).

What crosses it [domain-facts-next §5; PIA L239–282, L2800–2872; R36]:
- 符号取得: kouki's 番号連携サーバ side registers a person's 団体内統合宛名番号 with a 取得番号 obtained from
  J-LIS (`acquisition_number`). The 取得番号 is neither the 個人番号 nor the 住民票コード and is used once:
  the platform exchanges it for the 情報提供用個人識別符号 and keeps only 符号 ↔ 統合宛名番号.
  kouki never sees the 符号 and never keeps the 取得番号.
- 情報照会: (照会者, 提供者, 事務, 特定個人情報の項目) and the 団体内統合宛名番号. The network checks the
  照会許可用照合リスト and issues a 提供許可証 (its id comes back), or refuses (InquiryRefused, nothing sent).
- The answer comes back sealed to the city's key (kouki.inquiries.envelope): relayed unchanged (SEC-30),
  opened only by kouki.
- 照会結果の取得: the 中間サーバ keeps the outcome of each request under kouki's 照会番号 (`request_id`) and
  gives it again on asking (`result`), and a request sent again under a 照会番号 it has already answered
  gets that answer, not a second provision (ADR 0006, fapps22): so a batch killed after the answer came
  and before kouki recorded it takes the same answer on its re-run (issue 16 §3).

Which class is used is KOUKI_CHUKAN_SERVER (kouki.core.config): by default the simulator
`kouki.sandbox.chukan.platform.SimulatedChukanServer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.utils.module_loading import import_string

from kouki.core.config import chukan_server_path


@dataclass(frozen=True)
class InquiryRequest:
    inquirer: str  # 照会者 (this city's 市町村長)
    provider: str  # 提供者 (日本年金機構, a 共済組合, another 後期高齢者医療広域連合 …)
    jimu: str  # 事務 (高確法による保険料の徴収)
    item: str  # 特定個人情報の項目 (年金給付関係情報 …)
    integrated_number: str  # 団体内統合宛名番号: who is meant, the only key the 中間サーバ side knows
    request_id: str  # kouki's own id of the request (echoed; binds the sealed answer)


@dataclass(frozen=True)
class SealedAnswer:
    """What the network returns to the inquirer: the permit, both datetimes and the sealed content."""

    request_id: str
    permit_id: str  # 提供許可証
    provider: str
    requested_at: datetime
    provided_at: datetime
    nondisclosure: bool  # 不開示情報 flag set by the provider (番号法 §23)
    sealed: bytes  # kouki.inquiries.envelope format, opened with the city's key


class NetworkError(RuntimeError):
    """The 中間サーバ or network could not answer (not reachable, not set up). No personal data in it."""


class InquiryRefused(NetworkError):
    """The network refused: no 提供許可証 (not on the 照会許可用照合リスト) or no 符号 for the person."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@runtime_checkable
class IntermediateServer(Protocol):
    def acquisition_number(self, personal_number: str) -> str:
        """J-LIS: a one-use 取得番号 for the person (neither the 個人番号 nor the 住民票コード)."""
        ...

    def register_code(self, integrated_number: str, acquisition_number: str) -> None:
        """Obtain the 符号 with the 取得番号 and link it to the 団体内統合宛名番号; the 取得番号 is spent."""
        ...

    def has_code(self, integrated_number: str) -> bool: ...

    def inquire(self, request: InquiryRequest) -> SealedAnswer:
        """The answer (or InquiryRefused); under a 照会番号 already answered, that same outcome again."""
        ...

    def result(self, request_id: str) -> SealedAnswer | None:
        """The outcome of the request sent under this 照会番号: its answer, InquiryRefused if it was refused,
        None if the 中間サーバ never received it. Nothing is provided or recorded anew."""
        ...


def connect() -> IntermediateServer:
    """The configured 中間サーバ (KOUKI_CHUKAN_SERVER), or NetworkError when it names nothing usable."""
    path = chukan_server_path()
    try:
        server = import_string(path)()
    except ImportError:
        raise NetworkError(f"KOUKI_CHUKAN_SERVER: cannot load {path!r}") from None
    if not isinstance(server, IntermediateServer):
        raise NetworkError(f"KOUKI_CHUKAN_SERVER: {path!r} does not speak the 中間サーバ interface")
    return server
