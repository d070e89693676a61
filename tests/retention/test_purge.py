"""The retention purge with a moved clock (issue 15 §5; SEC-22, SEC-31, DATA-02; 番号法施行令30条).

Records just before and just after each cut-off; a dry run changes nothing; the purge deletes exactly the
expired ones, audits counts only, seals the audit chain first, and `kouki audit verify` passes afterwards;
a kind whose period no source gives is never purged until the installation sets it.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kouki.accounts.models import StaffUser
from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.eligibility.models import OutboundFile
from kouki.inquiries.models import InquiryRecord, InquiryResult
from kouki.interfaces.models import ImportRecord
from kouki.privacy.context import Actor
from kouki.privacy.models import Alert, AuditEntry
from kouki.retention.periods import RetentionConfigError
from kouki.retention.plan import retention_plan
from kouki.retention.purge import PurgeRefused, purge_expired

from .conftest import alert, clock, import_record, inquiry_record, local, outbound_file, table_counts

pytestmark = pytest.mark.django_db
ACTOR = Actor(username="ops.kimura", terminal_id="cli-test")
NOW = local(2033, 6, 15, 10, 0)  # the seven-year cut-off is 2026-06-15 (00:00 in Tokyo)


def purges() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.RETENTION_PURGE.value).order_by("seq"))


def test_inquiry_records_are_deleted_after_seven_years_and_not_a_day_before(
        clerk: StaffUser, checkpoint_file: Path) -> None:
    expired = inquiry_record(clerk, local(2026, 6, 14, 23, 59), with_result=True)
    kept = inquiry_record(clerk, local(2026, 6, 15, 0, 0), with_result=True)
    with clock(NOW - timedelta(days=1)):  # 2033-06-14: the first record's seventh anniversary
        purge_expired(actor=ACTOR)
    assert InquiryRecord.objects.count() == 2 and purges() == []
    with clock(NOW):
        report = purge_expired(actor=ACTOR)
    assert list(InquiryRecord.objects.values_list("pk", flat=True)) == [kept]
    assert not InquiryResult.objects.filter(record_id=expired).exists()  # its result went first (PROTECT)
    assert InquiryResult.objects.filter(record_id=kept).exists()  # KOUKI_INQUIRY_RESULT_DAYS unset: kept
    assert report.deleted["inquiry_records"] == {"inquiries.InquiryRecord": 1, "inquiries.InquiryResult": 1}
    (row,) = purges()
    assert row.detail == {"kind": "inquiry_records", "period": "7y", "cutoff": "2026-06-15",
                          "deleted": {"inquiries.InquiryRecord": 1, "inquiries.InquiryResult": 1},
                          "kept_referenced": 0}
    assert row.actor == ACTOR.username and row.target_id == "inquiry_records"


def test_a_kind_without_a_period_is_never_purged_until_it_is_set(
        clerk: StaffUser, checkpoint_file: Path, settings: Any) -> None:
    old_ack = alert(local(2020, 1, 1, 9, 0), local(2019, 12, 1, 9, 0))
    open_old = alert(None, local(2019, 12, 1, 9, 0))  # never acknowledged: never purged
    rejected = import_record(local(2020, 1, 1, 9, 0))
    applied = import_record(local(2020, 1, 1, 9, 0), status="applied")
    with clock(NOW):
        plan = {p.kind.key: p for p in retention_plan()}
        assert plan["alerts"].status == plan["import_rejections"].status == "not_configured"
        purge_expired(actor=ACTOR)
    assert Alert.objects.count() == 2 and ImportRecord.objects.count() == 2
    settings.KOUKI_RETENTION = "alerts=3y, import_rejections=400d"
    with clock(NOW):
        report = purge_expired(actor=ACTOR)
    assert list(Alert.objects.values_list("pk", flat=True)) == [open_old]
    assert list(ImportRecord.objects.values_list("pk", flat=True)) == [applied]
    assert report.deleted["alerts"] == {"privacy.Alert": 1}
    assert {r.detail["kind"] for r in purges()} == {"alerts", "import_rejections"}
    assert old_ack != open_old and rejected != applied


def test_the_newest_union_file_record_of_each_kind_stays_whatever_its_age(
        checkpoint_file: Path, settings: Any) -> None:
    settings.KOUKI_RETENTION = "union_files=5y"
    old = outbound_file("juki", local(2020, 4, 1, 9, 0))
    newest_juki = outbound_file("juki", local(2021, 4, 1, 9, 0))  # expired, but the watermark
    recent = outbound_file("tax", local(2030, 4, 1, 9, 0))
    with clock(NOW):
        purge_expired(actor=ACTOR)
    assert set(OutboundFile.objects.values_list("pk", flat=True)) == {newest_juki, recent}
    assert old not in OutboundFile.objects.values_list("pk", flat=True)


def test_a_row_another_record_points_at_is_kept_and_counted(checkpoint_file: Path, settings: Any) -> None:
    from factories import make_person, make_staff

    from kouki.accounts.permissions import Role
    from kouki.jukinet.models import Lookup
    from kouki.notifications.models import Notification

    settings.KOUKI_RETENTION = "jukinet_lookups=1y"
    user = make_staff(Role.NUMBER_CLERK, username="clerk.abe").user
    at = local(2020, 5, 1, 10, 0)

    def lookup() -> Lookup:
        return Lookup.objects.create(user=user, username=user.username, at=at, terminal_id="T-1",
                                     screen="届出", purpose_code="identity", purpose="本人確認",
                                     search_kind="four_items", hit_count=1)

    referenced, free = lookup(), lookup()
    person = make_person(addressee_no="000900001")
    Notification.objects.create(
        person=person, notification_type="move_in", effective_date=at.date(), received_on=at.date(),
        stated_kana="ヤマダ タロウ", stated_birth_date=at.date(),
        applicant="self", resident_network_checked=True, resident_network_lookup=referenced,
        identity_summary="住基ネット", entered_by=user, entered_at=at)
    with clock(NOW):
        (plan,) = [p for p in retention_plan() if p.kind.key == "jukinet_lookups"]
        assert (plan.total, plan.kept_referenced) == (1, 1)
        report = purge_expired(actor=ACTOR)
    assert list(Lookup.objects.values_list("pk", flat=True)) == [referenced.pk]
    assert report.kept_referenced["jukinet_lookups"] == 1 and free.pk != referenced.pk
    assert purges()[-1].detail["kept_referenced"] == 1


def test_a_dry_run_changes_nothing(clerk: StaffUser, checkpoint_file: Path, settings: Any,
                                   tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    sent = outbox / "KOUKI_juki.dat"
    sent.write_bytes(b"x")
    old = local(2030, 1, 1, 9, 0).timestamp()
    os.utime(sent, (old, old))
    settings.KOUKI_RETENTION = "alerts=1y,outbox_files=30d,import_rejections=30d"
    settings.KOUKI_OUTBOX_DIRS = str(outbox)
    inquiry_record(clerk, local(2020, 1, 1, 9, 0), with_result=True)
    alert(local(2020, 1, 1, 9, 0), local(2020, 1, 1, 9, 0))
    import_record(local(2020, 1, 1, 9, 0))
    before, seq = table_counts(), AuditEntry.objects.count()
    with clock(NOW):
        report = purge_expired(actor=ACTOR, dry_run=True)
    totals = {p.kind.key: p.total for p in report.plan if p.status == "purge"}
    assert totals["inquiry_records"] == 1 and totals["alerts"] == 1 and totals["outbox_files"] == 1
    assert table_counts() == before and AuditEntry.objects.count() == seq and sent.exists()
    assert checkpoint_file.exists() is False  # not even a checkpoint
    with clock(NOW):
        purge_expired(actor=ACTOR)
    assert not sent.exists()
    files_row = AuditEntry.objects.get(action=AuditAction.RETENTION_FILES_PURGE.value)
    assert files_row.detail == {"kind": "outbox_files", "period": "30d", "cutoff": "2033-05-16",
                                "deleted": 1, "failed": 0}


def test_the_audit_rows_carry_counts_only_and_verify_passes_after_the_purge(
        clerk: StaffUser, checkpoint_file: Path, settings: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings.KOUKI_RETENTION = "alerts=1y,person_views=1y"
    ids = [inquiry_record(clerk, local(2025, 1, day, 9, 0)) for day in (1, 2, 3)]
    alert(local(2020, 1, 1, 9, 0), local(2020, 1, 1, 9, 0))
    with clock(NOW):
        purge_expired(actor=ACTOR, batch_size=2)  # three records in two batches
    rows = purges()
    assert {r.detail["kind"] for r in rows} == {"inquiry_records", "alerts"}
    for row in rows:
        assert set(row.detail) == {"kind", "period", "cutoff", "deleted", "kept_referenced"}
        assert all(isinstance(n, int) for n in row.detail["deleted"].values())
        assert not any(str(i) in str(row.detail["deleted"]) for i in ids if i > 9)
    assert InquiryRecord.objects.count() == 0
    checkpoint = AuditEntry.objects.filter(action=AuditAction.AUDIT_CHECKPOINT.value).order_by("seq").first()
    assert checkpoint is not None and checkpoint.seq < rows[0].seq  # sealed before anything was deleted
    assert checkpoint_file.read_text().count("\n") == 1
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out


def test_the_purge_refuses_without_a_checkpoint_file_and_deletes_nothing(clerk: StaffUser) -> None:
    inquiry_record(clerk, local(2020, 1, 1, 9, 0))
    with clock(NOW), pytest.raises(PurgeRefused, match="KOUKI_AUDIT_CHECKPOINT_FILE"):
        purge_expired(actor=ACTOR)
    assert InquiryRecord.objects.count() == 1 and purges() == []


@pytest.mark.parametrize(("setting", "reason"), [
    ("inquiry_records=6y", "shorter than the 7年"),
    ("inquiry_records=2000d", "shorter than the 7年"),
    ("audit_log=10y", "never purged"),
    ("personal_numbers=5y", "never purged"),
    ("inquiry_results=30d", "KOUKI_INQUIRY_RESULT_DAYS"),
    ("receipts=3y", "no kind of record"),
    ("alerts=3", "not a period"),
])
def test_a_setting_the_registry_refuses_stops_the_purge(
        setting: str, reason: str, clerk: StaffUser, checkpoint_file: Path, settings: Any) -> None:
    inquiry_record(clerk, local(2020, 1, 1, 9, 0))
    settings.KOUKI_RETENTION = setting
    with clock(NOW), pytest.raises(RetentionConfigError, match=reason):
        purge_expired(actor=ACTOR)
    assert InquiryRecord.objects.count() == 1 and purges() == []


def test_a_longer_period_for_inquiry_records_is_taken(clerk: StaffUser, checkpoint_file: Path,
                                                      settings: Any) -> None:
    settings.KOUKI_RETENTION = "inquiry_records=10y"
    inquiry_record(clerk, local(2024, 1, 1, 9, 0))
    with clock(NOW):
        purge_expired(actor=ACTOR)
    assert InquiryRecord.objects.count() == 1


def test_inquiry_results_go_through_their_own_purge(clerk: StaffUser, checkpoint_file: Path,
                                                    settings: Any) -> None:
    settings.KOUKI_INQUIRY_RESULT_DAYS = "30"
    old = inquiry_record(clerk, NOW - timedelta(days=31), with_result=True)
    new = inquiry_record(clerk, NOW - timedelta(days=29), with_result=True)
    with clock(NOW):
        (plan,) = [p for p in retention_plan() if p.kind.key == "inquiry_results"]
        assert plan.total == 1
        report = purge_expired(actor=ACTOR)
    assert list(InquiryResult.objects.values_list("record_id", flat=True)) == [new]
    assert InquiryRecord.objects.filter(pk=old).exists()  # the 情報提供等記録 stays 7 years
    assert report.deleted["inquiry_results"] == {"inquiries.InquiryResult": 1}
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_RESULTS_PURGE.value).count() == 1


def test_the_purge_seals_only_when_it_deletes_and_never_over_a_head_already_sealed(
        clerk: StaffUser, checkpoint_file: Path) -> None:
    from kouki.privacy.checkpoint import sealed_at_head, write_checkpoint

    def seals() -> int:
        return AuditEntry.objects.filter(action=AuditAction.AUDIT_CHECKPOINT.value).count()

    inquiry_record(clerk, local(2020, 1, 1, 9, 0))
    with clock(NOW):
        purge_expired(actor=ACTOR)
        assert seals() == 1 and sealed_at_head() is False  # the purge's rows came after its checkpoint
        purge_expired(actor=ACTOR)  # nothing left to delete: no checkpoint, no row
    assert seals() == 1 and len(purges()) == 1
    inquiry_record(clerk, local(2020, 1, 2, 9, 0))
    with clock(NOW):
        write_checkpoint(actor=ACTOR)  # as a purge killed after its checkpoint leaves the chain
        assert sealed_at_head() is True
        purge_expired(actor=ACTOR)
    assert seals() == 2 and len(purges()) == 2 and InquiryRecord.objects.count() == 0
    assert checkpoint_file.read_text().count("\n") == 2
