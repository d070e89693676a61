"""Record types and the table-driven reading and writing of a fixed-width format.

A `Format` is the part every file kind of a counterpart shares: its character set, its field kinds and its
framing. A `RecordType` is one row of the format's record table: the record-type byte (header '1',
data '2', trailer '8', end '9', …), a title and the fields, the first of which is that byte; the bytes after
the last field are filler (spaces).

`Format.write` makes the bytes of one record; `read_file` cuts a file into records, checks each record's
length, picks its record type by the first byte, decodes and converts every field (at most one error per
field) and checks the filler. What a file's records must look like in sequence — which type comes first,
what a trailer must add up to — is the format's `Shape`, called for every line and at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from kouki.interfaces.encodings import encoding_problem
from kouki.interfaces.fixedwidth.charset import CP932
from kouki.interfaces.fixedwidth.errors import FILE_FIELD, LINE_FIELD, DumpError, FieldError, LineErrors
from kouki.interfaces.fixedwidth.fields import Field, Kinds, placed
from kouki.interfaces.fixedwidth.framing import Framing
from kouki.interfaces.importing import LineError


@dataclass(frozen=True)
class RecordType:
    code: str  # the record-type byte
    title: str
    fields: tuple[Field, ...]  # the first one is the record-type byte itself
    length: int
    filler_checked: bool = True  # the bytes after the last field must be spaces

    def __post_init__(self) -> None:
        if self.used > self.length:
            raise ValueError(f"{self.title}: fields take {self.used} bytes, more than {self.length}")
        if self.fields[0].length != 1 or len(self.code) != 1:
            raise ValueError(f"{self.title}: the first field is the 1-byte record type")

    @property
    def used(self) -> int:
        return sum(f.length for f in self.fields)

    @property
    def filler(self) -> int:
        return self.length - self.used

    def offsets(self) -> list[tuple[Field, int]]:
        """Every field with its 0-based byte offset (the record-type byte at 0)."""
        return placed(self.fields)

    @cached_property
    def body(self) -> tuple[tuple[Field, int], ...]:
        """The fields after the record-type byte, with their offsets."""
        return tuple(placed(self.fields))[1:]


_Step = tuple[Field, int, int, Callable[[Field, Any], str], Callable[[Field, str], Any]]


@dataclass(frozen=True)
class Format:
    charset: CP932
    kinds: Kinds
    framing: Framing
    _steps: dict[int, tuple[RecordType, tuple[_Step, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def steps(self, record: RecordType) -> tuple[_Step, ...]:
        """(field, start, end, write, read) of every field after the type byte, worked out once per record."""
        known = self._steps.get(id(record))
        if known is None or known[0] is not record:
            steps = tuple(
                (f, pos, pos + f.length, self.kinds[f.kind].write, self.kinds[f.kind].read)
                for f, pos in record.body
            )
            known = self._steps[id(record)] = (record, steps)
        return known[1]

    def write(self, record: RecordType, get: Callable[[str], Any], where: str) -> bytes:
        """One record (without its line end): every field after the type byte from get(name), then filler."""
        parts = [record.code]
        fit = self.charset.fit
        for f, _, _, write, _ in self.steps(record):
            try:
                parts.append(fit(f, write(f, get(f.name))))
            except FieldError as exc:
                raise DumpError(f"{where} {f.label}({f.name}): {exc.reason}") from None
        parts.append(" " * record.filler)
        return "".join(parts).encode("cp932")

    def read(self, record: RecordType, body: bytes, out: LineErrors) -> tuple[dict[str, Any], bool]:
        """The fields that decoded and converted, and whether all did; errors go to `out`."""
        charset = self.charset
        try:
            whole: str | None = body.decode("cp932")
        except UnicodeDecodeError:
            whole = None
        if whole is not None and len(whole) != len(body):
            whole = None  # a double-byte character somewhere: decode field by field to say where
        values: dict[str, Any] = {}
        ok = True
        for f, start, end, _, read in self.steps(record):
            try:
                if whole is not None:
                    text = charset.check(f, whole[start:end])
                else:
                    text = charset.decode(f, body[start:end])
                values[f.name] = read(f, text)
            except FieldError as exc:
                out.bad(f.name, exc.reason)
                ok = False
        return values, ok


class Shape(Protocol):
    """The format's rules for a file's sequence of records and its trailer checks."""

    def start(self, line: int, code: str, body: bytes, out: LineErrors) -> None:
        """Every line, before its length is checked."""

    def place(self, line: int, code: str, record: RecordType | None, out: LineErrors) -> bool:
        """A line of the right length: check where its type may stand; False skips reading it."""

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        """A line read (`ok`: every field converted; its filler is checked as field 'filler')."""

    def end(self, line_count: int) -> None:
        """After the last line (not called for an empty file)."""


def read_file(
    fmt: Format,
    records: Mapping[str, RecordType],
    shape: Shape,
    data: bytes,
    file_name: str,
    errors: list[LineError],
) -> int:
    """Read every line into `shape`, collecting every error (sorted by line); the number of lines.

    A file that is not CP932 text at all (UTF-16, UTF-8, binary) is one error for the file, naming the
    encoding, instead of a wrong length on every line."""
    problem = encoding_problem(data, "cp932")
    if problem is not None:
        errors.append(LineError(file_name, 0, FILE_FIELD, problem))
        return 0
    framing = fmt.framing
    lines = framing.split(data, file_name, errors)
    for number, body in enumerate(lines, start=1):
        out = LineErrors(file_name, number, errors)
        code = body[:1].decode("latin-1")
        shape.start(number, code, body, out)
        if len(body) != framing.record_length:
            out.bad(LINE_FIELD, framing.length_reason(len(body)))
            continue
        record = records.get(code)
        if not shape.place(number, code, record, out) or record is None:
            continue
        values, ok = fmt.read(record, body, out)
        if record.filler and record.filler_checked and body[record.used :].strip(b" "):
            out.bad("filler", "予備領域が空白ではありません")
        shape.take(number, record, values, ok, out)
    if lines:
        shape.end(len(lines))
    errors.sort(key=lambda e: e.line)
    return len(lines)
