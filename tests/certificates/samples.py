"""A sample issued 資格確認書 for screen tests (tests/web's URL × role walk uses it)."""

from __future__ import annotations

from datetime import date

from kouki.addressees.models import Person
from kouki.certificates.models import CertificateIssue
from kouki.certificates.services import certificate_issue_single
from kouki.privacy.context import Actor

from .conftest import insure


def sample_issue(person: Person, *, insured_no: str = "22222228") -> CertificateIssue:
    """Insure the person and issue one 資格確認書 at the counter."""
    insure(person, insured_no=insured_no)
    return certificate_issue_single(actor=Actor.system("tests"), person_id=person.pk, kind="1", reason="4",
                                    on=date(2026, 9, 1))
