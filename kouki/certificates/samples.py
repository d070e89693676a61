"""Sample documents from the database, for `kouki demo` (writes files only, no issue records)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kouki.certificates.services import CertificateError, data_from_request, single_issue_data
from kouki.documents.data import CertificateData
from kouki.documents.samples import write_samples
from kouki.eligibility.selectors import certificate_requests_pending, insured_person_ids_on
from kouki.interfaces.union.records import CertificateKind


def render_samples(out_dir: Path, on: date | None = None) -> list[Path]:
    """Write shikaku-kakuninsho.pdf and shikaku-joho-oshirase.pdf into out_dir.

    Each uses a pending union request of its kind when there is one, else the first insured person on
    `on` (default today) as a counter issue would print it, else a built-in synthetic sample.
    """
    on = on or date.today()  # noqa: DTZ011 (a calendar date for the sample, not a timestamp)
    data: dict[CertificateKind, CertificateData] = {}
    for kind in CertificateKind:
        request = certificate_requests_pending().filter(kind=kind.value).select_related("person").first()
        if request is not None:
            data[kind] = data_from_request(request)
    missing = [k for k in CertificateKind if k not in data]
    if missing:
        for person_id in sorted(insured_person_ids_on(on))[:20]:
            try:
                fallback = single_issue_data(person_id=person_id, on=on)
            except CertificateError:
                continue
            for kind in missing:
                data[kind] = fallback
            break
    return write_samples(out_dir, data)
