"""The content of an answer (inside the sealed envelope): JSON, UTF-8, one object per inquiry kind.
Field by field in docs/interfaces/chukan-server.md."""

from __future__ import annotations

import json
from typing import Any

from kouki.income.pension_store import PensionAnswer
from kouki.inquiries.catalogue import InquiryKind


class InvalidAnswer(ValueError):
    """An answer whose content is not the documented form (no content in the message)."""


def decode(plain: bytes) -> dict[str, Any]:
    try:
        body = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidAnswer("the answer is not UTF-8 JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("found"), bool):
        raise InvalidAnswer("the answer has no boolean 'found'")
    return body


def _int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidAnswer(f"answer field {name}: not a whole number of yen ≥ 0")
    return value


def pension_answer(body: dict[str, Any]) -> PensionAnswer | None:
    """The 年金給付関係情報 as kouki.income takes it; None when the provider has no record of them."""
    if not body["found"]:
        return None
    return PensionAnswer(
        income_year=_int(body, "income_year"),
        public_pension_revenue=_int(body, "public_pension_revenue"),
        care_deduction_pension_annual=_int(body, "care_deduction_pension_annual"),
    )


LABELS: dict[InquiryKind, list[tuple[str, str]]] = {
    InquiryKind.PENSION: [
        ("payer", "年金保険者"),
        ("pension_kind", "年金の種類"),
        ("income_year", "対象年(暦年)"),
        ("public_pension_revenue", "公的年金等の支払額(年額・円)"),
        ("care_deduction_pension_annual", "特別徴収対象年金額(年額・円)"),
    ],
    InquiryKind.UNION_PREMIUM: [
        ("union", "広域連合"),
        ("fiscal_year", "年度"),
        ("annual_premium", "保険料年額(円)"),
        ("collection_method", "徴収方法"),
        ("february_pension_deduction", "2月の特別徴収額(円)"),
        ("unpaid", "未納額(円)"),
    ],
}


def display_rows(kind: InquiryKind, body: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for the screen; an empty list when nothing was found."""
    if not body["found"]:
        return []
    return [(label, "" if body.get(key) is None else str(body.get(key))) for key, label in LABELS[kind]]
