"""Staff screens. Every view here carries an access declaration (kouki.web.access.staff_view)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from kouki.web.converters import FiscalYearConverter, IdConverter
from kouki.web.views import (
    account_self,
    audit,
    auth,
    certificate_mailing,
    certificates,
    high_cost_estimate,
    menu,
    nonresident,
    numbers,
    persons,
    premium_estimate,
    staff,
    staff_accounts,
    staff_requests,
    stores,
)
from kouki.web.views import arrears as arr
from kouki.web.views import arrears_pension as pension
from kouki.web.views import arrears_pledges as pledges
from kouki.web.views import arrears_reminders as missed
from kouki.web.views import arrears_write_offs as wo
from kouki.web.views import banking as bank
from kouki.web.views import collection as coll
from kouki.web.views import collection_late_charges as late
from kouki.web.views import collection_overpayments as overpay
from kouki.web.views import collection_slips as slips
from kouki.web.views import copayment_judgement as copay
from kouki.web.views import failed_debits as failed
from kouki.web.views import imports as imp
from kouki.web.views import notifications as notif

register_converter(IdConverter, "id")
register_converter(FiscalYearConverter, "fy")

app_name = "web"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", menu.menu_view, name="menu"),
    path("login/", auth.login_view, name="login"),
    path("login/totp/", auth.login_totp_view, name="login_totp"),
    path("logout/", auth.logout_view, name="logout"),
    path("enrol/", account_self.enrol_view, name="enrol"),
    path("enrol/setup/", account_self.enrol_setup_view, name="enrol_setup"),
    path("password/", account_self.password_change_view, name="password_change"),
    path("imports/", imp.import_view, name="import_upload"),
    path("imports/history/", imp.import_history_view, name="import_history"),
    path("persons/", persons.person_search_view, name="person_search"),
    path("persons/by-number/", persons.person_search_by_number_view, name="person_search_by_number"),
    path("persons/<id:person_id>/", persons.person_detail_view, name="person_detail"),
    path("persons/non-resident/new/", nonresident.nonresident_new_view, name="nonresident_new"),
    path("persons/<id:person_id>/personal-number/", numbers.personal_number_reveal_view,
         name="personal_number_reveal"),
    path("personal-numbers/pending/", numbers.pending_list_view, name="pending_list"),
    path("personal-numbers/pending/<id:pending_id>/confirm/", numbers.pending_confirm_view,
         name="pending_confirm"),
    path("personal-numbers/pending/<id:pending_id>/reject/", numbers.pending_reject_view,
         name="pending_reject"),
    path("audit/references/", audit.reference_log_view, name="reference_log"),
    path("staff/", staff.staff_inventory_view, name="staff_inventory"),
    path("staff/<id:user_id>/", staff_accounts.staff_account_view, name="staff_account"),
    path("staff/requests/", staff_requests.request_list_view, name="staff_requests"),
    path("staff/requests/new/", staff_requests.request_new_view, name="staff_request_new"),
    path("staff/requests/role/", staff_requests.request_role_view, name="staff_request_role"),
    path("staff/requests/<id:request_id>/", staff_requests.request_decide_view, name="staff_request_decide"),
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
    path("certificates/issues/", certificate_mailing.certificate_issues_view, name="certificate_issues"),
    path("certificates/<id:issue_id>/resend/", certificate_mailing.certificate_resend_view,
         name="certificate_resend"),
    path("certificates/<id:issue_id>/pdf/", certificates.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<id:issue_id>/handover/", certificates.certificate_handover_view,
         name="certificate_handover"),
    path("certificates/<id:issue_id>/return/", certificates.certificate_return_view,
         name="certificate_return"),
    path("premium/estimate/", premium_estimate.premium_estimate_view, name="premium_estimate"),
    path("copayment/judgement/", copay.copayment_judgement_view, name="copayment_judgement"),
    path("high-cost/estimate/", high_cost_estimate.high_cost_estimate_view, name="high_cost_estimate"),
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
    path("arrears/pledges/", pledges.pledge_review_view, name="pledge_review"),
    path("arrears/pledges/review/", pledges.pledge_review_run_view, name="pledge_review_run"),
    path("arrears/write-offs/", wo.write_off_worklist_view, name="write_off_worklist"),
    path("arrears/write-offs/<id:request_id>/decide/", wo.write_off_decide_view, name="write_off_decide"),
    path("arrears/pension/", pension.pension_worklist_view, name="pension_worklist"),
    path("arrears/reminders/missed/", missed.missed_reminders_view, name="missed_reminders"),
    path("arrears/reminders/missed/issue/", missed.missed_reminders_issue_view,
         name="missed_reminders_issue"),
    path("arrears/pension/<id:item_id>/done/", pension.pension_done_view, name="pension_done"),
    path("banking/", bank.bank_search_view, name="bank_search"),
    path("banking/persons/<id:person_id>/", bank.bank_accounts_view, name="bank_accounts"),
    path("banking/persons/<id:person_id>/debit/new/", bank.debit_account_register_view,
         name="debit_account_register"),
    path("banking/persons/<id:person_id>/refund/new/", bank.refund_account_register_view,
         name="refund_account_register"),
    path("banking/accounts/<id:account_id>/end/", bank.bank_account_end_view, name="bank_account_end"),
    path("banking/failed-debits/", failed.failed_debit_worklist_view, name="failed_debit_worklist"),
    path("banking/failed-debits/issue/", failed.failed_debit_issue_view, name="failed_debit_issue"),
    path("banking/failed-debits/<id:failure_id>/slip.pdf", failed.failed_debit_slip_pdf_view,
         name="failed_debit_slip_pdf"),
    path("stores/work-items/", stores.store_worklist_view, name="store_worklist"),
    path("stores/work-items/<id:item_id>/resolve/", stores.store_work_item_resolve_view,
         name="store_work_item_resolve"),
]
