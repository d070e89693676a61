"""Japanese names of the fields an import error can name (LineError.field), for the 取込 screen.

The layouts already carry them (kouki.interfaces.fixedwidth.Field.label); this collects every Field of the
file layouts, plus the few names that apply steps use for what is not a layout field.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache

from kouki.interfaces.fixedwidth.fields import Field

LAYOUT_MODULES = (
    "kouki.interfaces.fixedwidth.layout",
    "kouki.interfaces.resident_register.layout",
    "kouki.interfaces.tax.layout",
    "kouki.interfaces.union.layouts",
    "kouki.interfaces.union.pension_result",
    "kouki.interfaces.union.receipt_info",
    "kouki.interfaces.union.arrears_info",
    "kouki.interfaces.union.application_info",
    "kouki.interfaces.union.medical_expense_info",
    "kouki.interfaces.union.benefit_decision",
    "kouki.interfaces.stores.codec",
    "kouki.interfaces.zengin.layout",
)

# Names used by apply steps and file-level checks that are no layout field.
EXTRA_LABELS: dict[str, str] = {
    "addressee_no": "宛名番号",
    "customer_no": "顧客番号",
    "customer_code1": "顧客コード1(還付番号)",
    "customer_code2": "顧客コード2(口座番号)",
    "requester_code": "振込依頼人コード",
    "transfer_mmdd": "振込指定日",
    "file_code": "ファイル種別",
    "file_name": "ファイル名",
    "record_type": "レコード区分",
    "record_count": "データ件数",
}


def _fields(value: object, depth: int = 0) -> Iterator[Field]:
    if isinstance(value, Field):
        yield value
    elif isinstance(value, (tuple, list)) and depth < 3:
        for item in value:
            yield from _fields(item, depth + 1)
    elif depth == 0 and hasattr(value, "fields") and isinstance(getattr(value, "fields", None), tuple):
        yield from _fields(value.fields, depth + 1)


@cache
def field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for module_name in LAYOUT_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            for f in _fields(value):
                labels.setdefault(f.name, f.label)
    return {**labels, **EXTRA_LABELS}


def field_label(name: str) -> str:
    """The Japanese name of a field; a name already in Japanese (e.g. 「(ファイル)」) is kept as it is."""
    if not name.isascii():
        return name
    return field_labels().get(name, "(項目)")
