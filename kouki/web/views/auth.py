"""ログイン → 二要素認証 → メニュー, and ログアウト (SEC-01…SEC-04).

The password step leaves the session signed out; only a valid, unused TOTP code or a WebAuthn assertion
(kouki.web.views.webauthn, issue 14 §5) signs it in. Both
steps count towards the same lockout, and every attempt writes an audit row (in the services).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kouki.accounts import second_factors
from kouki.accounts.models import StaffUser
from kouki.accounts.selectors import staff_by_id
from kouki.accounts.terminal import client_address, terminal_id
from kouki.privacy.redaction import redact
from kouki.staff.services import (
    LoginOutcome,
    LoginStep,
    login_actor,
    login_password_verify,
    login_totp_verify,
    logout_record,
)
from kouki.web.access import SECOND_FACTOR_DONE, staff_user, staff_view
from kouki.web.forms import LoginForm, TotpForm
from kouki.web.middleware import IDLE_FLAG, LAST_SEEN

PRE_AUTH_USER = "kouki_pre_auth_user"
PRE_AUTH_AT = "kouki_pre_auth_at"
NEXT_URL = "kouki_next"
PRE_AUTH_SECONDS = 300
IDLE_MESSAGE = "一定時間操作がなかったためログアウトしました"
THROTTLED_MESSAGE = (
    "この端末からの認証の失敗が続いたため、しばらくログインできません。時間をおいて再度お試しください"
)
# One message for an unknown ID, a disabled or locked account and a wrong password (issue 14 §3: no
# account enumeration); the audit rows keep the difference.
REFUSED_MESSAGE = (
    "職員IDまたはパスワードが正しくありません。"
    "失敗が続くとしばらくログインできなくなります。ログインできないときは管理者に連絡してください"
)
AGAIN_MESSAGE = "もう一度ログインしてください"


def _clear_pre_auth(request: HttpRequest) -> None:
    for key in (PRE_AUTH_USER, PRE_AUTH_AT):
        request.session.pop(key, None)


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return ""


@staff_view(permission=None, business_function=None, public=True)
def login_view(request: HttpRequest) -> HttpResponseBase:
    if staff_user(request) is not None:
        return redirect("web:menu")
    notice = IDLE_MESSAGE if request.session.pop(IDLE_FLAG, False) else ""
    error = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        step = login_password_verify(actor=login_actor(username, terminal_id(request)),
                                     password=form.cleaned_data["password"], address=client_address(request))
        if step.outcome is LoginOutcome.OK and step.user is not None:
            request.session.cycle_key()
            request.session[PRE_AUTH_USER] = step.user.pk
            request.session[PRE_AUTH_AT] = time.time()
            request.session[NEXT_URL] = _safe_next(request, request.POST.get("next", ""))
            if second_factors.usable(step.user)[0] == second_factors.WEBAUTHN:  # the fallback is a link
                return redirect("web:login_webauthn")
            return redirect("web:login_totp")
        if step.outcome is LoginOutcome.THROTTLED:
            error = THROTTLED_MESSAGE
        elif step.outcome is LoginOutcome.NO_SECOND_FACTOR:  # only after the right password
            error = "二要素認証が登録されていません。管理者から登録コードを受け取り、登録してください"
        else:
            error = REFUSED_MESSAGE
        form = LoginForm(initial={"username": redact(username)})
    return render(request, "web/login.html", {
        "form": form, "error": error, "notice": notice,
        "next": _safe_next(request, request.GET.get("next", "") or request.POST.get("next", "")),
    }, status=200)


def pre_auth_user(request: HttpRequest) -> StaffUser | None:
    user_id = request.session.get(PRE_AUTH_USER)
    started = request.session.get(PRE_AUTH_AT)
    if not isinstance(user_id, int) or not isinstance(started, float):
        return None
    if time.time() - started > PRE_AUTH_SECONDS:
        _clear_pre_auth(request)
        messages.error(request, "確認コードの入力時間を過ぎました。もう一度ログインしてください")
        return None
    return staff_by_id(user_id)


@staff_view(permission=None, business_function=None, public=True)
def login_totp_view(request: HttpRequest) -> HttpResponseBase:
    user = pre_auth_user(request)
    if user is None:
        return redirect("web:login")
    error = ""
    form = TotpForm(request.POST or None)
    factors = second_factors.usable(user)
    if second_factors.TOTP not in factors and second_factors.WEBAUTHN in factors:
        return redirect("web:login_webauthn")
    if request.method == "POST" and form.is_valid():
        step = login_totp_verify(actor=login_actor(user.username, terminal_id(request), user.pk),
                                 user_id=user.pk, code=form.cleaned_data["code"],
                                 address=client_address(request))
        done = finish_second_step(request, step)
        if done is not None:
            return done
        error = "確認コードが正しくないか、既に使用されています"
        form = TotpForm()
    return render(request, "web/login_totp.html", {
        "form": form, "error": error, "staff": user, "webauthn": second_factors.WEBAUTHN in factors})


def finish_second_step(request: HttpRequest, step: LoginStep) -> HttpResponseBase | None:
    """After any second factor: sign the session in (OK), or send back to the login (throttled, locked);
    None for a plain refusal (the screen says so and asks again)."""
    if step.outcome is LoginOutcome.OK and step.user is not None:
        next_url = request.session.get(NEXT_URL) or reverse("web:menu")
        login(request, step.user, backend="django.contrib.auth.backends.ModelBackend")
        _clear_pre_auth(request)
        request.session.pop(NEXT_URL, None)
        request.session[SECOND_FACTOR_DONE] = True
        request.session[LAST_SEEN] = time.time()
        if step.user.must_change_password:
            return redirect("web:password_change")
        return redirect(next_url)
    if step.outcome is LoginOutcome.THROTTLED:
        _clear_pre_auth(request)
        messages.error(request, THROTTLED_MESSAGE)
        return redirect("web:login")
    if step.outcome is LoginOutcome.LOCKED or step.locked_now:
        _clear_pre_auth(request)
        messages.error(request, AGAIN_MESSAGE)
        return redirect("web:login")
    return None


@staff_view(permission=None, business_function=None, public=True, methods=("POST",))
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, StaffUser) and user.is_authenticated:
        logout_record(actor=login_actor(user.username, terminal_id(request), user.pk), reason="user")
    logout(request)
    messages.info(request, "ログアウトしました")
    response = redirect("web:login")
    return response
