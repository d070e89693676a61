"""Breakage generators for the import corpus (issue 16 §4): each takes a valid sample file and breaks it
one way, saying which line and field the rejection must name.

A `Sample` is one valid file of one format with the spots its format-specific breakages patch (a trailer
count, a check digit, a 宛名番号 nobody has, a bad value in one record); the generic breakages (encoding,
truncation, length, empty, binary, overlong line) need only the bytes and where the data records are.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kouki.interfaces.encodings import Expected
from kouki.interfaces.fixedwidth.fields import placed
from kouki.interfaces.fixedwidth.records import RecordType

CRLF = b"\r\n"


@dataclass(frozen=True)
class Broken:
    data: bytes
    line: int | None  # the line the message must name; None: the file as a whole (any line, or none)
    field: str | None = None  # the field the message must name; None: any
    reason: str | None = None  # a word the reason must hold; None: any


Mutant = Callable[[], Broken]


@dataclass
class Sample:
    """One valid file of one format, as `kouki import <command>` takes it in."""

    command: str
    file_name: str
    data: bytes
    encoding: Expected
    first_data_line: int
    last_data_line: int
    count_mismatch: Mutant | None  # None: the format has no header/trailer count (the CSV variant)
    bad_record: Mutant  # one record broken among good ones
    check_digit: Mutant | None = None  # None: the format carries no check digit (named in the docs)
    unknown: dict[str, Mutant] = field(default_factory=dict)  # per change code needing a known person
    unseparated: int | None = None  # record length of a Zengin file without line separators


# ---------------------------------------------------------------- lines of a file


def lines_of(data: bytes, record_length: int | None = None) -> tuple[list[bytes], bytes]:
    """The lines without their ends, and the line end (b'' for a Zengin file without separators)."""
    if record_length and data[record_length : record_length + 2] != CRLF and not data.endswith(CRLF):
        return [data[i : i + record_length] for i in range(0, len(data), record_length)], b""
    pieces = data.split(CRLF)
    if pieces and pieces[-1] == b"":
        pieces.pop()
    return pieces, CRLF


def join(lines: list[bytes], end: bytes) -> bytes:
    return b"".join(line + end for line in lines)


def patch_fixed(
    data: bytes, records: Mapping[str, RecordType], line: int, name: str, value: bytes
) -> bytes:
    """Overwrite field `name` of 1-based `line` (of the record type the line's first byte names); a shorter
    value is padded with spaces to the field's width."""
    first = next(iter(records.values()))
    lines, end = lines_of(data, first.length)
    body = lines[line - 1]
    record = records[body[:1].decode("ascii")]
    for f, offset in placed(record.fields):
        if f.name == name:
            assert len(value) <= f.length, (name, len(value), f.length)
            lines[line - 1] = body[:offset] + value.ljust(f.length, b" ") + body[offset + f.length :]
            return join(lines, end)
    raise KeyError(name)


def field_of(data: bytes, records: Mapping[str, RecordType], line: int, name: str) -> bytes:
    first = next(iter(records.values()))
    body = lines_of(data, first.length)[0][line - 1]
    record = records[body[:1].decode("ascii")]
    for f, offset in placed(record.fields):
        if f.name == name:
            return body[offset : offset + f.length]
    raise KeyError(name)


def patch_csv(data: bytes, line: int, column: str, value: str) -> bytes:
    """Overwrite a column of 1-based `line` of a UTF-8 CSV (line 1 the header, a BOM kept)."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    rows = list(csv.reader(io.StringIO(data[len(bom) :].decode("utf-8"), newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return bom + out.getvalue().encode("utf-8")


def wrong_check_digit(number: bytes) -> bytes:
    """The same number with its last digit (the check digit) changed."""
    return number[:-1] + str((int(number[-1:]) + 1) % 10).encode()


# ---------------------------------------------------------------- the breakages


def _lines(sample: Sample) -> tuple[list[bytes], bytes]:
    return lines_of(sample.data, sample.unseparated)


def wrong_encoding(sample: Sample) -> Broken:
    """UTF-8 where CP932 is expected, or a CP932 CSV where UTF-8 is expected."""
    if sample.encoding == "cp932":
        data = sample.data.decode("cp932").encode("utf-8")
        if data.isascii():  # a format of digits and letters only: UTF-8 as Windows saves it, with its BOM
            data = codecs.BOM_UTF8 + data
        word = "UTF-8"
    else:
        data = sample.data.removeprefix(b"\xef\xbb\xbf").decode("utf-8").encode("cp932")
        word = "CP932"
    assert data != sample.data, "the sample has no character outside ASCII"
    return Broken(data, None, None, word)


def utf16(sample: Sample) -> Broken:
    text = sample.data.decode(sample.encoding if sample.encoding == "cp932" else "utf-8-sig")
    return Broken(text.encode("utf-16"), None, None, "UTF-16")


def truncated(sample: Sample) -> Broken:
    """The file ends in the middle of its last data record."""
    lines, end = _lines(sample)
    last = sample.last_data_line
    head = join(lines[: last - 1], end)
    return Broken(head + lines[last - 1][: len(lines[last - 1]) // 2], last)


def wrong_length(sample: Sample) -> Broken:
    """One data record one byte short (fixed width) or one column short (CSV)."""
    lines, end = _lines(sample)
    line = sample.first_data_line
    body = lines[line - 1]
    if sample.encoding == "utf-8":
        lines[line - 1] = body.rsplit(b",", 1)[0]
    elif end:
        lines[line - 1] = body[:-1]
    else:  # no separators: one record one byte short shifts every later record
        lines[line - 1] = body[:-1]
    return Broken(join(lines, end), line if end else None)


def empty(sample: Sample) -> Broken:
    return Broken(b"", None, None, "空")


def binary(sample: Sample) -> Broken:
    data = random.Random(16).randbytes(max(len(sample.data), 256))
    return Broken(data, None)


def overlong_line(sample: Sample) -> Broken:
    """One data line 100,000 bytes longer than a record."""
    lines, end = _lines(sample)
    line = sample.first_data_line
    lines[line - 1] = lines[line - 1] + b"9" * 100_000
    return Broken(join(lines, end), line if end else None)


GENERIC: dict[str, Callable[[Sample], Broken]] = {
    "wrong-encoding": wrong_encoding,
    "utf-16": utf16,
    "truncated-record": truncated,
    "wrong-length": wrong_length,
    "empty-file": empty,
    "binary-garbage": binary,
    "overlong-line": overlong_line,
}
SPECIFIC = ("count-mismatch", "bad-check-digit", "one-bad-record")


def specific(sample: Sample, name: str) -> Broken | None:
    """A format-specific breakage, or None when the format has nothing of that kind."""
    if name == "count-mismatch":
        return sample.count_mismatch() if sample.count_mismatch else None
    if name == "one-bad-record":
        return sample.bad_record()
    if name == "bad-check-digit":
        return sample.check_digit() if sample.check_digit else None
    raise KeyError(name)
