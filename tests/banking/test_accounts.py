"""保険料引落口座 / 還付金振込口座 registration (requirements §1.3 (3)⑥; USE-03 audit): bank and branch codes
against the offline zengin-code data, Zengin characters in the holder name, account changes."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR
from factories import make_person

from kouki.banking import bankcodes
from kouki.banking.accounts import (
    AccountError,
    accounts_valid_on,
    debit_account_end,
    debit_account_register,
    refund_account_register,
    validate_account,
)
from kouki.banking.models import Purpose
from kouki.interfaces.zengin.charset import bad_characters, to_zengin
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = {
    "bank_code": "0001",
    "branch_code": "001",
    "deposit_type": 1,
    "account_number": "1234567",
    "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
}


def register(person_id: int, **changes: object) -> object:
    values = {**GOOD, "valid_from": date(2025, 4, 1), "applied_on": date(2025, 3, 15), **changes}
    return debit_account_register(actor=ACTOR, person_id=person_id, **values)  # type: ignore[arg-type]


def test_bank_and_branch_codes_come_from_the_offline_data() -> None:
    assert bankcodes.bank("0001") is not None and bankcodes.bank("0001").kana == "ﾐｽﾞﾎ"  # type: ignore[union-attr]
    assert bankcodes.branch("0017", "104") is not None
    assert bankcodes.check("0001", "999") == [
        ("branch_code", "銀行コード 0001 支店コード 999 は存在しません")
    ]
    assert bankcodes.check("0003", "001") == [("bank_code", "銀行コード 0003 は存在しません")]
    assert bankcodes.check("1", "001")[0][0] == "bank_code"
    assert bankcodes.check("0001", "01")[0][0] == "branch_code"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("やまだ はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ"),
        ("ｻﾄｳ ｼﾞﾛｰ", "ｻﾄｳ ｼﾞﾛ-"),
        ("カ）サイタマ", "ｶ)ｻｲﾀﾏ"),
        ("ｷｯｶﾜ", "ｷﾂｶﾜ"),
        ("john smith", "JOHN SMITH"),
    ],
)
def test_holder_names_are_converted_to_zengin_characters(typed: str, stored: str) -> None:
    assert to_zengin(typed) == stored
    assert bad_characters(stored) == []
    assert validate_account(**{**GOOD, "holder_kana": typed}).holder_kana == stored  # type: ignore[arg-type]


def test_every_problem_is_reported_with_its_field() -> None:
    with pytest.raises(AccountError) as err:
        validate_account(
            bank_code="0001",
            branch_code="999",
            deposit_type=3,
            account_number="12345678",
            holder_kana="山田 太郎",
        )
    fields = [name for name, _ in err.value.problems]
    assert fields == ["branch_code", "deposit_type", "account_number", "holder_kana"]
    assert "銀行コード 0001 支店コード 999 は存在しません" in str(err.value)
    assert "山田太郎" in str(err.value) or "山田" in str(err.value)


def test_holder_longer_than_30_bytes_is_refused() -> None:
    with pytest.raises(AccountError, match="30 バイト"):
        validate_account(**{**GOOD, "holder_kana": "ｱ" * 31})  # type: ignore[arg-type]


def test_registration_zero_fills_the_account_number_and_is_audited() -> None:
    person = make_person()
    account = register(person.pk, account_number="12345", holder_kana="ヤマダ タロウ")
    assert account.account_number == "0012345"  # type: ignore[attr-defined]
    assert account.holder_kana == "ﾔﾏﾀﾞ ﾀﾛｳ"  # type: ignore[attr-defined]
    event = AuditEntry.objects.get(action="debit_account_register")
    assert event.detail["bank_code"] == "0001" and "0012345" not in str(event.detail)


def test_a_new_account_ends_the_previous_one_the_day_before() -> None:
    person = make_person()
    old = register(person.pk)
    new = register(person.pk, bank_code="0017", branch_code="104", valid_from=date(2025, 10, 1))
    old.refresh_from_db()  # type: ignore[attr-defined]
    assert old.valid_to == date(2025, 9, 30) and old.end_reason == "口座変更"  # type: ignore[attr-defined]
    assert accounts_valid_on(Purpose.DEBIT, date(2025, 9, 30))[person.pk].pk == old.pk  # type: ignore[attr-defined]
    assert accounts_valid_on(Purpose.DEBIT, date(2025, 10, 1))[person.pk].pk == new.pk  # type: ignore[attr-defined]
    with pytest.raises(AccountError, match="既にあります"):
        register(person.pk, valid_from=date(2025, 10, 1))


def test_end_and_refund_accounts_are_separate() -> None:
    person = make_person()
    debit = register(person.pk)
    refund = refund_account_register(
        actor=ACTOR, person_id=person.pk, **GOOD, valid_from=date(2025, 4, 1), applied_on=date(2025, 4, 1)
    )  # type: ignore[arg-type]
    debit_account_end(actor=ACTOR, account_id=debit.pk, valid_to=date(2025, 12, 31), reason="廃止届")  # type: ignore[attr-defined]
    assert person.pk not in accounts_valid_on(Purpose.DEBIT, date(2026, 1, 1))
    assert accounts_valid_on(Purpose.REFUND, date(2026, 1, 1))[person.pk].pk == refund.pk
    with pytest.raises(AccountError, match="保険料引落口座"):
        debit_account_end(actor=ACTOR, account_id=refund.pk, valid_to=date(2026, 1, 1), reason="x")
    with pytest.raises(AccountError, match="終了理由"):
        debit_account_end(actor=ACTOR, account_id=debit.pk, valid_to=date(2025, 11, 1), reason=" ")  # type: ignore[attr-defined]


def test_unknown_person_is_refused() -> None:
    with pytest.raises(AccountError, match="宛名"):
        register(999_999)
