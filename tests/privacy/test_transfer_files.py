"""The leak scan of the transfer files (issue 13 §5): personal numbers only where a definition allows
them. None of T03, T08, T15 nor the 期割情報 (T01's 期割情報 item) lists the personal number among its items,
so none of their files may hold one, though every person in them has one registered. Assertions compare
booleans so that a failure does not print a number."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from arrears.helpers import direct_person
from factories import make_staff
from transfers.conftest import T03_BASIS, approve_both, insure, pension_receipt

from kouki.accounts.permissions import Role
from kouki.arrears.instalment_file import instalment_file_write
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.services import personal_number_register
from kouki.transfers.department_files import (
    t03_daily_eligibility,
    t08_monthly_kokuho,
    t15_yearly_special_collection,
)
from kouki.transfers.models import TransferDefinitionVersion, TransferRecord
from kouki.transfers.services import transfers_load

pytestmark = pytest.mark.django_db
PERSONAL_NUMBER_ITEM = "個人番号"


def test_no_transfer_file_holds_a_personal_number(make_number: Callable[[], str], import_actor: Actor,
                                                  settings: object, tmp_path: Path) -> None:  # fmt: skip
    settings.KOUKI_T03_LEGAL_BASIS = T03_BASIS  # type: ignore[attr-defined]
    staff = ((Role.SYSTEM_ADMIN, "adm.leak"), (Role.SUPERVISOR, "sv.one"), (Role.SUPERVISOR, "sv.two"),
             (Role.NUMBER_CLERK, "nc.leak"))  # fmt: skip
    for role, name in staff:
        make_staff(role, username=name)
    admin, one, two, clerk = (Actor(username=n, terminal_id="T-0101")
                              for n in ("adm.leak", "sv.one", "sv.two", "nc.leak"))  # fmt: skip
    transfers_load(actor=admin)
    for code in ("T03", "T08", "T15"):
        approve_both(code, one, two)
    numbers: list[str] = []
    for _ in range(3):
        person, _plan = direct_person(60_000)
        number = make_number()
        numbers.append(number)
        personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
        insure(person.pk, acquired_on=date(2025, 8, 1))
        pension_receipt(person.pk, 6_000, date(2025, 10, 15))
    out = tmp_path / "out"
    assert t03_daily_eligibility(actor=clerk, on=date(2025, 8, 1), outbox=out).record is not None
    assert t08_monthly_kokuho(actor=clerk, month=date(2025, 8, 1), outbox=out).record is not None
    assert t15_yearly_special_collection(actor=clerk, year=2025, outbox=out).record is not None
    assert instalment_file_write(actor=clerk, on=date(2025, 8, 1), outbox=out).sent is not None
    files = sorted(out.iterdir())
    assert len(files) == 4 and TransferRecord.objects.count() == 4
    allowed = {v.definition.code for v in TransferDefinitionVersion.objects.select_related("definition")
               if PERSONAL_NUMBER_ITEM in v.items}  # fmt: skip
    assert not allowed & {"T01", "T03", "T08", "T15"}
    for path in files:
        data = path.read_bytes()
        leaked = any(n.encode() in data for n in numbers)
        if path.suffix == ".csv":  # fields apart: no 12-digit number of any person either
            fields = re.split(r"[,\r\n]+", data.decode("utf-8-sig"))
            leaked = leaked or any(contains_personal_number(field) for field in fields)
        assert leaked is False, path.name
