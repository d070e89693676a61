"""移転定義一覧 (issue 13 §4, SEC-28): the 15 registered transfers with their approval state (read-only).

Registration, approval and paper transfers are `kouki transfers load|approve|paper --as USER`
(docs/operations/transfers.md); this screen shows what they did.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.transfers.selectors import definition_rows
from kouki.web.access import staff_view


@staff_view(permission=Perm.EXECUTE_TRANSFER, business_function=Jimu.INCIDENTAL, methods=("GET",))
def transfer_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/transfers_list.html", {"rows": definition_rows()})
