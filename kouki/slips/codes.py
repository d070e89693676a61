"""The configured payment code of a slip: biller code and free-field layout from settings (ADR 0007)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from kouki.core.config import city_config
from kouki.rules.gs1 import (
    FreeFieldLayout,
    PaymentCode,
    barcode_allowed,
)

STAMP_FLAG = 0  # 公金: no revenue stamp (domain-facts §5 [S45], unchecked)


class SlipConfigError(ValueError):
    """KOUKI_SLIP_BILLER_CODE or KOUKI_SLIP_FREE_FIELD is not usable; the message names the setting."""


@lru_cache(maxsize=8)
def _layout(spec: str) -> FreeFieldLayout:
    try:
        layout = FreeFieldLayout.from_spec(spec)
    except ValueError as exc:
        raise SlipConfigError(f"KOUKI_SLIP_FREE_FIELD: {exc}") from None
    if "slip_no" not in {s.name for s in layout.segments}:
        raise SlipConfigError("KOUKI_SLIP_FREE_FIELD: needs a slip_no segment (the 納付書番号)")
    return layout


def free_field_layout() -> FreeFieldLayout:
    return _layout(city_config().slip_free_field)


def biller_code() -> str:
    code = city_config().slip_biller_code
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise SlipConfigError(f"KOUKI_SLIP_BILLER_CODE: must be 6 digits, got {code!r}")
    return code


class CodeMaker:
    """Makes the 44-digit codes of many slips with the settings read once."""

    def __init__(self) -> None:
        self.biller = biller_code()
        self.layout = free_field_layout()

    def barcode(
        self, *, fiscal_year: int, slip_no: int, period: int, reissue: int, due_date: date, amount: int
    ) -> str:
        """The code, or "" when the amount is above the limit (no barcode on the slip)."""
        if not barcode_allowed(amount):
            return ""
        free = self.layout.compose({"fiscal_year": fiscal_year, "slip_no": slip_no, "period": period})
        return PaymentCode(self.biller, free, reissue, due_date, STAMP_FLAG, amount).encode()
