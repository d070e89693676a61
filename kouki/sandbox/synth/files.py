"""Writing the change-event stream as resident-register files, one per notified day or one per month
(formats owned by kouki.interfaces.resident_register.formats)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from kouki.interfaces.resident_register.record import ResidentChangeRecord
from kouki.sandbox.synth.events import EventDay, EventStream

CITY_CODE = "11100"  # さいたま市 as the sending municipality

FileFormat = Literal["csv", "fixed"]


def event_file_name(day_iso: str, fmt: FileFormat) -> str:
    return f"juki_idou_{day_iso.replace('-', '')}.{'csv' if fmt == 'csv' else 'dat'}"


def write_event_files(stream: EventStream, out_dir: Path, fmt: FileFormat = "csv") -> list[Path]:
    """One file per day of the stream (an empty day gives a file with no data records)."""
    from kouki.interfaces.resident_register.formats import dump_csv, dump_fixed

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for day in stream.days:
        records = list(day.records)
        data = (
            dump_csv(records)
            if fmt == "csv"
            else dump_fixed(records, created_on=day.day, municipality_code=CITY_CODE)
        )
        path = out_dir / event_file_name(day.day.isoformat(), fmt)
        path.write_bytes(data)
        paths.append(path)
    return paths


def monthly_event_files(days: Sequence[EventDay], out_dir: Path) -> dict[date, Path]:
    """The changes of `days` in one CSV file per month, each named for and taken in on the 1st of the
    next month (a monthly delivery instead of a daily one); months without changes get no file."""
    from kouki.interfaces.resident_register.formats import dump_csv

    by_month: dict[date, list[ResidentChangeRecord]] = {}
    for day in days:
        delivery = (day.day.replace(day=1) + timedelta(days=32)).replace(day=1)
        by_month.setdefault(delivery, []).extend(day.records)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for delivery, records in sorted(by_month.items()):
        if records:
            path = out_dir / event_file_name(delivery.isoformat(), "csv")
            path.write_bytes(dump_csv(records))
            paths[delivery] = path
    return paths
