"""The batches' audit of many applications (kouki.applications.batch_marks): one row each up to 50, else one
row per chunk of 2,000 that names every application id, on the same sealed chain."""

from __future__ import annotations

import pytest
from django.db import transaction

from kouki.applications.batch_marks import AUDIT_EACH_UP_TO, CHUNK, audit_applications
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test-batch-marks")


def _marked(count: int) -> list[tuple[int, str, dict[str, object]]]:
    return [(pk, "申請情報", {"no": f"令和7年度第{pk:05d}号"}) for pk in range(count, 0, -1)]  # any order


def test_a_few_applications_get_a_row_each() -> None:
    with transaction.atomic():
        rows = audit_applications(ACTOR, AuditAction.APPLICATION_SEND, _marked(AUDIT_EACH_UP_TO),
                                  common={"file": "a.dat"})  # fmt: skip
    assert rows == AUDIT_EACH_UP_TO
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.target_id for e in entries] == [str(pk) for pk in range(1, AUDIT_EACH_UP_TO + 1)]
    assert entries[0].detail == {"no": "令和7年度第00001号", "file": "a.dat"}
    assert list(verify_chain()) == []


def test_a_file_gets_a_row_per_chunk_naming_every_application() -> None:
    count = CHUNK + 7
    with transaction.atomic():
        rows = audit_applications(
            ACTOR, AuditAction.APPLICATION_DECIDE, _marked(count), common={"file": "b.dat"},
            summary=lambda part: {"first_no": str(part[0][2]["no"])},
        )  # fmt: skip
    assert rows == 2
    first, second = AuditEntry.objects.order_by("seq")
    assert (first.target_id, second.target_id) == (f"1-{CHUNK}", f"{CHUNK + 1}-{count}")
    assert first.detail["ids"] == list(range(1, CHUNK + 1)) and second.detail["ids"] == list(
        range(CHUNK + 1, count + 1))  # fmt: skip
    assert (second.detail["applications"], second.detail["file"], second.detail["first_no"]) == (
        7, "b.dat", f"令和7年度第{CHUNK + 1:05d}号")  # fmt: skip
    assert {e.action for e in (first, second)} == {"application.decide"}
    assert list(verify_chain()) == []
