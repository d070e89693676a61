"""Every refusal the money services raise for a clerk is written in Japanese (issue 11 §4), so the screens
show it as it stands instead of the generic 「入力内容を確認してください」: the literal text of each
`raise ArrearsError(...)` / `raise CollectionError(...)` / `raise AllocationError(...)` passes
`japanese_or`. (What is formatted into a message — amounts, 和暦, instalment labels — is Japanese by
construction: kouki.rules.formatting.yen, kouki.rules.wareki, kouki.collection.labels.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kouki.web.screen_text import FALLBACK, japanese_or

ROOT = Path(__file__).resolve().parents[2] / "kouki"
MODULES = [
    "collection/services.py",
    "collection/decisions.py",
    "collection/state.py",
    "arrears/services.py",
    "arrears/pension_conversion.py",
    "rules/collection/allocation.py",
]
ERRORS = {"ArrearsError", "CollectionError", "AllocationError"}


def _literal_text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values if isinstance(v, ast.Constant))
    return ""


def _messages(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if isinstance(func, ast.Name) and func.id in ERRORS and node.exc.args:
                out.append((node.lineno, _literal_text(node.exc.args[0])))
    return out


@pytest.mark.parametrize("module", MODULES)
def test_service_refusals_are_written_in_japanese(module: str) -> None:
    found = _messages(ROOT / module)
    assert found, f"no refusals found in {module}"
    english = [(line, text) for line, text in found if japanese_or(text, FALLBACK) != text]
    assert english == []


def test_the_check_sees_an_english_message(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text('def f(n):\n    raise CollectionError(f"receipt {n}: amount must be positive")\n')
    assert _messages(source) == [(2, "receipt : amount must be positive")]
    assert japanese_or(_messages(source)[0][1], FALLBACK) == FALLBACK


def test_an_unimplemented_income_year_is_named_in_wareki() -> None:
    """The rules refuse a salary of an income year whose 給与所得控除 is not implemented: the counter reads
    the year in 和暦 and what to do, not the English of the JSON interface."""
    from kouki.rules.json_request import InvalidRequest
    from kouki.rules.premium.income import salary_table
    from kouki.web.views.calculator_fields import rule_refusal

    try:
        try:
            salary_table(2026)
        except ValueError as cause:
            raise InvalidRequest(f"household: {cause}") from cause
    except InvalidRequest as exc:
        shown = rule_refusal(exc)
    assert shown.startswith("令和8年分の所得の給与所得控除にはまだ対応していません")
    assert "(対応: 令和2年分〜令和7年分)" in shown
    assert japanese_or(shown, FALLBACK) == shown
    assert rule_refusal(InvalidRequest("household: no member has insured: true")) == FALLBACK
