"""Insured synthetic people with pending 資格確認書発行用情報 requests, as the union would send them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone
from factories import make_person
from web.conftest import client_as, family, numbers, staff_of  # noqa: F401 (screen-test fixtures)

from kouki.addressees.models import Person, Sex
from kouki.eligibility.models import InsuredPeriod
from kouki.eligibility.services import certificate_requests_store
from kouki.interfaces.union.records import CertificateIssueRecord, CertificateKind, CertificateReason
from kouki.privacy.context import Actor

ACTOR = Actor(username="clerk.test", terminal_id="T-01", user_id=None)


def insure(person: Person, *, insured_no: str, acquired_on: date = date(2021, 5, 1), copay_rate: int = 10,
           lost_on: date | None = None) -> InsuredPeriod:
    return InsuredPeriod.objects.create(
        person=person, insured_no=insured_no, insurer_no="39110011", acquired_on=acquired_on,
        acquisition_reason="01", lost_on=lost_on, copay_rate=copay_rate, copay_from=acquired_on,
        decided_on=acquired_on, recorded_at=timezone.now(),
    )


def request_record(person: Person, *, kind: CertificateKind, insured_no: str, postal_code: str,
                   reason: CertificateReason = CertificateReason.RENEWAL) -> CertificateIssueRecord:
    return CertificateIssueRecord(
        municipality_code="11100", addressee_no=person.addressee_no, kind=kind, reason=reason,
        insured_no=insured_no, insurer_no="39110011", family_name="試験",
        given_name=f"{person.addressee_no[-3:]}",
        family_name_kana="シケン", given_name_kana="タロウ", sex="1", birth_date=date(1940, 1, 1),
        postal_code=postal_code, address="さいたま市浦和区高砂三丁目1番1号", acquired_on=date(2015, 1, 1),
        copay_rate=20, valid_from=date(2026, 8, 1), valid_until=date(2027, 7, 31), limit_category="",
        issued_on=date(2026, 7, 15),
    )


@dataclass(frozen=True)
class City:
    people: list[Person]  # 0, 1: certificates; 2: notice
    taro: Person  # insured, no pending request


@pytest.fixture
def city(db: None) -> City:
    people = [make_person(given_name=f"人{i}", birth_date=date(1940, 1, 1)) for i in range(3)]
    taro = make_person(family_name="山田", given_name="太郎", sex=Sex.MALE, birth_date=date(1946, 5, 1),
                       address="さいたま市南区別所七丁目2番1号", postal_code="3360021")
    insure(taro, insured_no="22222228", copay_rate=20)
    cert, notice = CertificateKind.CERTIFICATE, CertificateKind.NOTICE
    records = [
        request_record(people[0], kind=cert, insured_no="10000017", postal_code="3380001"),
        request_record(people[1], kind=cert, insured_no="10000025", postal_code="3300001"),
        request_record(people[2], kind=notice, insured_no="10000033", postal_code="3310001"),
    ]
    certificate_requests_store(actor=Actor.system("tests"), records=records)
    return City(people=people, taro=taro)
