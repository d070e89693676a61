"""How a format cuts a file into records: every record `record_length` bytes, followed by CR LF or by
nothing (Zengin files may have no line separators at all; `either` decides by the first record).

The reasons of a malformed line end are the format's (`lf_reason`); a format may let the last line go
without its CR LF (`last_line_open`), report a CR inside a line (`stray_cr`) and drop the MS-DOS end-of-file
mark some banks append (`eof_mark`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kouki.interfaces.fixedwidth.errors import FILE_FIELD, LINE_FIELD
from kouki.interfaces.importing import LineError

CRLF = b"\r\n"


@dataclass(frozen=True)
class Framing:
    record_length: int
    separator: Literal["crlf", "either"] = "crlf"
    lf_reason: str = "改行が CR LF ではありません"
    last_line_open: bool = False
    stray_cr: bool = False
    eof_mark: bool = False

    def length_reason(self, length: int) -> str:
        return f"レコード長が {length} バイトです（{self.record_length} バイト固定）"

    def join(self, records: Iterable[bytes], *, crlf: bool = True) -> bytes:
        end = CRLF if crlf else b""
        return b"".join(record + end for record in records)

    def size_reason(self, size: int) -> str:
        """A file without line separators whose size is not a multiple of the record length."""
        length = self.record_length
        return (
            f"ファイル長 {size} バイトが {length} バイトの倍数ではありません（{size // length + 1} 件目の"
            f"レコードが {size % length} バイトです。途中のレコードに過不足があると以後のレコードがすべて"
            "ずれるため、レコードは読んでいません）"
        )

    def split(self, data: bytes, file_name: str, errors: list[LineError]) -> list[bytes]:
        """The records without their line ends; an empty file is one error (line 0) and no records."""
        if self.eof_mark and data.endswith(b"\x1a"):
            data = data[:-1]
        if not data:
            errors.append(LineError(file_name, 0, FILE_FIELD, "ファイルが空です"))
            return []
        length = self.record_length
        if self.separator == "either" and not (data[length : length + 2] == CRLF or data.endswith(CRLF)):
            if len(data) % length:  # every record after a missing or extra byte is shifted: none is read
                line = len(data) // length + 1
                errors.append(LineError(file_name, line, LINE_FIELD, self.size_reason(len(data))))
                return []
            return [data[i : i + length] for i in range(0, len(data), length)]
        return self._lines(data, file_name, errors)

    def _lines(self, data: bytes, file_name: str, errors: list[LineError]) -> list[bytes]:
        pieces = data.split(b"\n")
        if pieces[-1] == b"":
            pieces.pop()
        open_last = self.last_line_open and not data.endswith(b"\n")
        lines: list[bytes] = []
        for number, piece in enumerate(pieces, start=1):
            if piece.endswith(b"\r"):
                piece = piece[:-1]
            elif not (open_last and number == len(pieces)):
                errors.append(LineError(file_name, number, LINE_FIELD, self.lf_reason))
            if self.stray_cr and b"\r" in piece:
                errors.append(LineError(file_name, number, LINE_FIELD, "行の途中に CR があります"))
            lines.append(piece)
        return lines
