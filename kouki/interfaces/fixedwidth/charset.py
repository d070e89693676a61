"""The character set of a format: CP932 bytes, with the checks each format makes.

- strict (union, tax, 住基 files): X fields may not start or end with spaces, hold 外字, control
  characters or characters that do not survive CP932; their width is measured in bytes (a full-width
  character counts 2);
- single_byte (Zengin): every character is one byte (half-width kana = JIS X 0201);
- show_position: a reason says where a bad byte is (never for a personal number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kouki.interfaces.fixedwidth.errors import FieldError
from kouki.interfaces.fixedwidth.fields import Field

PRIVATE_USE = re.compile("[\ue000-\uf8ff\x80-\x9f]")  # the characters of is_private_use
_UNWRITABLE = re.compile("[\ue000-\uf8ff\x80-\x9f\x00-\x1f\x7f]")  # and control characters


def is_private_use(ch: str) -> bool:
    """外字 and the bytes Python's cp932 maps to private-use or C1 code points (0x80, 0xA0, 0xFD–0xFF)."""
    return 0xE000 <= ord(ch) <= 0xF8FF or 0x80 <= ord(ch) <= 0x9F


def cp932_width(text: str) -> int:
    """Bytes the text takes in CP932; characters outside CP932 count 1 (ASCII, half-width kana) or 2."""
    try:
        return len(text.encode("cp932"))
    except UnicodeEncodeError:
        return sum(1 if ord(c) < 0x80 or 0xFF61 <= ord(c) <= 0xFF9F else 2 for c in text)


@dataclass(frozen=True)
class CP932:
    strict: bool = False
    single_byte: bool = False
    show_position: bool = True

    def fit(self, f: Field, text: str) -> str:
        """The field's text padded with half-width spaces to its width in CP932 bytes."""
        if self.strict and f.type == "X":
            _check_writable(text)
        width = len(text) if text.isascii() else len(text.encode("cp932"))
        if width > f.length:
            raise FieldError(f"{width} バイトで上限 {f.length} バイトを超えています")
        return text + " " * (f.length - width)

    def encode(self, f: Field, text: str) -> bytes:
        """The field's bytes, padded with half-width spaces to its width."""
        return self.fit(f, text).encode("cp932")

    def decode(self, f: Field, raw: bytes) -> str:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError as exc:
            where = ""
            if self.show_position and f.kind != "personal_number":
                where = f"（項目内 {exc.start + 1} バイト目 0x{raw[exc.start]:02X}）"
            raise FieldError(f"CP932 として不正なバイト列です{where}") from None
        if self.single_byte and len(text) != len(raw):
            raise FieldError("全角文字が含まれています（半角のみ）")
        return self.check(f, text)

    def check(self, f: Field, text: str) -> str:
        """A decoded field's text (for a record decoded at once: every character one byte)."""
        if self.strict:
            bad = PRIVATE_USE.search(text)
            if bad is not None:
                where = "" if f.kind == "personal_number" else f"（項目内 {bad.start() + 1} 文字目）"
                raise FieldError(f"外字・未定義のバイトは取り込めません{where}")
        return text


def _check_writable(text: str) -> None:
    if text != text.strip(" \u3000"):
        raise FieldError("前後の空白は書き出せません")
    if _UNWRITABLE.search(text) is None:
        try:
            if text.encode("cp932").decode("cp932") == text:
                return  # the usual case; otherwise find the first character at fault
        except UnicodeEncodeError:
            pass
    for ch in text:
        if is_private_use(ch) or ord(ch) < 0x20 or ord(ch) == 0x7F:
            raise FieldError(f"外字・制御文字 (U+{ord(ch):04X}) は書き出せません")
        try:
            back = ch.encode("cp932").decode("cp932")
        except UnicodeEncodeError:
            raise FieldError(f"文字 {ch!r} (U+{ord(ch):04X}) は CP932 にありません") from None
        if back != ch:
            raise FieldError(f"文字 {ch!r} (U+{ord(ch):04X}) は CP932 で {back!r} に変わります")
