"""A paper transfer: the 移転票 printed for the receiving department, recorded as one execution.

`transfer_paper` asks the gate first (kouki.transfers.services.transfer_check: registered, approved on both
sides, items whitelisted, 紙 a method of the definition, the actor's permission), then writes the PDF and the
TransferRecord together (kouki.core.outbox.outgoing_files): the record commits only once the file exists
whole under its final name. The slip carries 宛名番号 and 氏名, never a personal number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.addressees.selectors import addressee_numbers, person_current
from kouki.core.outbox import outgoing_files
from kouki.documents.transfer_slip import KIND, TransferSlipData
from kouki.privacy.context import Actor
from kouki.transfers.catalogue import Method
from kouki.transfers.models import Side, TransferDefinitionVersion, TransferRecord
from kouki.transfers.services import TransferRefused, transfer_check, transfer_execute


@dataclass(frozen=True)
class PaperTransfer:
    record: TransferRecord
    path: Path
    sha256: str


def _approvals(version: TransferDefinitionVersion) -> tuple[str, ...]:
    labels = dict(Side.choices)
    return tuple(
        f"{labels[a.side]} {a.approver_name}({a.approver_office}) 決裁番号 {a.kessai_ref}"
        for a in sorted(version.approvals.all(), key=lambda a: a.side != Side.SENDING)
    )


def _stamp(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y%m%d%H%M%S")


def transfer_paper(*, actor: Actor, code: str, person_ids: Iterable[int], items: Sequence[str], outbox: Path,
                   then: Callable[[TransferRecord], object] | None = None) -> PaperTransfer:  # fmt: skip
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
    now = timezone.now()
    slip_no = f"{code}-{_stamp(now)}"
    data = TransferSlipData(
        slip_no=slip_no, code=code, version=version.version, recipient=version.recipient,
        purpose=version.purpose, legal_basis=version.legal_basis, items="、".join(items),
        method=Method.PAPER.label, frequency=version.frequency, approvals=_approvals(version),
        persons=tuple(names), transferred_on=timezone.localdate(now), transferred_by=staff.staff_name,
        office=staff.office,
    )  # fmt: skip
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{KIND.name}-{slip_no}.pdf"
    with outgoing_files() as out:
        sha = out.add(path, KIND.render([data]))
        record = transfer_execute(actor=actor, code=code, person_ids=persons, items=items,
                                  method=Method.PAPER, file_name=path.name, file_sha256=sha)  # fmt: skip
        if then is not None:
            then(record)
    return PaperTransfer(record=record, path=path, sha256=sha)
