"""事務 numbers (BF-01) as one enum: the 15 事務 of the assessment, ★ = may use 個人番号."""

from __future__ import annotations

import ast
from pathlib import Path

from kouki.accounts.permissions import JIMU_LABELS, NUMBER_JIMU, Jimu
from kouki.web.access import BUSINESS_FUNCTIONS, NUMBER_BUSINESS_FUNCTIONS

KOUKI = Path(__file__).resolve().parents[2] / "kouki"


def test_the_fifteen_jimu_and_the_starred_ones() -> None:
    assert [int(j) for j in Jimu] == list(range(1, 16))
    assert sorted(NUMBER_JIMU) == [1, 4, 5, 6, 9, 11, 13, 15]  # requirements §1.1 (L101)
    assert all(j.handles_personal_numbers == (j in NUMBER_JIMU) for j in Jimu)
    assert Jimu.FUNERAL_EXPENSES == 7 and not Jimu.FUNERAL_EXPENSES.handles_personal_numbers
    assert BUSINESS_FUNCTIONS == frozenset(range(1, 16)) and NUMBER_BUSINESS_FUNCTIONS == NUMBER_JIMU


def test_every_jimu_has_its_name() -> None:
    assert set(JIMU_LABELS) == set(Jimu)
    assert Jimu.PREMIUM_COLLECTION.label == "保険料の徴収"
    assert len({j.label for j in Jimu}) == len(Jimu)


def test_no_view_declares_a_bare_number() -> None:
    """Every `business_function=` in kouki/ is a Jimu member or None, never an int or an alias."""
    wrong = []
    for path in sorted(KOUKI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg != "business_function":
                    continue
                value = kw.value
                ok = (isinstance(value, ast.Constant) and value.value is None) or (
                    isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
                    and value.value.id == "Jimu" and value.attr in Jimu.__members__
                ) or (isinstance(value, ast.Name) and path.name == "access.py")
                if not ok:
                    wrong.append(f"{path.relative_to(KOUKI.parent)}:{node.lineno} {ast.unparse(value)}")
    assert wrong == []
