"""住登外者 (non-resident addressees): registration with an addressee number from the city's own range."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils import timezone

from kouki.addressees.models import ChangeEvent, ChangeKind, Person, PersonStatus, PersonVersion, Registration
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.services import personal_number_register
from kouki.rules.kana import is_kana_name, kana_search_key


def _nonresident_sequence() -> tuple[str, int]:
    """(prefix, total digits) of addressee numbers given to 住登外者; kouki.core.config holds the defaults.

    The range must be one the resident register never uses (KOUKI_NONRESIDENT_ADDRESSEE_PREFIX,
    KOUKI_NONRESIDENT_ADDRESSEE_DIGITS).
    """
    prefix, digits = city_config().nonresident_prefix, city_config().nonresident_digits
    if not prefix.isdigit() or not len(prefix) < digits <= 15:
        raise ValueError(
            "KOUKI_NONRESIDENT_ADDRESSEE_PREFIX/DIGITS: digits only, prefix shorter than 15 digits"
        )
    return prefix, digits


def _next_nonresident_addressee_no() -> str:
    prefix, digits = _nonresident_sequence()
    if connection.vendor == "postgresql":  # serialise number assignment; SQLite has one writer anyway
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7508)")
    last = (
        Person.objects.annotate(n=Length("addressee_no"))
        .filter(addressee_no__startswith=prefix, n=digits)
        .order_by("-addressee_no")
        .values_list("addressee_no", flat=True)
        .first()
    )
    width = digits - len(prefix)
    following = int(last[len(prefix) :]) + 1 if last else 1
    if following >= 10**width:
        raise ValueError("住登外者の宛名番号の範囲を使い切りました")
    return f"{prefix}{following:0{width}d}"


def nonresident_register(
    *,
    actor: Actor,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    sex: str,
    birth_date: date,
    postal_code: str,
    municipality_code: str,
    address: str,
    registered_on: date,
    phone: str = "",
    personal_number: str = "",
    source: str = "住登外登録",
) -> Person:
    """Register a 住登外者 (not in the city's resident register) with a new addressee number."""
    problems = []
    if not family_name.strip():
        problems.append("family_name is required")
    if not is_kana_name(family_name_kana) or (given_name_kana and not is_kana_name(given_name_kana)):
        problems.append("kana names must be katakana")
    if sex not in ("1", "2"):
        problems.append("sex must be 1 or 2")
    if not (len(postal_code) == 7 and postal_code.isascii() and postal_code.isdigit()):
        problems.append("postal_code must be 7 digits")
    if not (len(municipality_code) == 5 and municipality_code.isascii() and municipality_code.isdigit()):
        problems.append("municipality_code must be 5 digits")
    if birth_date > registered_on:
        problems.append("birth_date is after registered_on")
    if problems:
        raise ValueError("; ".join(problems))
    with transaction.atomic():
        now = timezone.now()
        addressee_no = _next_nonresident_addressee_no()
        person = Person.objects.create(addressee_no=addressee_no, registration=Registration.NON_RESIDENT)
        event = ChangeEvent.objects.create(
            source_change_id=f"NR-{addressee_no}",
            kind=ChangeKind.NON_RESIDENT_REGISTRATION,
            person=person,
            effective_date=registered_on,
            notified_date=registered_on,
            recorded_at=now,
        )
        version = PersonVersion.objects.create(
            person=person,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            kana_key=kana_search_key(family_name_kana + given_name_kana),
            sex=sex,
            birth_date=birth_date,
            status=PersonStatus.NON_RESIDENT,
            household=None,
            is_householder=False,
            relationship="",
            postal_code=postal_code,
            municipality_code=municipality_code,
            address=address,
            phone=phone,
            valid_from=registered_on,
            valid_to=None,
            recorded_at=now,
            change=event,
            is_current=True,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ADDRESSEE_NONRESIDENT_REGISTER,
            target_type=AuditTarget.ADDRESSEES_PERSON,
            target_id=str(person.pk),
            detail={"addressee_no": addressee_no, "change_event_id": event.pk, "version_id": version.pk},
        )
        if personal_number:
            personal_number_register(actor=actor, person_id=person.pk, number=personal_number, source=source)
        return person
