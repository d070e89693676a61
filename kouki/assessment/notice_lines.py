"""The instalment table of a notice built from stored instalment rows, as
kouki.documents.premium_data.instalment_lines builds it from a plan (tests/assessment compares them)."""

from __future__ import annotations

from datetime import date

from kouki.documents.premium_data import DIRECT, PENSION, STAGE_LABELS, InstalmentLine, InvalidNoticeData
from kouki.rules import instalments as rules


class NoticeLines:
    """`instalment_lines` of stored rows given in (plan, due date, method) order: 普通徴収 numbered
    第1期 …, 特別徴収 labelled by stage. Equal lines (same method, 期別, month, due date and amount: the
    100円-rounded instalments of many people) are one shared, immutable InstalmentLine."""

    def __init__(self) -> None:
        self._lines: dict[int, list[InstalmentLine]] = {}
        self._shared: dict[tuple[str, str, str, date, int], InstalmentLine] = {}
        self._plan = -1
        self._direct_no = 0

    def add(self, plan_id: int, method: str, stage: str, month: str, due: date, amount: int) -> None:
        if plan_id != self._plan:
            self._plan, self._direct_no = plan_id, 0
            self._lines[plan_id] = []
        if method == DIRECT:
            self._direct_no += 1
            period = f"第{self._direct_no}期"
        elif method == PENSION:
            period = STAGE_LABELS.get(stage, "")
        else:
            raise InvalidNoticeData(f"instalment method {method!r}: must be direct or pension")
        key = (method, period, month, due, amount)
        line = self._shared.get(key)
        if line is None:
            ym = rules.YearMonth.parse(month)
            line = self._shared[key] = InstalmentLine(method, period, ym.year, ym.month, due, amount, False)
        self._lines[plan_id].append(line)

    def of(self, plan_id: int) -> tuple[InstalmentLine, ...]:
        return tuple(self._lines.get(plan_id, ()))
