"""A personal number never leaks: not in logs, exception texts, reference/audit rows, or plaintext columns.

Requirements: SEC-07 (numbers only through the gate), SEC-11 (the log keeps a token, not the number),
design "privacy by construction" (plain text only in memory inside kouki.privacy).
Assertions compare booleans so that a failing test does not print a number either.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.gate import (
    InvalidPurpose,
    PersonalNumberAccessDenied,
    find_person_by_personal_number,
    reveal_personal_number,
)
from kouki.privacy.models import AuditEntry, PersonalNumber, ReferenceLog
from kouki.privacy.redaction import MASK, RedactPersonalNumbers, contains_personal_number
from kouki.privacy.selectors import pending_list
from kouki.privacy.services import (
    personal_number_pending_confirm,
    personal_number_pending_reject,
    personal_number_register,
)
from kouki.privacy.vault import DecryptionFailed, decrypt_number
from kouki.rules.numbers import InvalidNumber

from .helpers import actor_of, all_text_and_binary_values, value_holds

pytestmark = pytest.mark.django_db

Numbers = Callable[[], str]
People = Callable[[], Person]
WHERE = {"screen": "宛名照会", "terminal_id": "T-0101"}
HASH_COLUMNS = {"hash", "prev_hash", "number_token"}  # hex digests: checked for the exact numbers only


def _exercise(
    make_number: Numbers, make_person: People, import_actor: Actor, clerk: StaffUser, supervisor: StaffUser
) -> list[str]:
    """Register, change, blank, reveal and search a few numbers; return every number used."""
    numbers: list[str] = []
    people = [make_person() for _ in range(4)]
    for person in people:
        number = make_number()
        numbers.append(number)
        personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
    changed, rejected = make_number(), make_number()
    numbers += [changed, rejected]
    personal_number_register(actor=import_actor, person_id=people[0].pk, number=changed, source="住基")
    personal_number_register(actor=import_actor, person_id=people[1].pk, number=rejected, source="住基")
    personal_number_register(actor=import_actor, person_id=people[2].pk, number="", source="住基")
    personal_number_register(actor=import_actor, person_id=people[3].pk, number=numbers[2], source="住基")
    pend = list(pending_list())
    personal_number_pending_confirm(actor=actor_of(supervisor), pending_id=pend[0].pk, note="変更を確認")
    personal_number_pending_reject(actor=actor_of(supervisor), pending_id=pend[1].pk, note="誤り")
    for person in people:
        reveal_personal_number(user=clerk, person_id=person.pk, purpose="identity", **WHERE)
    for number in [*numbers, make_number()]:
        find_person_by_personal_number(
            user=clerk, number=number, purpose="other", purpose_note="照合", **WHERE
        )
    return numbers


def test_no_plaintext_number_in_any_table(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    number_clerk: StaffUser,
    supervisor: StaffUser,
) -> None:
    """Every text and binary cell of every table is free of the registered numbers."""
    numbers = _exercise(make_number, make_person, import_actor, number_clerk, supervisor)
    assert PersonalNumber.objects.count() >= 5 and ReferenceLog.objects.count() >= 10
    leaks = sorted(
        {
            (table, column)
            for table, column, value in all_text_and_binary_values()
            if value_holds(value, numbers)
        }
    )
    assert leaks == []
    # the scan does find a number where one is stored in plain text (control)
    Person.objects.create(addressee_no=numbers[0], registration="resident")
    found = {(t, c) for t, c, v in all_text_and_binary_values() if value_holds(v, numbers)}
    assert found == {("addressees_person", "addressee_no")}


def test_reference_and_audit_rows_hold_no_number(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    number_clerk: StaffUser,
    supervisor: StaffUser,
) -> None:
    """SEC-11: the reference log keeps a token; neither log has anything shaped like a number."""
    _exercise(make_number, make_person, import_actor, number_clerk, supervisor)
    leaks = []
    for model in (ReferenceLog, AuditEntry):
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                value = field.value_from_object(row)
                if field.name in HASH_COLUMNS or value is None:
                    continue
                text = value if isinstance(value, str) else repr(value)
                if contains_personal_number(text):
                    leaks.append((model.__name__, row.pk, field.name))
    assert leaks == []


def test_no_number_in_log_output_or_sql(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    number_clerk: StaffUser,
    supervisor: StaffUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Everything logged while numbers are handled, SQL with parameters included, is free of them."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own config keeps "django" at INFO
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        numbers = _exercise(make_number, make_person, import_actor, number_clerk, supervisor)
    finally:
        connection.force_debug_cursor = False
    sql_logged = any(r.name == "django.db.backends" for r in caplog.records)
    assert sql_logged is True
    leaked = any(n in caplog.text for n in numbers)
    assert leaked is False


def _configured_filter() -> RedactPersonalNumbers:
    filters = [
        f for h in logging.getLogger().handlers for f in h.filters if isinstance(f, RedactPersonalNumbers)
    ]
    assert filters, "settings.LOGGING installs RedactPersonalNumbers on the root handler"
    return filters[0]


def test_configured_logging_filter_masks_numbers(make_number: Numbers) -> None:
    """A message or an exception text with a number is masked by the filter from settings.LOGGING."""
    number = make_number()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(_configured_filter())
    logger = logging.getLogger("kouki.test.leak")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("resident %s arrived with number %s", "X", number)
        logger.warning(f"inline {number}.")
        try:
            raise ValueError(f"bad row carrying {number}")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    out = stream.getvalue()
    leaked = number in out
    assert leaked is False
    assert out.count(MASK) == 3 and "arrived with number" in out and "import failed" in out


def _exception_texts(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc.args)


def test_exceptions_of_the_privacy_api_never_carry_a_number(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    number_clerk: StaffUser,
    counter_clerk: StaffUser,
    supervisor: StaffUser,
) -> None:
    person, number = make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
    wrong_digit = number[:11] + str((int(number[11]) + 1) % 10)
    raised: list[BaseException] = []

    def capture(call: Callable[[], object], kind: type[BaseException]) -> None:
        with pytest.raises(kind) as info:
            call()
        raised.append(info.value)

    capture(
        lambda: personal_number_register(
            actor=import_actor, person_id=person.pk, number=wrong_digit, source="住基"
        ),
        InvalidNumber,
    )
    capture(
        lambda: personal_number_register(
            actor=import_actor, person_id=person.pk, number=number + "1", source="住基"
        ),
        InvalidNumber,
    )
    capture(
        lambda: find_person_by_personal_number(
            user=number_clerk, number=wrong_digit, purpose="identity", **WHERE
        ),
        InvalidNumber,
    )
    capture(
        lambda: find_person_by_personal_number(
            user=counter_clerk, number=number, purpose="identity", **WHERE
        ),
        PersonalNumberAccessDenied,
    )
    capture(
        lambda: reveal_personal_number(user=counter_clerk, person_id=person.pk, purpose="identity", **WHERE),
        PersonalNumberAccessDenied,
    )
    capture(
        lambda: reveal_personal_number(
            user=number_clerk, person_id=person.pk, purpose="other", purpose_note=f"番号 {number}", **WHERE
        ),
        InvalidPurpose,
    )
    capture(
        lambda: personal_number_register(
            actor=import_actor, person_id=person.pk, number=number, source=f"住基 {number}"
        ),
        ValueError,
    )

    def audit_with_number() -> None:
        with transaction.atomic():
            audit_record(actor=import_actor, action="test", detail={"note": f"x{number}y"[1:-1]})

    capture(audit_with_number, ValueError)
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    capture(
        lambda: personal_number_pending_reject(
            actor=actor_of(supervisor), pending_id=pending_list().get().pk, note=f"番号{number}は誤り"
        ),
        ValueError,
    )
    # a damaged ciphertext, and a ciphertext copied to another person, fail without the number
    row = PersonalNumber.objects.get(person=person, is_current=True)
    blob = bytearray(bytes(row.ciphertext))
    blob[-1] ^= 1
    capture(lambda: decrypt_number(bytes(blob), row.key_id, person.pk), DecryptionFailed)
    capture(lambda: decrypt_number(row.ciphertext, row.key_id, make_person().pk), DecryptionFailed)
    PersonalNumber.objects.filter(pk=row.pk).update(ciphertext=bytes(blob))
    capture(
        lambda: reveal_personal_number(user=number_clerk, person_id=person.pk, purpose="identity", **WHERE),
        DecryptionFailed,
    )
    assert len(raised) == 12
    leaking = [
        type(e).__name__ for e in raised if any(n in _exception_texts(e) for n in (number, wrong_digit))
    ]
    assert leaking == []
    assert not ReferenceLog.objects.exists()  # no failed attempt left a reference row
