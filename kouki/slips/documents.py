"""The print data of stored slips (kouki.documents.payment_slip draws them) and writing their PDFs.

`slip_document_data(slip_ids, issued_on=…, booklet=True)`: one mailing per person (a booklet of the
person's slips by due date, in the order the persons first appear), or one mailing per slip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kouki.addressees.models import Person, PersonVersion
from kouki.core.db import chunked
from kouki.documents.batch import RenderedFile
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.payment_slip import render_slip_batch, render_slips
from kouki.documents.payment_slip_data import PaymentSlipData, SlipLine
from kouki.documents.premium_data import Addressee
from kouki.slips.models import PaymentSlip

CHUNK = 5000
_COLUMNS = (
    "pk", "person_id", "fiscal_year", "slip_no", "reissue", "period", "due_date", "amount", "barcode",
    "instalment__plan__assessment__insured_no",
)  # fmt: skip


def _addressees(person_ids: Sequence[int]) -> dict[int, Addressee]:
    numbers = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "addressee_no"))
    return {
        pid: Addressee(numbers[pid], family, given, postal, address)
        for pid, family, given, postal, address in PersonVersion.objects.filter(
            person_id__in=person_ids, is_current=True
        ).values_list("person_id", "family_name", "given_name", "postal_code", "address")
    }


def slip_document_data(
    slip_ids: Sequence[int], *, issued_on: date, booklet: bool = True
) -> list[PaymentSlipData]:
    issuer, insurer = default_issuer(), default_insurer_name()
    rows: dict[int, tuple[Any, ...]] = {}
    for part in map(list, chunked(slip_ids, CHUNK)):
        rows.update((r[0], r) for r in PaymentSlip.objects.filter(pk__in=part).values_list(*_COLUMNS))
    missing = [pk for pk in slip_ids if pk not in rows]
    if missing:
        raise ValueError(f"slips {missing[:10]}: not found")
    people: dict[int, Addressee] = {}
    person_ids = sorted({int(r[1]) for r in rows.values()})
    for id_part in chunked(person_ids, CHUNK):
        people.update(_addressees(list(id_part)))
    groups: dict[tuple[int, int] | int, list[tuple[Any, ...]]] = {}
    for pk in slip_ids:
        row = rows[pk]
        key: tuple[int, int] | int = (row[1], row[2]) if booklet else pk
        groups.setdefault(key, []).append(row)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (r[6], r[0]))
        first = group[0]
        lines = tuple(
            SlipLine(slip_no=r[3], reissue=r[4], period=r[5], due_date=r[6], amount=r[7], barcode=r[8])
            for r in group
        )
        out.append(PaymentSlipData(
            addressee=people[first[1]], insured_no=str(first[9]), fiscal_year=first[2],
            issued_on=issued_on, issuer=issuer, insurer_name=insurer, slips=lines,
        ))  # fmt: skip
    return out


def slips_pdf(slip_ids: Sequence[int], *, issued_on: date, booklet: bool = True) -> bytes:
    """One PDF of the slips (a booklet per person when booklet=True)."""
    return render_slips(slip_document_data(slip_ids, issued_on=issued_on, booklet=booklet))


def slips_pdf_batch(
    slip_ids: Sequence[int], out_dir: Path, *, issued_on: date, workers: int | None = None
) -> list[RenderedFile]:
    """The slips as booklets per person in out_dir/nofusho-NNN.pdf, rendered in parallel."""
    return render_slip_batch(slip_document_data(slip_ids, issued_on=issued_on), out_dir, workers=workers)
