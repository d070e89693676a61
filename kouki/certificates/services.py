"""Writes of the certificates app: batch issue, counter issue, hand-over, undeliverable return, re-send.

Each function is one transaction with its audit rows. PDFs are rendered before the transaction (a
batch can take minutes) and removed again if the transaction fails, so a failed run leaves nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kouki.addressees.selectors import person_as_of
from kouki.certificates.models import (
    CertificateBatch,
    CertificateHandover,
    CertificateIssue,
    HandoverMethod,
    IssueStatus,
    Kind,
    Reason,
    Recipient,
    ReturnReason,
    UndeliverableReturn,
)
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked
from kouki.core.faults import fault_point
from kouki.core.outbox import fsync_dir, write_whole
from kouki.documents.data import CertificateData, default_insurer_name
from kouki.documents.render import DEFAULT_PART_SIZE, file_stem, render_batch, render_pdf
from kouki.eligibility.models import CertificateRequest
from kouki.eligibility.selectors import certificate_requests_pending, insured_period_on
from kouki.eligibility.services import certificate_request_mark_issued, certificate_requests_mark_issued
from kouki.privacy.audit import AuditItem, audit_record, audit_record_many, digest_for_audit
from kouki.privacy.context import Actor

RENEWAL_MONTH_DAY = (7, 31)  # 資格確認書 expire on July 31 (the yearly renewal is on August 1)


class CertificateError(ValueError):
    """An issue, hand-over or return that cannot be done; the message is for the screen (Japanese)."""


def data_from_request(request: CertificateRequest, insurer_name: str = "") -> CertificateData:
    return CertificateData(
        addressee_no=request.person.addressee_no, insured_no=request.insured_no,
        insurer_no=request.insurer_no,
        insurer_name=insurer_name or default_insurer_name(), family_name=request.family_name,
        given_name=request.given_name, family_name_kana=request.family_name_kana,
        given_name_kana=request.given_name_kana, sex=request.sex, birth_date=request.birth_date,
        postal_code=request.postal_code, address=request.address, acquired_on=request.acquired_on,
        copay_rate=request.copay_rate, valid_from=request.valid_from, valid_until=request.valid_until,
        issued_on=request.issued_on, limit_category=request.limit_category,
    )


def gather_pending() -> list[tuple[CertificateRequest, CertificateData]]:
    """Every pending request with what it prints, in mailing order (postal code, address, addressee)."""
    insurer = default_insurer_name()
    pairs = [(r, data_from_request(r, insurer))
             for r in certificate_requests_pending().select_related("person").iterator(chunk_size=5000)]
    pairs.sort(key=lambda p: (p[1].postal_code, p[1].address, p[1].addressee_no))
    return pairs


def next_expiry(on: date) -> date:
    """The first July 31 on or after a date: the end of the certificate year."""
    month, day = RENEWAL_MONTH_DAY
    end = date(on.year, month, day)
    return end if end >= on else date(on.year + 1, month, day)


def _replace_earlier(issue: CertificateIssue) -> int:
    """Earlier issues of the same person and kind whose validity overlaps the new one become reissued."""
    earlier = CertificateIssue.objects.filter(
        Q(valid_until__gte=issue.valid_from) & Q(valid_from__lte=issue.valid_until),
        person_id=issue.person_id, kind=issue.kind, replaced_by__isnull=True,
    ).exclude(pk=issue.pk).exclude(status=IssueStatus.REISSUED)
    return earlier.update(status=IssueStatus.REISSUED, replaced_by=issue)


def _replace_earlier_many(issues: Sequence[CertificateIssue], chunk: int = 2000) -> int:
    """_replace_earlier for a whole batch with one query per chunk of people instead of one per issue."""
    new_by_key = {(i.person_id, i.kind): i for i in issues}
    ids = sorted({i.person_id for i in issues})
    new_pks = {i.pk for i in issues}
    replaced = 0
    for part in chunked(ids, chunk):
        earlier = CertificateIssue.objects.filter(
            person_id__in=part, replaced_by__isnull=True,
        ).exclude(status=IssueStatus.REISSUED).only("pk", "person_id", "kind", "valid_from", "valid_until")
        for old in earlier:
            new = new_by_key.get((old.person_id, old.kind))
            if (new is None or old.pk in new_pks or old.valid_until < new.valid_from
                    or old.valid_from > new.valid_until):
                continue
            CertificateIssue.objects.filter(pk=old.pk).update(status=IssueStatus.REISSUED, replaced_by=new)
            replaced += 1
    return replaced


@dataclass(frozen=True)
class BatchResult:
    batch: CertificateBatch
    files: list[Path]
    issued: int
    by_kind: dict[str, int] = field(default_factory=dict)  # Kind value → documents issued


Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


STAGING_SUFFIX = ".tmp"


def certificate_batch_issue(*, actor: Actor, out_dir: Path, workers: int | None = None,
                            part_size: int = DEFAULT_PART_SIZE,
                            progress: Progress | None = None) -> BatchResult | None:
    """Issue every pending 資格確認書発行用情報 request: PDFs in out_dir/batch-<id>/, records, audit.

    One PDF per document kind (more parts when a kind exceeds part_size pages), in mailing order.
    Returns None when nothing is pending. `progress` is told each step (for `kouki certificates batch`).
    """
    say = progress or _silent
    _remove_unrecorded_batches(out_dir, say)
    pairs = gather_pending()
    say(f"発行対象: {len(pairs)}件")
    if not pairs:
        return None
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    batch_dir = out_dir / f"batch-{stamp}"
    if batch_dir.exists():
        raise CertificateError(f"出力先 {batch_dir} は既にあります")
    staging = out_dir / f".{batch_dir.name}{STAGING_SUFFIX}"  # hidden until the rows commit
    by_kind: dict[Kind, list[tuple[CertificateRequest, CertificateData]]] = {}
    for pair in pairs:
        by_kind.setdefault(Kind(pair[0].kind), []).append(pair)
    rendered: list[tuple[Kind, list[tuple[CertificateRequest, CertificateData]], Path, str, int, int]] = []
    try:
        for kind, group in sorted(by_kind.items()):
            say(f"{kind.label}: {len(group)}件を作成中")
            files = render_batch(kind.value, [d for _r, d in group], staging, file_stem(kind.value),
                                 workers=workers, part_size=part_size)
            rendered.extend((kind, group[f.first_index:f.first_index + f.pages], batch_dir / f.path.name,
                             f.sha256, f.pages, f.first_index) for f in files)
            say(f"{kind.label}: {len(files)}ファイル作成済み")
        say("発行記録を登録中")
        batch = _record_batch(actor, batch_dir, rendered, staging)
    except BaseException:
        if staging.exists():
            shutil.rmtree(staging)
        raise
    fault_point("after-commit", batch_dir.name)
    written = [path for _k, _g, path, *_rest in rendered]
    return BatchResult(batch=batch, files=written, issued=len(pairs),
                       by_kind={k.value: len(group) for k, group in sorted(by_kind.items())})


def _remove_unrecorded_batches(out_dir: Path, say: Progress) -> None:
    """What a crash left in out_dir: hidden staging folders, and a batch folder renamed just before a
    commit that did not happen (no CertificateBatch names it: its documents were never issued; this run
    issues the same requests again). Both are removed, so a re-run leaves exactly one folder per batch."""
    if not out_dir.is_dir():
        return
    recorded = {Path(p).name for p in CertificateBatch.objects.values_list("out_dir", flat=True)}
    for folder in sorted(out_dir.iterdir()):
        staged = folder.name.startswith(".batch-") and folder.name.endswith(STAGING_SUFFIX)
        orphan = folder.name.startswith("batch-") and folder.name not in recorded
        if folder.is_dir() and (staged or orphan):
            say(f"前回中断した一括発行の未登録フォルダを削除します: {folder.name}")
            shutil.rmtree(folder)


def _record_batch(actor: Actor, batch_dir: Path,
                  rendered: Sequence[tuple[Kind, list[tuple[CertificateRequest, CertificateData]], Path, str,
                                           int, int]], staging: Path) -> CertificateBatch:
    """The rows of the batch, committed only once its folder is under its final name (renamed from the
    hidden staging folder inside the transaction, like kouki.core.outbox.outgoing_files)."""
    with transaction.atomic():
        now = timezone.now()
        first_issue_date = min(d.issued_on for _k, group, *_rest in rendered for _r, d in group)
        batch = CertificateBatch.objects.create(
            issued_on=first_issue_date, out_dir=str(batch_dir), created_at=now, created_by=actor.username,
            issue_count=sum(len(group) for _k, group, *_rest in rendered),
            files=[{"name": path.name, "kind": kind.value, "sha256": digest_for_audit(sha), "pages": pages}
                   for kind, _g, path, sha, pages, _first in rendered],
        )
        issues: list[CertificateIssue] = []
        requests: list[CertificateRequest] = []
        for kind, group, path, sha, _pages, _first in rendered:
            for page, (request, data) in enumerate(group, start=1):
                issues.append(CertificateIssue(
                    person_id=request.person_id, kind=kind.value, reason=request.reason,
                    insured_no=data.insured_no, valid_from=data.valid_from, valid_until=data.valid_until,
                    issued_on=data.issued_on, batch=batch, request_id=request.pk, file_name=path.name,
                    page_no=page, sha256=sha, printed=data.to_snapshot(), issued_by=actor.username,
                    created_at=now,
                ))
                requests.append(request)
        created = CertificateIssue.objects.bulk_create(issues, batch_size=2000)
        _replace_earlier_many(created)
        pairs = [(request.pk, issue.pk) for issue, request in zip(created, requests, strict=True)]
        certificate_requests_mark_issued(actor=actor, issued=pairs)
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_BATCH_ISSUE,
                     target_type=AuditTarget.CERTIFICATE_BATCH, target_id=str(batch.pk),
                     detail={"issues": len(created), "files": batch.files})
        audit_record_many(actor=actor, items=[
            AuditItem(action=AuditAction.CERTIFICATES_ISSUE, target_type=AuditTarget.ADDRESSEES_PERSON,
                      target_id=str(i.person_id),
                      detail={"issue_id": i.pk, "kind": i.kind, "reason": i.reason, "batch_id": batch.pk})
            for i in created
        ])
        fault_point("before-rename", batch_dir.name)
        os.replace(staging, batch_dir)
        fsync_dir(batch_dir.parent)
        fault_point("before-commit", batch_dir.name)
        return batch


def single_issue_data(*, person_id: int, on: date, limit_category: str = "") -> CertificateData:
    """What a counter issue for a person prints on a date, from the registry and the insured period."""
    period = insured_period_on(person_id, on)
    if period is None:
        raise CertificateError("基準日に被保険者資格がありません")
    version = person_as_of(person_id, on)
    if version is None:
        raise CertificateError("基準日の宛名の記録がありません")
    valid_until = next_expiry(on)
    if period.lost_on is not None and period.lost_on <= valid_until:
        valid_until = date.fromordinal(period.lost_on.toordinal() - 1)
    return CertificateData(
        addressee_no=version.person.addressee_no, insured_no=period.insured_no, insurer_no=period.insurer_no,
        insurer_name=default_insurer_name(), family_name=version.family_name, given_name=version.given_name,
        family_name_kana=version.family_name_kana, given_name_kana=version.given_name_kana, sex=version.sex,
        birth_date=version.birth_date, postal_code=version.postal_code, address=version.address,
        acquired_on=period.acquired_on, copay_rate=period.copay_rate, valid_from=on, valid_until=valid_until,
        issued_on=on, limit_category=limit_category,
    )


def certificate_issue_single(*, actor: Actor, person_id: int, kind: str, reason: str, on: date,
                             limit_category: str = "", out_dir: Path | None = None) -> CertificateIssue:
    """Issue one document at the counter (application, re-issue after loss, change of entries).

    A pending union request for the same person and kind is used (and marked issued) when there is one;
    otherwise the data come from the registry and the insured period on `on`. Earlier documents of the
    same kind still valid become 再交付により無効. With out_dir the PDF is also written there.
    """
    kind = Kind(kind).value
    reason = Reason(reason).value
    request = certificate_requests_pending().filter(person_id=person_id, kind=kind).select_related(
        "person").last()
    if request is not None:
        data = data_from_request(request)
        if limit_category and not data.limit_category:
            data = CertificateData(**{**data.__dict__, "limit_category": limit_category})
    else:
        data = single_issue_data(person_id=person_id, on=on, limit_category=limit_category)
    pdf = render_pdf(kind, [data])
    sha = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        issue = CertificateIssue.objects.create(
            person_id=person_id, kind=kind, reason=reason, insured_no=data.insured_no,
            valid_from=data.valid_from, valid_until=data.valid_until, issued_on=data.issued_on,
            request_id=request.pk if request else None, file_name="", sha256=sha, printed=data.to_snapshot(),
            issued_by=actor.username, created_at=timezone.now(),
        )
        issue.file_name = f"{file_stem(kind)}-{issue.pk:08d}.pdf"
        issue.save(update_fields=["file_name"])
        replaced = _replace_earlier(issue)
        if request is not None:
            certificate_request_mark_issued(actor=actor, request_id=request.pk, issue_id=issue.pk)
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_ISSUE,
                     target_type=AuditTarget.ADDRESSEES_PERSON,
                     target_id=str(person_id), detail={"issue_id": issue.pk, "kind": kind, "reason": reason,
                                                       "counter": True, "replaced": replaced,
                                                       "sha256": digest_for_audit(sha)})
    if out_dir is not None:  # after the commit: a failed issue leaves no file
        out_dir.mkdir(parents=True, exist_ok=True)
        write_whole(out_dir / issue.file_name, pdf)
    return issue


def certificate_handover_record(*, actor: Actor, issue_id: int, method: str, handed_on: date,
                                recipient: str = Recipient.SELF, agent_name: str = "",
                                identity_checked: bool = False, identity_document: str = "",
                                note: str = "") -> CertificateHandover:
    """Record that a document reached its holder: mailed, or handed over at the counter.

    At the counter the receiver's identity must have been checked (and the document named); an agent
    (代理人) must be named. A document already handed over or replaced cannot be handed over again.
    """
    method = HandoverMethod(method).value
    recipient = Recipient(recipient).value
    if method == HandoverMethod.COUNTER and not (identity_checked and identity_document.strip()):
        raise CertificateError("窓口での引渡しには本人確認(確認書類)が必要です")
    if recipient == Recipient.AGENT and not agent_name.strip():
        raise CertificateError("代理人の氏名を入力してください")
    if method == HandoverMethod.MAIL and recipient != Recipient.SELF:
        raise CertificateError("郵送は本人あてです")
    with transaction.atomic():
        issue = CertificateIssue.objects.select_for_update().get(pk=issue_id)
        allowed = {IssueStatus.ISSUED.value, IssueStatus.RETURNED_UNDELIVERABLE.value}
        if issue.status not in allowed:
            raise CertificateError(f"この資格確認書は「{issue.get_status_display()}」のため引き渡せません")
        if method == HandoverMethod.MAIL and issue.status == IssueStatus.RETURNED_UNDELIVERABLE:
            raise CertificateError("返戻されたものは窓口で引き渡してください")
        handover = CertificateHandover.objects.create(
            issue=issue, method=method, handed_on=handed_on, recipient=recipient,
            agent_name=agent_name.strip(), identity_checked=identity_checked,
            identity_document=identity_document.strip(), note=note.strip(), recorded_by=actor.username,
            recorded_at=timezone.now(),
        )
        issue.status = IssueStatus.HANDED_OVER
        issue.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_HANDOVER,
                     target_type=AuditTarget.ADDRESSEES_PERSON,
                     target_id=str(issue.person_id),
                     detail={"issue_id": issue.pk, "method": method, "recipient": recipient,
                             "identity_checked": identity_checked})
        return handover


def certificate_batch_mark_mailed(*, actor: Actor, batch_id: int, mailed_on: date) -> int:
    """Every still-issued document of a batch went into the post on mailed_on; returns how many."""
    with transaction.atomic():
        issues = list(CertificateIssue.objects.select_for_update().filter(batch_id=batch_id,
                                                                          status=IssueStatus.ISSUED))
        now = timezone.now()
        CertificateHandover.objects.bulk_create([
            CertificateHandover(issue=i, method=HandoverMethod.MAIL, handed_on=mailed_on,
                                recipient=Recipient.SELF, recorded_by=actor.username, recorded_at=now)
            for i in issues
        ], batch_size=2000)
        CertificateIssue.objects.filter(pk__in=[i.pk for i in issues]).update(status=IssueStatus.HANDED_OVER)
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_BATCH_MAILED,
                     target_type=AuditTarget.CERTIFICATE_BATCH, target_id=str(batch_id),
                     detail={"mailed_on": mailed_on.isoformat(), "count": len(issues)})
        return len(issues)


def certificate_return_undeliverable(*, actor: Actor, issue_id: int, returned_on: date,
                                     note: str = "", reason: str = "") -> UndeliverableReturn:
    """A mailed document came back undelivered (with the post office's reason, ReturnReason): it waits
    at the office for the holder to collect it, or to be mailed again (certificate_resend)."""
    if reason and reason not in ReturnReason.values:
        raise CertificateError("返戻理由を選択してください")
    with transaction.atomic():
        issue = CertificateIssue.objects.select_for_update().get(pk=issue_id)
        mailed = issue.handovers.filter(method=HandoverMethod.MAIL).exists()
        if issue.status != IssueStatus.HANDED_OVER or not mailed:
            raise CertificateError("郵送済みの資格確認書だけが返戻として記録できます")
        returned = UndeliverableReturn.objects.create(issue=issue, returned_on=returned_on, reason=reason,
                                                      note=note.strip(), recorded_by=actor.username,
                                                      recorded_at=timezone.now())
        issue.status = IssueStatus.RETURNED_UNDELIVERABLE
        issue.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_RETURNED_UNDELIVERABLE,
                     target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(issue.person_id),
                     detail={"issue_id": issue.pk, "returned_on": returned_on.isoformat(), "reason": reason})
        return returned


def certificate_resend(*, actor: Actor, issue_id: int, mailed_on: date, destination: str,
                       note: str = "") -> CertificateHandover:
    """Mail a returned document again (再送付), to the address found since (`destination`: where it went,
    e.g. the new address from the register or the 送付先 the family gave). It can come back again."""
    where = destination.strip()
    if not where:
        raise CertificateError("再送付先を入力してください")
    with transaction.atomic():
        issue = CertificateIssue.objects.select_for_update().get(pk=issue_id)
        if issue.status != IssueStatus.RETURNED_UNDELIVERABLE:
            raise CertificateError("返戻されて保管中のものだけが再送付できます")
        last = issue.returns.order_by("-returned_on").values_list("returned_on", flat=True).first()
        if last is not None and mailed_on < last:
            raise CertificateError("再送付日が返戻日より前になっています")
        text = f"再送付先: {where}" + (f" / {note.strip()}" if note.strip() else "")
        handover = CertificateHandover.objects.create(
            issue=issue, method=HandoverMethod.MAIL, handed_on=mailed_on, recipient=Recipient.SELF,
            note=text[:200], recorded_by=actor.username, recorded_at=timezone.now(),
        )
        issue.status = IssueStatus.HANDED_OVER
        issue.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditAction.CERTIFICATES_RESENT,
                     target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(issue.person_id),
                     detail={"issue_id": issue.pk, "mailed_on": mailed_on.isoformat()})
        return handover
