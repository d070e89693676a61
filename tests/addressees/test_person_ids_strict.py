"""The one strict lookup of person ids by 宛名番号 of the file imports (eligibility, assessment, tax)."""

from __future__ import annotations

import pytest
from factories import make_person

from kouki.addressees.errors import UnknownAddressee
from kouki.addressees.selectors import person_ids_strict


@pytest.mark.django_db
def test_ids_in_the_given_order_with_repeats() -> None:
    a, b = make_person(), make_person()
    numbers = [b.addressee_no, a.addressee_no, b.addressee_no]
    assert person_ids_strict(numbers) == [b.pk, a.pk, b.pk]
    assert person_ids_strict([]) == []


@pytest.mark.django_db
def test_the_first_unknown_number_is_named_with_its_position() -> None:
    a = make_person()
    with pytest.raises(UnknownAddressee) as err:
        person_ids_strict([a.addressee_no, "999999998", "999999999"])
    assert err.value.index == 1
    assert err.value.reason == str(err.value) == "宛名番号 999999998 は登録されていません"
