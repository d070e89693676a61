"""The one fixed-width engine of kouki: table-driven CP932 files of fixed-length records.

- fields.py: `Field` (one row of a layout table) and `Kind` (how a kind of field is written and read);
- charset.py: `CP932`, the character set with the checks of each format (strict text, half-width only);
- framing.py: `Framing`, records of a fixed length followed by CR LF or by nothing;
- records.py: `RecordType` (header, data, trailer, end, … by their first byte), `Format` (charset + kinds +
  framing: writes and reads one record) and `read_file` with the format's `Shape` (record order, trailer
  counts and totals);
- errors.py: DumpError, FieldError and the per-line error collector (file, line, field, reason);
- kinds.py, layout.py: the standard format of the union, tax and 住基 files (a `Layout` per file kind).

The other formats are thin definitions on this engine: Zengin (kouki/interfaces/zengin/layout.py) and the
convenience-store report (kouki/interfaces/stores/codec.py). This package exports the standard format.
"""

from kouki.interfaces.fixedwidth.charset import is_private_use
from kouki.interfaces.fixedwidth.errors import FILE_FIELD, LINE_FIELD, DumpError, LineErrors
from kouki.interfaces.fixedwidth.fields import Field
from kouki.interfaces.fixedwidth.framing import CRLF
from kouki.interfaces.fixedwidth.kinds import is_municipality_code, parse_date_text
from kouki.interfaces.fixedwidth.layout import (
    DATA_TYPE,
    HEADER_FIELDS,
    HEADER_TYPE,
    RECORD_TYPE,
    TRAILER_FIELDS,
    TRAILER_TYPE,
    CrossCheck,
    Layout,
    dump,
    layout_table,
    offsets,
    parse,
    standard_format,
    today_tokyo,
)

__all__ = [
    "CRLF",
    "DATA_TYPE",
    "FILE_FIELD",
    "HEADER_FIELDS",
    "HEADER_TYPE",
    "LINE_FIELD",
    "RECORD_TYPE",
    "TRAILER_FIELDS",
    "TRAILER_TYPE",
    "CrossCheck",
    "DumpError",
    "Field",
    "Layout",
    "LineErrors",
    "dump",
    "is_municipality_code",
    "is_private_use",
    "layout_table",
    "offsets",
    "parse",
    "parse_date_text",
    "standard_format",
    "today_tokyo",
]
