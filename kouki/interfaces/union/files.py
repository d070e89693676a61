"""File names and kind detection for the files exchanged with the union.

Name: `KOUKI_<kind>_<municipality code>_<YYYYMMDD>.dat`, e.g. `KOUKI_insured-info_11100_20260801.dat`.
The kind is also in the header (ファイル種別), which `detect_kind` reads.
"""

from __future__ import annotations

from datetime import date

from kouki.interfaces.union.layouts import ALL_LAYOUTS

CITY_TO_UNION = ("resident-info", "non-resident-info", "notification-info", "income-info")
UNION_TO_CITY = ("insured-info", "certificate-issue", "address-exception")
_BY_CODE = {layout.file_code: key for key, layout in ALL_LAYOUTS.items()}


def union_file_name(kind: str, municipality_code: str, on: date, serial: int = 0) -> str:
    """The file name for a kind (a key of ALL_LAYOUTS), a municipality and a day (serial > 0 adds -NN)."""
    if kind not in ALL_LAYOUTS:
        raise ValueError(f"unknown union file kind: {kind}")
    suffix = f"-{serial:02d}" if serial else ""
    return f"KOUKI_{kind}_{municipality_code}_{on:%Y%m%d}{suffix}.dat"


def detect_kind(data: bytes) -> str | None:
    """The kind key from the header's ファイル種別 (bytes 15–16), or None when it is not a union file."""
    if len(data) < 23 or data[:1] != b"1":
        return None
    return _BY_CODE.get(data[14:16].decode("latin-1"))
