"""Sample 口座振替 lines for `kouki demo`: synthetic debit lines only (no database). The request file and the
simulated bank's result for them are written by kouki.sandbox.bank.samples."""

from __future__ import annotations

from datetime import date

from kouki.banking import bankcodes
from kouki.banking.debits import customer_number
from kouki.interfaces.zengin.debit import DebitLine

SAMPLE_DATE = date(2026, 7, 31)
_PEOPLE = (  # (bank, branch, deposit type, account number, holder, amount, 新規コード)
    ("0001", "001", 1, "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 10_000, 1),
    ("0005", "001", 1, "0004321", "ｽｽﾞｷ ﾊﾅｺ", 6_700, 0),
    ("0017", "104", 1, "0765432", "ﾀﾅｶ ｲﾁﾛｳ", 12_300, 0),
    ("9900", "018", 1, "1111111", "ｻﾄｳ ｶｽﾞｺ", 4_500, 2),
)


def sample_lines() -> list[DebitLine]:
    out = []
    for n, (bank, branch, kind, number, holder, amount, new) in enumerate(_PEOPLE, start=1):
        b, br = bankcodes.bank(bank), bankcodes.branch(bank, branch)
        out.append(
            DebitLine(
                bank,
                b.kana if b else "",
                branch,
                br.kana if br else "",
                kind,
                number,
                holder,
                amount,
                new,
                customer_number(n, SAMPLE_DATE),
            )
        )
    return out

