"""The owner's own account screens (issue 14 §3–§4): パスワードの変更, and 初回登録 with a one-time code —
the owner chooses a password and enrols a TOTP secret shown only on their own screen.

登録 is public (there is no account to sign in with yet): step 1 takes the ID and the code, step 2 shows a
new TOTP secret and takes the password and a code from the authenticator app. The secret and the code live
in the server-side session for ENROL_SECONDS only; nothing is stored until step 2 succeeds.
"""

from __future__ import annotations

import json
import time

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts import totp
from kouki.accounts.selectors import staff_by_username
from kouki.accounts.terminal import client_address, terminal_id
from kouki.accounts.webauthn_ceremony import registration_options
from kouki.core.config import access_config
from kouki.staff.enrol import EnrolmentRefused, KeyEnrolment, enrol_check, enrol_complete, password_change
from kouki.staff.services import login_actor, logout_record
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.account_forms import EnrolCodeForm, EnrolSetupForm, PasswordChangeForm

ENROL = "kouki_enrol"
ENROL_SECONDS = 900


@staff_view(permission=None, business_function=None)
def password_change_view(request: HttpRequest) -> HttpResponseBase:
    user = staff_user(request)
    assert user is not None
    forced = user.must_change_password
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_for(request)
        try:
            password_change(
                actor=actor,
                user_id=user.pk,
                current=form.cleaned_data["current"],
                new=form.cleaned_data["new"],
                address=client_address(request),
            )
        except EnrolmentRefused as exc:
            if exc.locked:  # guessed at an open session: it ends, and this address is locked for the account
                logout_record(actor=actor, reason="locked")
                logout(request)
                messages.error(request, "もう一度ログインしてください")
                return redirect("web:login")
            form.add_error(exc.field or None, str(exc))
        else:
            user.refresh_from_db()
            update_session_auth_hash(request, user)  # this session stays signed in; others end
            messages.success(request, "パスワードを変更しました")
            return redirect("web:menu")
    return render(request, "web/password_change.html", {"form": form, "forced": forced})


def _enrol_state(request: HttpRequest) -> dict[str, str] | None:
    state = request.session.get(ENROL)
    if not isinstance(state, dict) or time.time() - float(state.get("at", 0)) > ENROL_SECONDS:
        request.session.pop(ENROL, None)
        return None
    return state


@staff_view(permission=None, business_function=None, public=True)
def enrol_view(request: HttpRequest) -> HttpResponseBase:
    if staff_user(request) is not None:
        return redirect("web:menu")
    form = EnrolCodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        try:
            user = enrol_check(
                actor=login_actor(username, terminal_id(request)),
                username=username,
                code=form.cleaned_data["code"],
                address=client_address(request),
            )
        except EnrolmentRefused as exc:
            form, error = EnrolCodeForm(initial={"username": username}), str(exc)  # the code is not echoed
        else:
            request.session.cycle_key()
            request.session[ENROL] = {
                "username": user.username,
                "code": form.cleaned_data["code"],
                "secret": totp.new_secret(),
                "at": time.time(),
            }
            return redirect("web:enrol_setup")
    return render(request, "web/enrol.html", {"form": form, "error": error})


@staff_view(permission=None, business_function=None, public=True)
def enrol_setup_view(request: HttpRequest) -> HttpResponseBase:
    state = _enrol_state(request)
    if state is None or staff_user(request) is not None:
        return redirect("web:enrol")
    config = access_config()
    form = EnrolSetupForm(request.POST or None, totp=config.totp_allowed, webauthn=config.webauthn_allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = None
        if data.get("webauthn") and data.get("webauthn_challenge"):
            key = KeyEnrolment(data["webauthn_challenge"], data["webauthn"], data.get("key_name", ""))
        try:
            enrol_complete(
                actor=login_actor(state["username"], terminal_id(request)),
                username=state["username"],
                code=state["code"],
                password=data["password"],
                secret=state["secret"],
                totp_code=data.get("totp_code", ""),
                address=client_address(request),
                key=key,
            )
        except EnrolmentRefused as exc:
            field = {"name": "key_name", "webauthn": None}.get(exc.field, exc.field)
            if field is None or field in form.fields:
                form.add_error(field, str(exc))
            else:
                request.session.pop(ENROL, None)
                messages.error(request, str(exc))
                return redirect("web:enrol")
        else:
            request.session.pop(ENROL, None)
            messages.success(
                request, "登録が完了しました。設定したパスワードと確認コードでログインしてください"
            )
            return redirect("web:login")
    secret = state["secret"]
    issued = None
    user = staff_by_username(state["username"])
    if config.webauthn_allowed and user is not None:
        issued = registration_options(user)
    return render(
        request,
        "web/enrol_setup.html",
        {
            "form": form,
            "username": state["username"],
            "totp": config.totp_allowed,
            "webauthn": issued is not None,
            "both": config.totp_allowed and issued is not None,
            "challenge_id": issued.challenge_id if issued else None,
            "options": json.loads(issued.options_json) if issued else None,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": totp.provisioning_uri(secret=secret, username=state["username"]),
        },
    )
