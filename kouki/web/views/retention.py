"""保存期間と消去対象 (issue 15 §5): the retention plan, read-only — per kind of record its period, basis and
source, the cut-off and how many records the purge would delete today. For the auditor and the
administrator (VIEW_RETENTION); the purge itself is `kouki retention purge` (docs/operations/retention.md).
Only counts are shown."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Perm
from kouki.retention.periods import RetentionConfigError
from kouki.retention.plan import retention_plan
from kouki.web.access import staff_view


@staff_view(permission=Perm.VIEW_RETENTION, business_function=None, methods=("GET",))
def retention_plan_view(request: HttpRequest) -> HttpResponse:
    try:
        plan, refused = retention_plan(), False
    except RetentionConfigError:
        plan, refused = [], True
    return render(request, "web/retention_plan.html", {
        "plan": plan, "refused": refused,
        "missing": [p.kind.label for p in plan if p.status == "not_configured"],
    })
