"""The simulated union's 期割情報 side: what it holds of the city's instalment plans, and the reconciliation
of the 収納情報 it received against them (issue 13 §4: "let the simulated union reconcile it").

`take_instalments(held, records)` applies one 期割情報 file to the plans held (`held`: "municipality:
addressee:fiscal year" → {"plan_no", "annual_amount", "instalments": {"method:period": amount}}): every
(宛名番号, 賦課年度) in the file replaces what was held for it; a 取消 record leaves no instalment.

`reconcile(held, entries)` compares the receipts held (the latest snapshot per receipt, kouki.sandbox.union.
collection) with the plans and returns every mismatch:

- 期割なし: a receipt for a (person, fiscal year) the union holds no 期割 for;
- 期割超過: receipts net of refunds and 充当 (out of the year the overpayment came from, into the year it
  went to) above the year's instalments (a 取消 plan has none);
- 期別なし: a receipt naming a period (期別) the plan does not have for its method (特別徴収 receipts go to
  the 特別徴収 instalments, the others to the 普通徴収 ones);
- 期別超過: receipts naming a period above that instalment's amount.

Cancelled receipts are left out; provisional (速報) store receipts count, as the union would see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kouki.interfaces.union.instalment_info import CollectionMethod, InstalmentInfoRecord
from kouki.interfaces.union.receipt_info import ReceiptChannel, ReceiptRecordKind, ReceiptState


@dataclass(frozen=True)
class Mismatch:
    municipality_code: str
    addressee_no: str
    fiscal_year: int
    kind: str  # 期割なし / 期割超過 / 期別なし / 期別超過
    period: int  # 0 for the year as a whole
    expected: int  # yen in the plan (0 when none)
    received: int  # yen received


def _key(municipality: str, addressee: str, fiscal_year: int) -> str:
    return f"{municipality}:{addressee}:{fiscal_year}"


def take_instalments(held: dict[str, dict[str, Any]], records: Iterable[InstalmentInfoRecord]) -> None:
    fresh: dict[str, dict[str, Any]] = {}
    for r in records:
        key = _key(r.municipality_code, r.addressee_no, r.fiscal_year)
        entry = fresh.setdefault(
            key, {"plan_no": r.plan_no, "annual_amount": r.annual_amount, "instalments": {}}
        )
        if r.method != CollectionMethod.NONE:
            entry["instalments"][f"{r.method.value}:{r.period}"] = r.amount
    held.update(fresh)


def _method_of(channel: str) -> str:
    pension = channel == ReceiptChannel.PENSION.value
    return (CollectionMethod.PENSION if pension else CollectionMethod.DIRECT).value


def reconcile(held: dict[str, dict[str, Any]], entries: Iterable[dict[str, Any]]) -> list[Mismatch]:
    """Every mismatch between the receipts held and the 期割 held (see the module docstring), sorted."""
    yearly: dict[str, int] = {}
    by_period: dict[tuple[str, str], int] = {}
    for e in entries:
        if e["state"] == ReceiptState.CANCELLED.value:
            continue
        key = _key(e["municipality_code"], e["addressee_no"], int(e["fiscal_year"]))
        amount = int(e["amount"])
        if e["kind"] == ReceiptRecordKind.REFUND.value:
            yearly[key] = yearly.get(key, 0) - amount
            continue
        if e["kind"] == ReceiptRecordKind.SET_OFF.value:  # an overpayment of one year paid into another
            source = _key(e["municipality_code"], e["addressee_no"], int(e["from_fiscal_year"]))
            yearly[source] = yearly.get(source, 0) - amount
            yearly[key] = yearly.get(key, 0) + amount
            continue
        if e["kind"] != ReceiptRecordKind.RECEIPT.value:
            continue  # 不納欠損 writes off what was not paid: no money
        yearly[key] = yearly.get(key, 0) + amount
        if int(e["period"]) > 0:
            cell = (key, f"{_method_of(e['channel'])}:{int(e['period'])}")
            by_period[cell] = by_period.get(cell, 0) + amount
    out: list[Mismatch] = []
    for key, received in yearly.items():
        municipality, addressee, fy = key.split(":")
        plan = held.get(key)
        if plan is None:
            out.append(Mismatch(municipality, addressee, int(fy), "期割なし", 0, 0, received))
            continue
        expected = sum(plan["instalments"].values())
        if received > expected:
            out.append(Mismatch(municipality, addressee, int(fy), "期割超過", 0, expected, received))
    for (year_key, slot), received in by_period.items():
        plan = held.get(year_key)
        if plan is None:
            continue
        municipality, addressee, fy = year_key.split(":")
        period = int(slot.split(":")[1])
        if slot not in plan["instalments"]:
            out.append(Mismatch(municipality, addressee, int(fy), "期別なし", period, 0, received))
        elif received > plan["instalments"][slot]:
            out.append(Mismatch(municipality, addressee, int(fy), "期別超過", period,
                                plan["instalments"][slot], received))  # fmt: skip
    out.sort(key=lambda m: (m.municipality_code, m.addressee_no, m.fiscal_year, m.period, m.kind))
    return out
