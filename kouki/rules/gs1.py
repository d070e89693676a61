"""The convenience-store payment code (GS1-128 標準料金代理収納, domain-facts §5).

44 digits, fixed (DSRI 「GS1-128シンボルによる標準料金代理収納ガイドライン」 第6版 [S44], [S42][S43]):

    AI "91" (2) | 企業コード biller code (6) | 自由使用欄 free field (21) | 再発行区分 reissue (1)
    | 支払期限 due date YYMMDD (6) | 印紙フラグ stamp flag (1) | 金額 amount (6) | CD check digit (1)

Check digit: over all 43 preceding digits, AI included; positions counted from the right with the CD
as position 1; even positions ×3, odd ×1; CD = (10 − sum mod 10) mod 10 (domain-facts §5 [V-calc]).
Above 300,000円 no barcode is printed (domain-facts §5 [S45][S57]).

The free field's inner layout is the biller's own: `FreeFieldLayout` names numeric segments that add up
to 21 digits. kouki's default is 年度 4 + 納付書番号 12 + 期別 2 + 予備 3 ("000") (ADR 0007).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

AI = "91"
LENGTH = 44
BILLER_DIGITS = 6
FREE_FIELD_DIGITS = 21
MAX_BARCODE_AMOUNT = 300_000
AMOUNT_DIGITS = 6


def _digits(value: str, length: int, what: str) -> str:
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValueError(f"{what}: must be {length} ASCII digits, got {len(value)} characters")
    return value


def check_digit(digits43: str) -> str:
    """The check digit of the 43 digits before it (AI included): weights 3, 1, 3, … from the right."""
    _digits(digits43, LENGTH - 1, "check digit input")
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(digits43)))
    return str((10 - total % 10) % 10)


def barcode_allowed(amount: int) -> bool:
    """Whether a slip of this amount (yen) carries the barcode: 1 … 300,000円."""
    return 1 <= amount <= MAX_BARCODE_AMOUNT


@dataclass(frozen=True)
class PaymentCode:
    biller_code: str  # 6 digits
    free_field: str  # 21 digits
    reissue: int  # 0–9
    due_date: date  # printed as YYMMDD; read back as 20YY
    stamp_flag: int  # 0/1; 公金 use 0
    amount: int  # yen, 1 … 300,000

    def __post_init__(self) -> None:
        _digits(self.biller_code, BILLER_DIGITS, "biller code")
        _digits(self.free_field, FREE_FIELD_DIGITS, "free field")
        if not 0 <= self.reissue <= 9:
            raise ValueError(f"reissue: must be 0–9, got {self.reissue}")
        if self.stamp_flag not in (0, 1):
            raise ValueError(f"stamp flag: must be 0 or 1, got {self.stamp_flag}")
        if not 2000 <= self.due_date.year <= 2099:
            raise ValueError(f"due date: year {self.due_date.year} is outside 2000–2099 (YYMMDD)")
        if not barcode_allowed(self.amount):
            raise ValueError(
                f"amount: {self.amount}円 is outside 1–{MAX_BARCODE_AMOUNT:,}円 (no barcode above the limit)"
            )

    def encode(self) -> str:
        """The 44 digits, check digit last."""
        body = (
            f"{AI}{self.biller_code}{self.free_field}{self.reissue}{self.due_date:%y%m%d}"
            f"{self.stamp_flag}{self.amount:0{AMOUNT_DIGITS}d}"
        )
        return body + check_digit(body)


def parse(code: str) -> PaymentCode:
    """Read a 44-digit code; ValueError names what is wrong (length, AI, check digit, date, amount)."""
    _digits(code, LENGTH, "payment code")
    if not code.startswith(AI):
        raise ValueError(f"payment code: application identifier must be {AI}, got {code[:2]}")
    expected = check_digit(code[:-1])
    if code[-1] != expected:
        raise ValueError("payment code: check digit does not match")
    yy, mm, dd = int(code[30:32]), int(code[32:34]), int(code[34:36])
    try:
        due = date(2000 + yy, mm, dd)
    except ValueError:
        raise ValueError(f"payment code: due date {code[30:36]} is not a date (YYMMDD)") from None
    return PaymentCode(
        biller_code=code[2:8],
        free_field=code[8:29],
        reissue=int(code[29]),
        due_date=due,
        stamp_flag=int(code[36]),
        amount=int(code[37:43]),
    )


# --- the free field ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    name: str
    length: int
    fixed: str | None = None  # a constant (e.g. 予備 "000"); None: a value is given


@dataclass(frozen=True)
class FreeFieldLayout:
    """Named numeric segments of the 21-digit free field, left to right."""

    segments: tuple[Segment, ...]

    def __post_init__(self) -> None:
        total = sum(s.length for s in self.segments)
        if total != FREE_FIELD_DIGITS:
            raise ValueError(f"free-field layout: segments add up to {total} digits, not {FREE_FIELD_DIGITS}")
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ValueError("free-field layout: segment names must be distinct")
        for s in self.segments:
            if s.length < 1:
                raise ValueError(f"free-field layout: segment {s.name} has no digits")
            if s.fixed is not None:
                _digits(s.fixed, s.length, f"free-field segment {s.name}")

    @classmethod
    def from_spec(cls, spec: str) -> FreeFieldLayout:
        """ "fiscal_year:4,slip_no:12,period:2,reserve:3=000" — name:length, optional =constant."""
        segments = []
        for item in spec.split(","):
            name, _, rest = item.strip().partition(":")
            length, _, fixed = rest.partition("=")
            if not name or not length.isdigit():
                raise ValueError(f"free-field layout: {item.strip()!r} is not name:length[=constant]")
            segments.append(Segment(name, int(length), fixed or None))
        return cls(tuple(segments))

    def spec(self) -> str:
        return ",".join(f"{s.name}:{s.length}" + (f"={s.fixed}" if s.fixed else "") for s in self.segments)

    def compose(self, values: Mapping[str, int | str]) -> str:
        """The 21 digits from values by segment name (ints zero-filled); constants need no value."""
        out = []
        for s in self.segments:
            if s.fixed is not None:
                out.append(s.fixed)
                continue
            if s.name not in values:
                raise ValueError(f"free field: no value for segment {s.name}")
            raw = values[s.name]
            text = f"{raw:0{s.length}d}" if isinstance(raw, int) else raw
            if isinstance(raw, int) and raw < 0:
                raise ValueError(f"free field: {s.name} must not be negative")
            out.append(_digits(text, s.length, f"free-field segment {s.name}"))
        return "".join(out)

    def split(self, free_field: str) -> dict[str, str]:
        """Segment name → digits of a 21-digit free field."""
        _digits(free_field, FREE_FIELD_DIGITS, "free field")
        out: dict[str, str] = {}
        at = 0
        for s in self.segments:
            out[s.name] = free_field[at : at + s.length]
            at += s.length
        return out


DEFAULT_FREE_FIELD = FreeFieldLayout(
    (Segment("fiscal_year", 4), Segment("slip_no", 12), Segment("period", 2), Segment("reserve", 3, "000"))
)
DEFAULT_BILLER_CODE = "900000"  # synthetic: "9" + legacy code 00000 (ADR 0007); set KOUKI_SLIP_BILLER_CODE
