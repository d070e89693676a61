"""Instalments as a clerk names them in a message: 「令和7年度 普通徴収 第3期」, never a row id."""

from __future__ import annotations

from collections.abc import Iterable

from kouki.assessment.models import Instalment
from kouki.rules.wareki import wareki_year


def instalment_label(inst: Instalment) -> str:
    """令和7年度 普通徴収 第3期 (the instalment's plan must be loaded or loadable)."""
    return f"{wareki_year(inst.plan.fiscal_year)} {inst.get_method_display()} 第{inst.period}期"


def instalment_labels(instalment_ids: Iterable[int], limit: int = 5) -> str:
    """The instalments named by id, 「、」-separated (at most `limit`, then 「ほか」); an id with no
    instalment as 「(存在しない期)」."""
    ids = sorted(set(instalment_ids))
    found = {i.pk: i for i in Instalment.objects.select_related("plan").filter(pk__in=ids[:limit])}
    shown = [instalment_label(found[i]) if i in found else "(存在しない期)" for i in ids[:limit]]
    return "、".join(shown) + ("ほか" if len(ids) > limit else "")
