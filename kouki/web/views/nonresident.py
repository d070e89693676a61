"""住登外者の登録: a person the city's resident register does not hold (e.g. 住所地特例, 施設入所) gets an
addressee number from the city's own range (kouki.addressees.nonresident, audited in its transaction).

Staff who enter notifications (Perm.ENTER_NOTIFICATION, 事務 1 資格) register them; no personal number
is taken on this screen (it is registered afterwards on the number screens, by those allowed to).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.services import nonresident_register
from kouki.web.access import actor_for, staff_view
from kouki.web.nonresident_forms import NonResidentForm


@staff_view(permission=Perm.ENTER_NOTIFICATION, business_function=Jimu.ELIGIBILITY)
def nonresident_new_view(request: HttpRequest) -> HttpResponse:
    form = NonResidentForm(request.POST or None, initial={"registered_on": timezone.localdate().isoformat()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = nonresident_register(
                actor=actor_for(request), family_name=data["family_name"],
                given_name=data["given_name"].strip(),
                family_name_kana=data["family_name_kana"], given_name_kana=data["given_name_kana"],
                sex=data["sex"], birth_date=data["birth_date"], postal_code=data["postal_code"],
                municipality_code=data["municipality_code"], address=data["address"],
                phone=data["phone"].strip(), registered_on=data["registered_on"],
            )
        except ValueError:
            # every rule of the service is checked by the form; what is left is the number range
            form.add_error(None, "登録できませんでした。住登外者の宛名番号の設定を確認してください")
        else:
            messages.success(request, f"住登外者として登録しました(宛名番号 {person.addressee_no})。")
            return redirect("web:person_detail", person_id=person.pk)
    return render(request, "addressees/nonresident_new.html", {"form": form})
