"""Run as a subprocess by the crash harness (tests/faults/harness.py) against the seed database, after the
synthetic city: adds what the 情報照会 and the applications batches work on (tests/faults/
test_apps_crash.py).

- 情報照会: the city's result key (`inquiry.key`) and a simulated 中間サーバ (`chukan/`) in the world's
  folder; an inquiry clerk; four people who moved in in May 2026 with personal numbers (three with a
  pension the simulated 日本年金機構 pays, one it does not know) and one without; two other people whose
  earlier inquiries' results were received long ago (for the purge).
- Applications: 再鑑済 applications (葬祭費, 療養費 with and without a care period) confirmed in May 2026,
  sent with the 申請情報 of 2026-05-12 and decided by the simulated union (its 決定情報 imported, not yet
  applied); and others confirmed in June 2026, not yet sent.

The settings it needs (KOUKI_INQUIRY_KEY …) are set here from KOUKI_FAULTS_FOLDER, as the batches get them
(SETTINGS in test_apps_crash.py). Synthetic people only (tests/factories.py, numbers nobody holds)."""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MONTH = date(2026, 5, 1)  # the move-ins' month; the first applications' month
SENT_ON = date(2026, 5, 12)  # the 申請情報 the seed sends
DECIDED_ON = date(2026, 6, 1)


def settings_env(folder: str, chukan: str) -> dict[str, str]:
    """The settings the 情報照会 batches and this seed need: the result key in the world's `folder`, the
    simulated 中間サーバ's state in `chukan` (the seed's; each batch run gets its own copy)."""
    return {"KOUKI_INQUIRY_KEY": f"{folder}/inquiry.key", "KOUKI_CHUKAN_SIM_DIR": chukan,
            "KOUKI_INTEGRATED_ADDRESSEE_DIGITS": "15", "KOUKI_INQUIRY_RESULT_DAYS": "30"}


def _numbers(count: int) -> list[str]:
    from kouki.rules.numbers import my_number_check_digit

    rng = random.Random(2216)
    bases = [f"{rng.randrange(10**10, 10**11):011d}" for _ in range(count)]
    return [b + str(my_number_check_digit(b)) for b in bases]


def inquiries(folder: Path) -> None:
    from django.db import transaction
    from django.utils import timezone
    from factories import make_person, make_staff

    from kouki.accounts.permissions import Role
    from kouki.eligibility.models import InsuredPeriod
    from kouki.inquiries.catalogue import inquirer
    from kouki.inquiries.envelope import create_key
    from kouki.inquiries.models import InquiryResult
    from kouki.inquiries.services import inquire
    from kouki.privacy.bulk import bulk_store_numbers
    from kouki.sandbox.chukan.platform import seed_platform
    from kouki.sandbox.chukan.providers import PENSION_PAYER, ProviderPerson

    public = create_key(folder / "inquiry.key")
    clerk = make_staff(Role.INQUIRY_CLERK, username="inquiry.ito", staff_name="伊藤 照会").user
    movers = [make_person(given_name=f"転入{i}", birth_date=date(1944, 3, 1 + i)) for i in range(5)]
    others = [make_person(given_name=f"照会{i}", birth_date=date(1943, 7, 1 + i)) for i in range(2)]
    numbers = _numbers(6)
    with_number = [*movers[:4], *others]
    with transaction.atomic():
        bulk_store_numbers([(p.pk, n) for p, n in zip(with_number, numbers, strict=True)], source="faults")
    for i, person in enumerate(movers):
        on = date(2026, 5, 3 + 5 * i)
        InsuredPeriod.objects.create(
            person=person, insured_no=f"5{i:07d}", insurer_no="39110006", acquired_on=on,
            acquisition_reason="03", copay_rate=10, copay_from=on, decided_on=on, recorded_at=timezone.now(),
        )  # fmt: skip
    known = [0, 1, 2, 4, 5]  # the fourth mover (index 3) receives no pension
    def pension(i: int) -> dict[str, object]:
        yen = 1_500_000 + 60_000 * i
        return {"payer": PENSION_PAYER, "pension_kind": "老齢基礎年金・老齢厚生年金", "income_year": 2025,
                "public_pension_revenue": yen, "care_deduction_pension_annual": yen}  # fmt: skip

    providers = [ProviderPerson(numbers[i], pension(i), None) for i in known]
    seed_platform(folder / "chukan", inquirer=inquirer(), public_key=public, people=providers)
    for person in others:  # results long since received: the purge deletes them
        inquire(user=clerk, person_id=person.pk, kind="pension", purpose="pension_deduction",
                screen="情報照会", terminal_id="T-1")  # fmt: skip
    InquiryResult.objects.update(received_at=datetime(2026, 1, 5, 1, 0, tzinfo=UTC))


def applications(folder: Path) -> None:
    from applications.conftest import funeral_input, medical_input
    from django.utils import timezone
    from factories import make_household, make_person, make_staff

    from kouki.accounts.models import StaffUser
    from kouki.accounts.permissions import Role
    from kouki.addressees.models import Person, PersonStatus
    from kouki.applications.models import Application
    from kouki.applications.services import application_confirm, application_receive
    from kouki.applications.union_send import applications_send
    from kouki.eligibility.models import InsuredPeriod
    from kouki.interfaces.benefit_decisions import import_benefit_decision
    from kouki.privacy.context import Actor
    from kouki.sandbox.union.benefits import UnionBenefits

    def actor(user: StaffUser) -> Actor:
        return Actor(username=user.username, terminal_id="T-01", user_id=user.pk)

    clerk = actor(make_staff(Role.COUNTER_CLERK, username="apps.clerk").user)
    supervisor = actor(make_staff(Role.SUPERVISOR, username="apps.super").user)
    operator = actor(StaffUser.objects.get(username="ops.kimura"))

    def person(n: int, *, deceased: bool) -> int:
        p = make_person(family_name="申請", given_name=f"{n}号", birth_date=date(1941, 1, 1 + n),
                        household=make_household(), is_householder=True, relationship="世帯主",
                        status=PersonStatus.DECEASED if deceased else PersonStatus.RESIDENT)  # fmt: skip
        InsuredPeriod.objects.create(
            person=p, insured_no=f"6{n:07d}", insurer_no="39110014", acquired_on=date(2020, 4, 1),
            acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1),
            recorded_at=timezone.now(),
        )  # fmt: skip
        return p.pk

    base = {"paid_on": date(2026, 2, 1), "amount_paid": 32_000, "provider": "浦和整形外科"}
    period = {**base, "care_from": date(2026, 1, 20), "care_to": date(2026, 1, 31), "care_days": 3}

    def confirmed(data: object, on: date) -> None:
        a = application_receive(actor=clerk, data=data, number="")  # type: ignore[arg-type]
        application_confirm(actor=supervisor, application_id=a.pk, note="書類と照合")
        at = timezone.make_aware(datetime.combine(on, datetime.min.time()).replace(hour=10))
        Application.objects.filter(pk=a.pk).update(confirmed_at=at)

    # May: sent by the seed, decided by the union, the 療養費関連情報 of May not yet written
    confirmed(funeral_input(Person.objects.get(pk=person(1, deceased=True))), date(2026, 5, 8))
    living = person(2, deceased=False)
    confirmed(medical_input(Person.objects.get(pk=living), details=period), date(2026, 5, 9))
    confirmed(medical_input(Person.objects.get(pk=living), details=base), date(2026, 5, 9))
    other = person(3, deceased=False)
    confirmed(medical_input(Person.objects.get(pk=other), details=period), date(2026, 5, 11))
    outbox = folder / "apps-outbox"
    outbox.mkdir()
    sent = applications_send(actor=operator, on=SENT_ON, outbox=outbox)
    assert sent.sent is not None and sent.sent.record_count == 4, sent
    union = UnionBenefits(folder / "union")
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(DECIDED_ON), DECIDED_ON, folder / "apps-inbox")
    outcome = import_benefit_decision(actor=operator, path=path)
    assert not outcome.errors, outcome.errors
    # June: confirmed, waiting for the 申請情報 of 2026-06-12
    confirmed(funeral_input(Person.objects.get(pk=person(4, deceased=True))), date(2026, 6, 2))
    later = person(5, deceased=False)
    confirmed(medical_input(Person.objects.get(pk=later), details=period), date(2026, 6, 5))


def main() -> None:
    folder = Path(os.environ["KOUKI_FAULTS_FOLDER"])
    os.environ.update(settings_env(str(folder), str(folder / "chukan")))
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    inquiries(folder)
    applications(folder)


if __name__ == "__main__":
    main()
