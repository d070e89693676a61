"""生体認証(WebAuthn) screens (issue 14 §5): the sign-in step with this terminal's authenticator, the owner's
own list of registered terminals (register this one, revoke one). The script that talks to the browser is the
static file web/webauthn.js (served by WhiteNoise with the other static files).

The administrator revokes a terminal from the account screen (kouki.web.views.staff_accounts). The writes
and their audit rows are kouki.staff.webauthn_keys; the checks of what the browser sends,
kouki.accounts.webauthn_ceremony (py_webauthn).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts import second_factors
from kouki.accounts.selectors import webauthn_credentials
from kouki.accounts.terminal import client_address, terminal_id
from kouki.accounts.webauthn_ceremony import authentication_options, registration_options
from kouki.core.config import access_config
from kouki.staff.services import login_actor
from kouki.staff.webauthn_keys import KeyRefused, key_register, key_revoke, login_webauthn_verify
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.views.auth import finish_second_step, pre_auth_user
from kouki.web.webauthn_forms import KeyRegisterForm, KeyRevokeForm, WebAuthnLoginForm


def _options(options_json: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(options_json)
    return loaded


@staff_view(permission=None, business_function=None, public=True)
def login_webauthn_view(request: HttpRequest) -> HttpResponseBase:
    user = pre_auth_user(request)
    if user is None:
        return redirect("web:login")
    factors = second_factors.usable(user)
    error = ""
    form = WebAuthnLoginForm(request.POST or None)
    if request.method == "POST":  # checked (and audited) by the service whatever the account has now
        if form.is_valid():
            step = login_webauthn_verify(
                actor=login_actor(user.username, terminal_id(request), user.pk), user_id=user.pk,
                challenge_id=form.cleaned_data["challenge_id"], response_json=form.cleaned_data["credential"],
                address=client_address(request))
            done = finish_second_step(request, step)
            if done is not None:
                return done
        error = "生体認証を確認できませんでした。登録した端末で、もう一度お試しください"
        factors = second_factors.usable(user)
    if second_factors.WEBAUTHN not in factors:
        if error:
            messages.error(request, error)
        return redirect("web:login_totp")
    issued = authentication_options(user)
    return render(request, "web/login_webauthn.html", {
        "staff": user, "error": error, "challenge_id": issued.challenge_id,
        "options": _options(issued.options_json), "totp": second_factors.TOTP in factors,
    })


def _revoke(request: HttpRequest, user_id: int) -> KeyRevokeForm:
    form = KeyRevokeForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            key = key_revoke(actor=actor_for(request), user_id=user_id, credential_id=data["key"],
                             reason=data["reason"])
        except KeyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"端末「{key.name}」の登録を失効させました")
    return form


@staff_view(permission=None, business_function=None)
def my_keys_view(request: HttpRequest) -> HttpResponseBase:
    """生体認証の端末: the owner's registered terminals; register this one; revoke one."""
    user = staff_user(request)
    assert user is not None
    allowed = access_config().webauthn_allowed
    form = KeyRegisterForm()
    revoke_form: KeyRevokeForm | None = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        revoke_form = _revoke(request, user.pk)
        if not revoke_form.errors:
            return redirect("web:my_keys")
    elif request.method == "POST" and allowed:
        form = KeyRegisterForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                key = key_register(actor=actor_for(request), user_id=user.pk,
                                   challenge_id=data["challenge_id"], response_json=data["credential"],
                                   name=data["name"])
            except KeyRefused as exc:
                form.add_error("name" if exc.field == "name" else None, str(exc))
            else:
                messages.success(request, f"この端末を「{key.name}」として登録しました")
                return redirect("web:my_keys")
    issued = registration_options(user) if allowed else None
    return render(request, "web/my_keys.html", {
        "keys": webauthn_credentials(user.pk), "allowed": allowed, "form": form, "revoke_form": revoke_form,
        "challenge_id": issued.challenge_id if issued else None,
        "options": _options(issued.options_json) if issued else None,
        "totp_allowed": access_config().totp_allowed,
    })


def admin_revoke(request: HttpRequest, user_id: int) -> KeyRevokeForm:
    """The administrator's revocation on the account screen (its view checks Perm.MANAGE_STAFF)."""
    return _revoke(request, user_id)
