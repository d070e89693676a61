"""Access declaration of every staff screen: `@staff_view(permission=..., business_function=...)`.

- The declaration is stored on the view as `view.kouki_access` so a test can walk every URL and check it.
- Non-public views need a fully signed-in user (password and TOTP both passed) — else a redirect to login.
- A missing permission gives the 403 page (and an audit row: attempts are part of the record, SEC-13).
- BF-01: a view that touches personal numbers must be tagged with one of the 事務 that may use them
  (1, 4, 5, 6, 9, 11, 13, 15); anything else is refused when the module is imported.
- Responses of non-public views are never cached (Cache-Control: no-store), so a screen with identity
  data cannot be brought back from a browser cache after logout (SEC-04, SEC-10).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import NUMBER_JIMU, Jimu, Perm
from kouki.accounts.terminal import terminal_id
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor

BUSINESS_FUNCTIONS = frozenset(Jimu)
# 事務 that may handle personal numbers (requirements §1.1, BF-01).
NUMBER_BUSINESS_FUNCTIONS = NUMBER_JIMU
NUMBER_PERMISSIONS = frozenset({
    Perm.VIEW_PERSONAL_NUMBER,
    Perm.SEARCH_BY_PERSONAL_NUMBER,
    Perm.REGISTER_PERSONAL_NUMBER,
    Perm.CONFIRM_PERSONAL_NUMBER,
    Perm.LINK_INTEGRATED_NUMBER,
    Perm.JUKINET_LOOKUP,
})
SECOND_FACTOR_DONE = "kouki_second_factor_done"
# The screens an account whose password someone else chose may open before changing it (issue 14 §3).
PASSWORD_PENDING_VIEWS = frozenset({"password_change_view"})

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class AccessDeclaration:
    permission: Perm | None
    business_function: Jimu | None
    public: bool = False
    methods: tuple[str, ...] = ("GET", "POST")

    @property
    def may_handle_personal_numbers(self) -> bool:
        return self.business_function in NUMBER_BUSINESS_FUNCTIONS


def staff_user(request: HttpRequest) -> StaffUser | None:
    """The signed-in staff member when both factors are done, else None."""
    user = request.user
    if not user.is_authenticated or not isinstance(user, StaffUser) or not user.is_active:
        return None
    if request.session.get(SECOND_FACTOR_DONE) is not True:
        return None
    return user


def actor_for(request: HttpRequest) -> Actor:
    user = staff_user(request)
    if user is None:
        raise PermissionDenied("not signed in")
    return Actor(username=user.username, terminal_id=terminal_id(request), user_id=user.pk)


def declaration_of(view: Callable[..., Any]) -> AccessDeclaration | None:
    return cast(AccessDeclaration | None, getattr(view, "kouki_access", None))


def _validate(decl: AccessDeclaration) -> None:
    if decl.business_function is not None and decl.business_function not in BUSINESS_FUNCTIONS:
        raise ImproperlyConfigured(f"business_function must be 1..15 (事務), got {decl.business_function}")
    if decl.permission in NUMBER_PERMISSIONS and not decl.may_handle_personal_numbers:
        raise ImproperlyConfigured(
            f"BF-01: a view needing {decl.permission} must be tagged with a 事務 that may use "
            f"personal numbers {sorted(map(int, NUMBER_BUSINESS_FUNCTIONS))}, got {decl.business_function}"
        )
    if decl.public and decl.permission is not None:
        raise ImproperlyConfigured("a public view cannot require a permission")
    if not decl.methods or any(m not in {"GET", "POST"} for m in decl.methods):
        raise ImproperlyConfigured("methods must be GET and/or POST")


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/forbidden.html", {"reason": reason}, status=403)


def reading_limited(request: HttpRequest, message: str) -> HttpResponse:
    """The user reached an hourly reading limit (kouki.privacy.reading): 429, nothing shown."""
    return render(request, "web/reading_limit.html", {"message": message}, status=429)


def _record_denial(request: HttpRequest, user: StaffUser, decl: AccessDeclaration) -> None:
    match = request.resolver_match
    with transaction.atomic():
        audit_record(
            actor=Actor(username=user.username, terminal_id=terminal_id(request), user_id=user.pk),
            action=AuditAction.ACCESS_DENIED, target_type=AuditTarget.SCREEN,
            target_id=match.view_name if match else "",
            detail={"permission": str(decl.permission or ""), "method": request.method or ""},
        )


def staff_view(*, permission: Perm | None, business_function: Jimu | None, public: bool = False,
               methods: tuple[str, ...] = ("GET", "POST")) -> Callable[[ViewFunc], ViewFunc]:
    """Declare who may open a screen and for which 事務 (business function); enforce it on every request."""
    decl = AccessDeclaration(permission=permission, business_function=business_function, public=public,
                             methods=tuple(methods))
    _validate(decl)

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            request.kouki_terminal_id = terminal_id(request)  # type: ignore[attr-defined]
            request.kouki_access = decl  # type: ignore[attr-defined]
            if not decl.public:
                user = staff_user(request)
                if user is None:
                    return redirect_to_login(request.get_full_path())
                if user.must_change_password and getattr(view, "__name__", "") not in PASSWORD_PENDING_VIEWS:
                    return _no_store(redirect("web:password_change"))  # issue 14 §3: first sign-in
                if decl.permission is not None and not user.has_kouki_perm(decl.permission):
                    _record_denial(request, user, decl)
                    return _no_store(forbidden(request))
            if request.method not in decl.methods:
                return HttpResponseNotAllowed(list(decl.methods))
            try:
                response = view(request, *args, **kwargs)
            except PermissionDenied:
                response = forbidden(request)
            return response if decl.public else _no_store(response)

        wrapper.kouki_access = decl  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapper)

    return decorate


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Pragma"] = "no-cache"
    return response


def may_show_personal_numbers(request: HttpRequest, perm: Perm = Perm.VIEW_PERSONAL_NUMBER) -> bool:
    """True when the screen's 事務 may use numbers (BF-01) AND the signed-in user holds the permission."""
    decl = getattr(request, "kouki_access", None)
    user = staff_user(request)
    return (
        isinstance(decl, AccessDeclaration)
        and decl.may_handle_personal_numbers
        and user is not None
        and user.has_kouki_perm(perm)
    )
