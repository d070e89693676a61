"""Staff screens. Every view here carries an access declaration (kouki.web.access.staff_view)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from kouki.web.converters import FiscalYearConverter, IdConverter
from kouki.web.views import arrears as arr
from kouki.web.views import arrears_pension as pension
from kouki.web.views import arrears_reminders as missed
from kouki.web.views import arrears_write_offs as wo
from kouki.web.views import audit, auth, certificates, menu, numbers, persons, premium_estimate, staff
from kouki.web.views import collection as coll
from kouki.web.views import collection_late_charges as late
from kouki.web.views import collection_overpayments as overpay
from kouki.web.views import collection_slips as slips
from kouki.web.views import notifications as notif

register_converter(IdConverter, "id")
register_converter(FiscalYearConverter, "fy")

app_name = "web"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", menu.menu_view, name="menu"),
    path("login/", auth.login_view, name="login"),
    path("login/totp/", auth.login_totp_view, name="login_totp"),
    path("logout/", auth.logout_view, name="logout"),
    path("persons/", persons.person_search_view, name="person_search"),
    path("persons/by-number/", persons.person_search_by_number_view, name="person_search_by_number"),
    path("persons/<id:person_id>/", persons.person_detail_view, name="person_detail"),
    path("persons/<id:person_id>/personal-number/", numbers.personal_number_reveal_view,
         name="personal_number_reveal"),
    path("personal-numbers/pending/", numbers.pending_list_view, name="pending_list"),
    path("personal-numbers/pending/<id:pending_id>/confirm/", numbers.pending_confirm_view,
         name="pending_confirm"),
    path("personal-numbers/pending/<id:pending_id>/reject/", numbers.pending_reject_view,
         name="pending_reject"),
    path("audit/references/", audit.reference_log_view, name="reference_log"),
    path("staff/", staff.staff_inventory_view, name="staff_inventory"),
    path("notifications/", notif.notification_list_view, name="notification_list"),
    path("notifications/new/<id:person_id>/", notif.notification_new_view, name="notification_new"),
    path("notifications/<id:notification_id>/", notif.notification_detail_view, name="notification_detail"),
    path("notifications/<id:notification_id>/edit/", notif.notification_edit_view, name="notification_edit"),
    path("notifications/<id:notification_id>/confirm/", notif.notification_confirm_view,
         name="notification_confirm"),
    path("notifications/<id:notification_id>/return/", notif.notification_return_view,
         name="notification_return"),
    path("notifications/mismatches/", notif.mismatch_list_view, name="mismatch_list"),
    path("notifications/mismatches/run/", notif.mismatch_run_view, name="mismatch_run"),
    path("notifications/mismatches/<id:mismatch_id>/resolve/", notif.mismatch_resolve_view,
         name="mismatch_resolve"),
    path("persons/<id:person_id>/certificates/", certificates.certificate_list_view,
         name="certificate_list"),
    path("persons/<id:person_id>/certificates/issue/", certificates.certificate_issue_view,
         name="certificate_issue"),
    path("certificates/", certificates.certificate_overview_view, name="certificate_overview"),
    path("certificates/<id:issue_id>/pdf/", certificates.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<id:issue_id>/handover/", certificates.certificate_handover_view,
         name="certificate_handover"),
    path("certificates/<id:issue_id>/return/", certificates.certificate_return_view,
         name="certificate_return"),
    path("premium/estimate/", premium_estimate.premium_estimate_view, name="premium_estimate"),
    path("collection/", coll.collection_search_view, name="collection_search"),
    path("collection/persons/<id:person_id>/", coll.collection_ledger_view, name="collection_ledger"),
    path("collection/persons/<id:person_id>/receipts/", coll.counter_receipt_view,
         name="counter_receipt"),
    path("collection/persons/<id:person_id>/slips/", slips.slips_pdf_view, name="slips_pdf"),
    path("collection/receipts/<id:receipt_id>/pdf/", coll.counter_receipt_pdf_view,
         name="counter_receipt_pdf"),
    path("collection/receipts/<id:receipt_id>/cancel/", coll.receipt_cancel_view,
         name="receipt_cancel"),
    path("collection/late-charges/<id:late_charge_id>/waive/", late.late_charge_waive_view,
         name="late_charge_waive"),
    path("collection/overpayments/", overpay.overpayment_list_view, name="overpayment_list"),
    path("collection/overpayments/<id:person_id>/<fy:fiscal_year>/",
         overpay.overpayment_detail_view, name="overpayment_detail"),
    path("collection/overpayments/<id:person_id>/<fy:fiscal_year>/refund/",
         overpay.refund_decide_view, name="refund_decide"),
    path("collection/overpayments/<id:person_id>/<fy:fiscal_year>/set-off/",
         overpay.set_off_decide_view, name="set_off_decide"),
    path("collection/persons/<id:person_id>/payment-certificate/", coll.payment_certificate_view,
         name="payment_certificate"),
    path("arrears/", arr.arrears_list_view, name="arrears_list"),
    path("arrears/persons/<id:person_id>/", arr.arrears_detail_view, name="arrears_detail"),
    path("arrears/persons/<id:person_id>/contacts/", arr.contact_add_view, name="arrears_contact_add"),
    path("arrears/persons/<id:person_id>/pledges/", arr.pledge_make_view, name="arrears_pledge_make"),
    path("arrears/persons/<id:person_id>/write-offs/", arr.write_off_request_view,
         name="write_off_request"),
    path("arrears/write-offs/", wo.write_off_worklist_view, name="write_off_worklist"),
    path("arrears/write-offs/<id:request_id>/decide/", wo.write_off_decide_view, name="write_off_decide"),
    path("arrears/pension/", pension.pension_worklist_view, name="pension_worklist"),
    path("arrears/reminders/missed/", missed.missed_reminders_view, name="missed_reminders"),
    path("arrears/reminders/missed/issue/", missed.missed_reminders_issue_view,
         name="missed_reminders_issue"),
    path("arrears/pension/<id:item_id>/done/", pension.pension_done_view, name="pension_done"),
]
