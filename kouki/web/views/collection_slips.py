"""納付書 (payment slips) of a person's fiscal year as one PDF: the slips in force, e.g. those issued when
the person was moved to direct payment after a 特別徴収 non-deduction (issue 11 §3). Staff with
Perm.VIEW_PERSON (事務 6); without ?fy= the newest year with slips in force. No personal number is
printed (kouki.slips.documents)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.collection import web_selectors
from kouki.slips.documents import slips_pdf
from kouki.slips.selectors import slips_of_person
from kouki.web.access import staff_view
from kouki.web.collection_forms import FiscalYearForm
from kouki.web.views.person_lookup import person_or_404


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def slips_pdf_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = person_or_404(person_id)
    form = FiscalYearForm(request.GET)
    if not form.is_valid():
        raise Http404("年度の指定が正しくありません")
    chosen = form.cleaned_data["fy"]
    years = [int(chosen)] if chosen is not None else web_selectors.fiscal_years_of(person_id)
    fiscal_year, slips = next(((y, s) for y in years if (s := slips_of_person(person_id, y))), (0, []))
    if not slips:
        raise Http404("この年度の有効な納付書はありません")
    pdf = slips_pdf([s.slip_id for s in slips], issued_on=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"nofusho-{fiscal_year}-{current.person.addressee_no}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
