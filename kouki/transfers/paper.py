"""A paper transfer: the 移転票 printed for the receiving department, recorded as one execution.

`transfer_paper` asks the gate first (kouki.transfers.services.transfer_check: registered, approved on both
sides, items whitelisted, 紙 a method of the definition, the actor's permission), then writes the PDF and the
TransferRecord together (kouki.core.outbox.outgoing_files): the record commits only once the file exists
whole under its final name. The slip carries 宛名番号 and 氏名, never a personal number.

The 移転票番号 (and the file name, `iten-hyo-T02-000007.pdf`) is the definition's next serial, taken under
the definition's row lock: a run killed before its commit leaves at most an unrecorded file under the
number the re-run takes again, which the re-run replaces with the same bytes (the same day) — never a
second slip. (A number from the clock would leave the killed run's slip beside the re-run's, and two
slips of one second would overwrite each other.) `once_a_day`: the same transfer (definition, persons,
items) already recorded today is not printed again (a re-run after a crash after the commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.selectors import addressee_numbers, person_current
from kouki.core.outbox import outgoing_files
from kouki.documents.transfer_slip import KIND, TransferSlipData
from kouki.privacy.context import Actor
from kouki.transfers.catalogue import Method
from kouki.transfers.models import Side, TransferDefinition, TransferDefinitionVersion, TransferRecord
from kouki.transfers.services import TransferRefused, transfer_check, transfer_execute


@dataclass(frozen=True)
class PaperTransfer:
    record: TransferRecord
    path: Path
    sha256: str
    already: bool = False  # recorded earlier today (once_a_day): nothing printed, nothing recorded now


def _approvals(version: TransferDefinitionVersion) -> tuple[str, ...]:
    labels = dict(Side.choices)
    return tuple(
        f"{labels[a.side]} {a.approver_name}({a.approver_office}) 決裁番号 {a.kessai_ref}"
        for a in sorted(version.approvals.all(), key=lambda a: a.side != Side.SENDING)
    )


def slip_file_name(slip_no: str) -> str:
    return f"{KIND.name}-{slip_no}.pdf"


def _next_slip_no(code: str) -> str:
    """The definition's next 移転票番号 (call under the definition's row lock)."""
    taken = set(TransferRecord.objects.filter(version__definition__code=code, method=Method.PAPER)
                .values_list("file_name", flat=True))  # fmt: skip
    n = len(taken) + 1
    while slip_file_name(f"{code}-{n:06d}") in taken:  # records purged (retention): past the newest
        n += 1
    return f"{code}-{n:06d}"


def _recorded_today(code: str, persons: list[int], items: Sequence[str]) -> TransferRecord | None:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    today = TransferRecord.objects.filter(version__definition__code=code, method=Method.PAPER,
                                          executed_at__gte=start).order_by("pk")  # fmt: skip
    return next((r for r in today if r.person_ids == persons and r.items == list(items)), None)


def transfer_paper(*, actor: Actor, code: str, person_ids: Iterable[int], items: Sequence[str], outbox: Path,
                   then: Callable[[TransferRecord], object] | None = None,
                   once_a_day: bool = False) -> PaperTransfer:  # fmt: skip
    """`then` (optional) runs with the TransferRecord inside the transaction that records it (e.g. marking
    the applications the slip carries): if it raises, neither the record nor its marks commit."""
    persons = sorted(set(person_ids))
    version = transfer_check(actor=actor, code=code, person_ids=persons, items=items, method=Method.PAPER)
    numbers = addressee_numbers(persons)
    names: list[tuple[str, str]] = []
    for pid in persons:
        current = person_current(pid)
        if current is None or pid not in numbers:
            raise TransferRefused("宛名のない対象者が含まれています")
        names.append((numbers[pid], f"{current.family_name} {current.given_name}"))
    staff = StaffUser.objects.get(username=actor.username)
    outbox.mkdir(parents=True, exist_ok=True)
    with outgoing_files() as out:
        TransferDefinition.objects.select_for_update().get(code=code)  # one slip number at a time
        done = _recorded_today(code, persons, items) if once_a_day else None
        if done is not None:
            return PaperTransfer(done, outbox / done.file_name, done.file_sha256, already=True)
        slip_no = _next_slip_no(code)
        data = TransferSlipData(
            slip_no=slip_no, code=code, version=version.version, recipient=version.recipient,
            purpose=version.purpose, legal_basis=version.legal_basis, items="、".join(items),
            method=Method.PAPER.label, frequency=version.frequency, approvals=_approvals(version),
            persons=tuple(names), transferred_on=timezone.localdate(), transferred_by=staff.staff_name,
            office=staff.office,
        )  # fmt: skip
        path = outbox / slip_file_name(slip_no)
        sha = out.add(path, KIND.render([data]))
        record = transfer_execute(actor=actor, code=code, person_ids=persons, items=items,
                                  method=Method.PAPER, file_name=path.name, file_sha256=sha)  # fmt: skip
        if then is not None:
            then(record)
    return PaperTransfer(record=record, path=path, sha256=sha)
