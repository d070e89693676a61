"""職員アカウント一覧(棚卸) (SEC-06): accounts × permissions × last login, for the administrator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Perm
from kouki.accounts.selectors import staff_inventory
from kouki.core.config import access_config
from kouki.web.access import staff_view


@staff_view(permission=Perm.MANAGE_STAFF, business_function=None, methods=("GET",))
def staff_inventory_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/staff_inventory.html",
        {"rows": staff_inventory(), "dormant_days": access_config().dormant_days},
    )
