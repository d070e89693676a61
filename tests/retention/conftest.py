"""Records of each kind at chosen moments, a clock under the test's control, a checkpoint file (issue 15 §5).

Every record is synthetic (tests/factories.py people and staff); the moments are set on the rows directly,
as a record written that long ago would carry them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone
from factories import make_person, make_staff

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.retention.registry import KINDS

_serial = itertools.count(1)


def local(*parts: int) -> datetime:
    """An aware datetime in the city's time zone (Asia/Tokyo)."""
    return datetime(*parts, tzinfo=timezone.get_default_timezone())


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """timezone.now() — and so localdate(), the audit rows, the checkpoint — at a moment of the test's."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def checkpoint_file(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "checkpoints"
    folder.mkdir(mode=0o700)
    path = folder / "audit-checkpoints.jsonl"
    settings.KOUKI_AUDIT_CHECKPOINT_FILE = str(path)
    return path


@pytest.fixture
def clerk(db: None) -> StaffUser:
    return make_staff(Role.INQUIRY_CLERK, username="inquiry.ono").user


def inquiry_record(user: StaffUser, at: datetime, *, with_result: bool = False) -> int:
    from kouki.inquiries.models import InquiryRecord, InquiryResult

    n = next(_serial)
    record = InquiryRecord.objects.create(
        person=make_person(addressee_no=f"0007{n:05d}"), kind="pension", inquirer="さいたま市",
        provider="日本年金機構", jimu="後期高齢者医療", item="年金給付関係情報", basis="番号法",
        request_id=f"REQ-{n:06d}", status="provided", requested_at=at, provided_at=at, user=user,
        username=user.username, terminal_id="T-01", screen="test", purpose_code="move_in", purpose="転入",
        retain_until=date(at.year + 7, at.month, min(at.day, 28)))
    if with_result:
        InquiryResult.objects.create(record=record, sealed=b"sealed", received_at=at)
    return record.pk


def alert(at_ack: datetime | None, raised: datetime) -> int:
    from kouki.privacy.models import Alert

    return Alert.objects.create(kind="reveal_burst", username="x", window_start=raised, window_end=raised,
                                count=3, raised_at=raised, acknowledged_at=at_ack,
                                acknowledgement_note="確認済" if at_ack else "").pk


def import_record(at: datetime, status: str = "rejected") -> int:
    from kouki.interfaces.models import ImportRecord

    n = next(_serial)
    return ImportRecord.objects.create(kind="tax_income", file_name=f"tax-{n}.dat", sha256=f"{n:064d}",
                                       status=status, line_count=3, imported_at=at, imported_by="ops").pk


def outbound_file(kind: str, at: datetime) -> int:
    from kouki.eligibility.models import OutboundFile

    n = next(_serial)
    return OutboundFile.objects.create(kind=kind, run_date=at.date(), file_name=f"{kind}-{n}.dat",
                                       record_count=1, sha256=f"{n:064d}", created_at=at, created_by="ops").pk


def table_counts() -> dict[str, int]:
    """Rows in every table a kind names, with their children: what a dry run must leave as it was."""
    targets = [t for k in KINDS for t in k.targets]
    labels = {t.model for t in targets} | {c for t in targets for c, _ in t.children}
    return {label: apps.get_model(label)._default_manager.count() for label in sorted(labels)}
