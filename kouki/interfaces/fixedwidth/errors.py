"""What the fixed-width engine reports: DumpError when writing, LineError(file, line, field, reason) when
reading. A reason never repeats the value of a field that may hold a personal number or a barcode."""

from __future__ import annotations

from kouki.interfaces.importing import LineError

LINE_FIELD = "(レコード)"  # the field named by an error about a whole line (length, line end)
FILE_FIELD = "(ファイル)"  # the field named by an error about the whole file (line 0)


class DumpError(ValueError):
    """A value that cannot be written in its layout. The message names record and field, never a number."""


class FieldError(ValueError):
    """Why one field cannot be read or written (the engine adds file, line and field)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LineErrors:
    """The errors of one line, appended to the file's list: `bad` keeps the first per field, `add` all."""

    __slots__ = ("errors", "failed", "file_name", "line")

    def __init__(self, file_name: str, line: int, errors: list[LineError]) -> None:
        self.file_name = file_name
        self.line = line
        self.errors = errors
        self.failed: set[str] = set()

    def bad(self, name: str, reason: str) -> None:
        if name not in self.failed:
            self.failed.add(name)
            self.errors.append(LineError(self.file_name, self.line, name, reason))

    def add(self, name: str, reason: str) -> None:
        self.errors.append(LineError(self.file_name, self.line, name, reason))
