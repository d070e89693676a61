"""File names and kind detection for the files exchanged with the union.

Name: `KOUKI_<kind>_<municipality code>_<YYYYMMDD>.dat`, e.g. `KOUKI_insured-info_11100_20260801.dat`.
The kind is also in the header (ファイル種別), which `detect_kind` reads.

Inbox routing: every union → city kind names the function that takes it in (`inbox_importer`), so that
the daily batch's inbox import (kouki.eligibility.batch.import_inbox) takes in every union file the same
way — the eligibility files and the 保険料情報 alike. The functions are named by dotted path and resolved
when used: kouki.interfaces does not import the applications.
"""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kouki.interfaces.fixedwidth import Layout
from kouki.interfaces.fixedwidth.layout import offsets
from kouki.interfaces.union.application_info import APPLICATION_INFO
from kouki.interfaces.union.arrears_info import ARREARS_INFO
from kouki.interfaces.union.benefit_decision import BENEFIT_DECISION
from kouki.interfaces.union.instalment_info import INSTALMENT_INFO
from kouki.interfaces.union.layouts import ALL_LAYOUTS as UNION_LAYOUTS
from kouki.interfaces.union.medical_expense_info import MEDICAL_EXPENSE_INFO
from kouki.interfaces.union.pension_result import PENSION_RESULT
from kouki.interfaces.union.receipt_info import RECEIPT_INFO

# Collection files (kouki.arrears): 収納情報 and 滞納者情報 to the union, 特別徴収結果 from it.
ALL_LAYOUTS: dict[str, Layout[Any]] = {
    **UNION_LAYOUTS,
    "receipt-info": RECEIPT_INFO,
    "arrears-info": ARREARS_INFO,
    "pension-result": PENSION_RESULT,
    "application-info": APPLICATION_INFO,
    "medical-expense-info": MEDICAL_EXPENSE_INFO,
    "benefit-decision": BENEFIT_DECISION,
    "instalment-info": INSTALMENT_INFO,
}
# Written by kouki.arrears.union_files (not by the eligibility batch; the simulated union's eligibility
# side does not read them: kouki.sandbox.union.collection does). 期割情報: monthly
# (kouki.arrears.instalment_file).
COLLECTION_CITY_TO_UNION = ("receipt-info", "arrears-info", "instalment-info")
# Benefit files (issue 12 §2): 申請情報 as applications occur, 療養費関連情報 monthly, both read by
# kouki.sandbox.union.benefits; 決定情報 back (in UNION_TO_CITY).
BENEFIT_CITY_TO_UNION = ("application-info", "medical-expense-info")

if TYPE_CHECKING:
    from kouki.interfaces.importing import ImportOutcome
    from kouki.privacy.context import Actor

CITY_TO_UNION = ("resident-info", "non-resident-info", "notification-info", "income-info")
UNION_TO_CITY = ("insured-info", "certificate-issue", "address-exception", "premium-info",
                 "pension-result", "benefit-decision")

# union → city kind → the import function (keyword arguments actor, path, report_dir → ImportOutcome)
INBOX_IMPORTERS: dict[str, str] = {
    "insured-info": "kouki.eligibility.importers.import_union_file",
    "certificate-issue": "kouki.eligibility.importers.import_union_file",
    "address-exception": "kouki.eligibility.importers.import_union_file",
    "premium-info": "kouki.assessment.importers.import_premium_info",
    "pension-result": "kouki.arrears.importers.import_pension_result",
    "benefit-decision": "kouki.interfaces.benefit_decisions.import_benefit_decision",
}


class InboxImporter(Protocol):
    def __call__(self, *, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome: ...


def inbox_importer(kind: str | None) -> InboxImporter | None:
    """The import function of a union → city kind (a `detect_kind` key); None for any other kind."""
    target = INBOX_IMPORTERS.get(kind or "")
    if target is None:
        return None
    module, _, name = target.rpartition(".")
    function: InboxImporter = getattr(importlib.import_module(module), name)
    return function
_BY_CODE = {layout.file_code: key for key, layout in ALL_LAYOUTS.items()}


def union_file_name(kind: str, municipality_code: str, on: date, serial: int = 0) -> str:
    """The file name for a kind (a key of ALL_LAYOUTS), a municipality and a day (serial > 0 adds -NN)."""
    if kind not in ALL_LAYOUTS:
        raise ValueError(f"unknown union file kind: {kind}")
    suffix = f"-{serial:02d}" if serial else ""
    return f"KOUKI_{kind}_{municipality_code}_{on:%Y%m%d}{suffix}.dat"


def detect_kind(data: bytes) -> str | None:
    """The kind key from the header's ファイル種別 (bytes 15–16), or None when it is not a union file."""
    if len(data) < 23 or data[:1] != b"1":
        return None
    return _BY_CODE.get(data[14:16].decode("latin-1"))


def addressee_numbers_in(kind: str, data: bytes) -> list[str]:
    """The 宛名番号 of every data record of a union file of `kind` (a key of ALL_LAYOUTS), in file order,
    read by slicing the fixed-width field (no full parse: the transfer record of each file sent)."""
    layout = ALL_LAYOUTS[kind]
    places = [(pos, f.length) for f, pos in offsets(layout.fields) if f.name == "addressee_no"]
    if not places:
        return []
    start, end = places[0][0], places[0][0] + places[0][1]
    width = layout.record_length + 2  # CR LF after every record
    numbers: list[str] = []
    for at in range(0, len(data), width):
        if data[at : at + 1] == b"2":
            numbers.append(data[at + start : at + end].decode("ascii").strip())
    return numbers
