"""The audit log's vocabulary: every action and target type a row may carry, with a label for the screens.

The values are the strings stored in `AuditEntry.action` / `.target_type` since the first rows were written
(some dotted, some not; `person` beside `addressees.Person`): they are named here, never respelled, so
existing rows, the hash chain and lookups by string keep working. `kouki.privacy.audit` takes only these
members (mypy checks the callers; tests/core/test_audit_vocabulary.py checks no literal is passed).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    ACCESS_DENIED = "access.denied"
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    ALERT_RAISE = "alert.raise"
    ADDRESSEE_CHANGE_APPLY = "addressee.change_apply"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_REVIEW_RECORD = "audit_review.record"
    AUDIT_REVIEW_REPORT = "audit_review.report"
    AUDIT_PERSON_VIEW = "audit.person_view"
    AUDIT_SEARCH = "audit.search"
    BACKUP_CREATE = "backup.create"
    ADDRESSEE_NONRESIDENT_REGISTER = "addressee.nonresident_register"
    APPLICATION_CONFIRM = "application.confirm"
    APPLICATION_CORRECT = "application.correct"
    APPLICATION_DECIDE = "application.decide"
    APPLICATION_NOTICE = "application.notice"
    APPLICATION_NOTICE_PRINT = "application.notice_print"
    APPLICATION_RECEIVE = "application.receive"
    APPLICATION_RECEIPT_PRINT = "application.receipt_print"
    APPLICATION_RETURN = "application.return"
    APPLICATION_SEND = "application.send"
    APPLICATION_TRANSFER = "application.transfer"
    APPLICATION_WITHDRAW = "application.withdraw"
    ASSESSMENT_STORE = "assessment.store"
    BANK_ACCOUNT_END = "bank_account_end"
    DEBIT_ACCOUNT_REGISTER = "debit_account_register"
    DEBIT_ACCOUNT_END = "debit_account_end"
    REFUND_ACCOUNT_REGISTER = "refund_account_register"
    REFUND_ACCOUNT_END = "refund_account_end"
    CERTIFICATES_BATCH_ISSUE = "certificates.batch_issue"
    CERTIFICATES_BATCH_MAILED = "certificates.batch_mailed"
    CERTIFICATES_HANDOVER = "certificates.handover"
    CERTIFICATES_ISSUE = "certificates.issue"
    CERTIFICATES_RESENT = "certificates.resent"
    CERTIFICATES_RETURNED_UNDELIVERABLE = "certificates.returned_undeliverable"
    COLLECTION_REALLOCATE = "collection_reallocate"
    COMMAND_REFUSED = "command.refused"
    CONTACT_RECORD = "contact_record"
    DEBIT_REQUEST_CREATE = "debit_request_create"
    ELIGIBILITY_ADDRESS_EXCEPTION_STORE = "eligibility.address_exception_store"
    ELIGIBILITY_CERTIFICATE_REQUEST_ISSUED = "eligibility.certificate_request_issued"
    ELIGIBILITY_CERTIFICATE_REQUEST_STORE = "eligibility.certificate_request_store"
    ELIGIBILITY_INSURED_PERIOD_STORE = "eligibility.insured_period_store"
    ELIGIBILITY_OUTBOUND_FILE = "eligibility.outbound_file"
    FAILED_DEBIT_SLIPS = "failed_debit_slips"
    IMPORT_APPLIED = "import.applied"
    HIGH_COST_ACCOUNT_END = "high_cost_account_end"
    HIGH_COST_ACCOUNT_REGISTER = "high_cost_account_register"
    INCOME_TAX_STORE = "income.tax_store"
    INSTALMENT_DEFER = "instalment_defer"
    INSTALMENT_PLAN_CREATE = "instalment_plan_create"
    INSTALMENT_PLAN_REPLAN = "instalment_plan_replan"
    INSTALMENT_PLAN_TO_DIRECT = "instalment_plan_to_direct"
    INSTALMENT_PLANS_INITIAL = "instalment_plans_initial"
    INTEGRATED_NUMBER_ASSIGN = "integrated_number.assign"
    INTEGRATED_NUMBER_BACKFILL = "integrated_number.backfill"
    INTEGRATED_NUMBER_LIST = "integrated_number.list"
    INTEGRATED_NUMBER_MAP = "integrated_number.map"
    JUKINET_LOOKUP = "jukinet.lookup"
    INQUIRY = "inquiry"
    INQUIRY_CODE_ACQUIRE = "inquiry.code_acquire"
    INQUIRY_RESULT_OPEN = "inquiry.result_open"
    INCOME_PENSION_STORE = "income.pension_store"
    INQUIRY_RESULTS_PURGE = "inquiry.results_purge"
    INQUIRY_KEY_CREATE = "inquiry.key_create"
    INQUIRY_RECORDS_VIEW = "inquiry.records_view"
    PRIVACY_INQUIRY_RECORD = "privacy_inquiry.record"
    PRIVACY_INQUIRY_ANSWER = "privacy_inquiry.answer"
    DISCLOSURE_REQUEST_RECEIVE = "disclosure_request.receive"
    DISCLOSURE_REQUEST_EXTEND = "disclosure_request.extend"
    DISCLOSURE_EXTENSION_NOTICE_PRINT = "disclosure_extension_notice.print"
    DISCLOSURE_DECISION_NOTICE_PRINT = "disclosure_decision_notice.print"
    DISCLOSURE_DECISION_PREPARE = "disclosure_decision.prepare"
    DISCLOSURE_DECISION_APPROVE = "disclosure_decision.approve"
    DISCLOSURE_DECISION_APPROVE_REFUSED = "disclosure_decision.approve_refused"
    DISCLOSURE_PACKAGE_GENERATE = "disclosure_package.generate"
    DISCLOSURE_PACKAGE_DOWNLOAD = "disclosure_package.download"
    DISCLOSURE_REQUEST_CARRY_OUT = "disclosure_request.carry_out"
    RETENTION_PURGE = "retention.purge"
    RETENTION_FILES_PURGE = "retention.files_purge"
    KEYS_EXPORT = "keys.export"
    KEYS_REENCRYPT = "keys.reencrypt"
    KEYS_RETIRE = "keys.retire"
    KEYS_ROTATE = "keys.rotate"
    KEYS_ROTATE_AUDIT = "keys.rotate_audit"
    KEYS_ROTATE_SEARCH_HASH = "keys.rotate_search_hash"
    LATE_CHARGE_DETERMINE = "late_charge_determine"
    LATE_CHARGE_WAIVE = "late_charge_waive"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"
    LOGIN_PASSWORD_OK = "login.password_ok"  # noqa: S105 (an action name, not a password)
    LOGIN_REFUSED_LOCKED = "login.refused_locked"
    LOGIN_THROTTLED = "login.throttled"
    STAFF_SECRETS_SEAL = "staff.secrets_seal"
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGOUT = "logout"
    NOTIFICATION_CONFIRM = "notification.confirm"
    NOTIFICATION_ENTER = "notification.enter"
    NOTIFICATION_MATCHING_RUN = "notification.matching_run"
    NOTIFICATION_MISMATCH_RESOLVE = "notification.mismatch_resolve"
    NOTIFICATION_REENTER = "notification.reenter"
    NOTIFICATION_RETURN = "notification.return"
    NOTIFICATION_SENT = "notification.sent"
    PAYMENT_CERTIFICATE_ISSUE = "payment_certificate_issue"
    PENSION_CONVERSION_DONE = "pension_conversion_done"
    PENSION_NOT_DEDUCTED = "pension_not_deducted"
    PERSONAL_NUMBER_CONFIRM = "personal_number.confirm"
    PERSONAL_NUMBER_PENDING = "personal_number.pending"
    PERSONAL_NUMBER_REJECT = "personal_number.reject"
    PERSONAL_NUMBER_REVEAL = "personal_number.reveal"
    PERSONAL_NUMBER_SEARCH = "personal_number.search"
    READING_REFUSED = "reading.refused"
    PERSONAL_NUMBER_STORE = "personal_number.store"
    PERSONAL_NUMBER_TRANSFER = "personal_number.transfer"
    PLEDGE_MAKE = "pledge_make"
    PLEDGE_REVIEW = "pledge_review"
    RECEIPT_CANCEL = "receipt_cancel"
    RECEIPT_CONFIRM = "receipt_confirm"
    RECEIPT_RECORD = "receipt_record"
    REFUND_CANCEL = "refund_cancel"
    REFUND_DECIDE = "refund_decide"
    REFUND_PAID = "refund_paid"
    REFUND_RETURNED = "refund_returned"
    REFUND_TRANSFER_CREATE = "refund_transfer_create"
    REMINDER_ISSUE = "reminder_issue"
    REMINDER_ISSUE_LATE = "reminder_issue_late"
    SET_OFF_DECIDE = "set_off_decide"
    SLIP_ISSUE = "slip_issue"
    SLIP_REISSUE = "slip_reissue"
    SLIP_SUPERSEDE = "slip_supersede"
    SLIPS_ISSUE_FOR_PLANS = "slips_issue_for_plans"
    STAFF_CREATE = "staff.create"
    STAFF_DISABLE = "staff.disable"
    STAFF_ENABLE = "staff.enable"
    STAFF_ENROL = "staff.enrol"
    STAFF_ENROL_FAILED = "staff.enrol_failed"
    STAFF_ENROLMENT_CODE = "staff.enrolment_code"
    STAFF_PASSWORD_CHANGE = "staff.password_change"  # noqa: S105 (an action name, not a password)
    STAFF_REQUEST = "staff.request"
    STAFF_REQUEST_APPROVE = "staff.request_approve"
    STAFF_REQUEST_REJECT = "staff.request_reject"
    STAFF_ROLE_CHANGE = "staff.role_change"
    STAFF_RESET_TOTP = "staff.reset_totp"
    STAFF_UNLOCK = "staff.unlock"
    STAFF_WEBAUTHN_REGISTER = "staff.webauthn_register"
    STAFF_WEBAUTHN_REGISTER_FAILED = "staff.webauthn_register_failed"
    STAFF_WEBAUTHN_REVOKE = "staff.webauthn_revoke"
    STORE_FLAG_UNCONFIRMED = "store_flag_unconfirmed"
    STORE_REPORT_APPLY = "store_report_apply"
    STORE_WORK_ITEM_RESOLVE = "store_work_item_resolve"
    SYNTH_CITY_LOAD = "synth.city_load"
    TRANSFER_APPROVE = "transfer.approve"
    TRANSFER_DEFINITION_REGISTER = "transfer.definition_register"
    TRANSFER_EXECUTE = "transfer.execute"
    TRANSFER_REFUSED = "transfer.refused"
    WRITE_OFF_APPROVE = "write_off_approve"
    WRITE_OFF_RECORD = "write_off_record"
    WRITE_OFF_REJECT = "write_off_reject"
    WRITE_OFF_REQUEST = "write_off_request"

    @property
    def label(self) -> str:
        """Japanese label for the audit screens."""
        return ACTION_LABELS[self]


class AuditTarget(StrEnum):
    NONE = ""  # a row about no particular record
    ADDRESSEES_PERSON = "addressees.Person"
    APPLICATION = "applications.Application"
    PERSON = "person"  # the person of a personal-number row (privacy)
    COLLECTION_PERSON = "Person"  # the person whose receipts collection reallocated
    ARREARS_CONTACT_RECORD = "arrears.ContactRecord"
    ARREARS_PAYMENT_PLEDGE = "arrears.PaymentPledge"
    ARREARS_PENSION_NON_DEDUCTION = "arrears.PensionNonDeduction"
    ARREARS_REMINDER = "arrears.Reminder"
    ARREARS_WRITE_OFF_REQUEST = "arrears.WriteOffRequest"
    BANK_ACCOUNT = "BankAccount"
    CERTIFICATE_BATCH = "certificates.CertificateBatch"
    CERTIFICATE_REQUEST = "eligibility.CertificateRequest"
    CITY = "city"
    DEBIT_RUN = "DebitRun"
    FAILED_DEBIT = "FailedDebit"
    IMPORT_RECORD = "interfaces.ImportRecord"
    JUKINET_LOOKUP = "jukinet.Lookup"
    INQUIRY_RECORD = "inquiries.InquiryRecord"
    PRIVACY_INQUIRY = "rights.PrivacyInquiry"
    DISCLOSURE_REQUEST = "disclosure.DisclosureRequest"
    INSTALMENT_DEFERRAL = "InstalmentDeferral"
    INSTALMENT_PLAN = "InstalmentPlan"
    KEYRING = "keyring"
    PRIVACY_ALERT = "privacy.Alert"
    AUDIT_REVIEW = "reviews.AuditReview"
    AUDIT_REVIEW_MONTH = "audit_review_month"
    LATE_CHARGE = "LateCharge"
    MATCHING_MISMATCH = "notifications.MatchingMismatch"
    NOTIFICATION = "notifications.Notification"
    NOTIFICATIONS = "notifications"
    OUTBOUND_FILE = "eligibility.OutboundFile"
    PAYMENT_SLIP = "PaymentSlip"
    RECEIPT = "Receipt"
    REFUND = "Refund"
    REFUND_TRANSFER_RUN = "RefundTransferRun"
    SCREEN = "screen"
    SET_OFF = "SetOff"
    STAFF = "staff"
    STORE_PAYMENT = "StorePayment"
    STORE_WORK_ITEM = "StoreWorkItem"
    TRANSFER = "transfer"
    TRANSFER_DEFINITION = "transfers.TransferDefinition"
    TRANSFER_RECORD = "transfers.TransferRecord"
    WRITE_OFF = "WriteOff"

    @property
    def label(self) -> str:
        """Japanese label for the audit screens."""
        return TARGET_LABELS[self]


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.ACCESS_DENIED: "権限のない画面へのアクセス拒否",
    AuditAction.ALERT_ACKNOWLEDGE: "警告の確認",
    AuditAction.ALERT_RAISE: "警告の発生",
    AuditAction.AUDIT_REVIEW_RECORD: "月次点検の記録",
    AuditAction.AUDIT_REVIEW_REPORT: "月次点検報告書の作成",
    AuditAction.COMMAND_REFUSED: "コマンド実行の拒否(職員・権限の不備)",
    AuditAction.ADDRESSEE_CHANGE_APPLY: "住民異動の反映",
    AuditAction.ADDRESSEE_NONRESIDENT_REGISTER: "住登外者の登録",
    AuditAction.APPLICATION_CONFIRM: "申請の再鑑確認",
    AuditAction.APPLICATION_CORRECT: "申請の修正",
    AuditAction.APPLICATION_DECIDE: "申請への広域連合の決定の反映",
    AuditAction.APPLICATION_NOTICE: "決定通知書の交付・郵送・返戻",
    AuditAction.APPLICATION_NOTICE_PRINT: "決定通知書の印刷",
    AuditAction.APPLICATION_RECEIVE: "申請の受付",
    AuditAction.APPLICATION_RECEIPT_PRINT: "申請受付票の印刷",
    AuditAction.APPLICATION_RETURN: "申請の差戻し",
    AuditAction.APPLICATION_SEND: "申請情報の広域連合への送付",
    AuditAction.APPLICATION_TRANSFER: "申請書の庁内送付",
    AuditAction.APPLICATION_WITHDRAW: "申請の取下げ",
    AuditAction.ASSESSMENT_STORE: "賦課情報の取込",
    AuditAction.BANK_ACCOUNT_END: "口座の終了（口座変更）",
    AuditAction.DEBIT_ACCOUNT_REGISTER: "引落口座の登録",
    AuditAction.DEBIT_ACCOUNT_END: "引落口座の終了",
    AuditAction.REFUND_ACCOUNT_REGISTER: "還付口座の登録",
    AuditAction.REFUND_ACCOUNT_END: "還付口座の終了",
    AuditAction.CERTIFICATES_BATCH_ISSUE: "資格確認書等の一括発行",
    AuditAction.CERTIFICATES_BATCH_MAILED: "一括発行分の発送",
    AuditAction.CERTIFICATES_HANDOVER: "資格確認書等の窓口引渡し",
    AuditAction.CERTIFICATES_ISSUE: "資格確認書等の発行",
    AuditAction.CERTIFICATES_RESENT: "返戻された資格確認書等の再送付",
    AuditAction.CERTIFICATES_RETURNED_UNDELIVERABLE: "資格確認書等の返戻",
    AuditAction.COLLECTION_REALLOCATE: "収納の再充当",
    AuditAction.CONTACT_RECORD: "滞納者への接触記録",
    AuditAction.DEBIT_REQUEST_CREATE: "口座振替依頼データの作成",
    AuditAction.ELIGIBILITY_ADDRESS_EXCEPTION_STORE: "住所地特例の取込",
    AuditAction.ELIGIBILITY_CERTIFICATE_REQUEST_ISSUED: "証発行依頼の発行済み",
    AuditAction.ELIGIBILITY_CERTIFICATE_REQUEST_STORE: "証発行依頼の取込",
    AuditAction.ELIGIBILITY_INSURED_PERIOD_STORE: "被保険者資格の取込",
    AuditAction.ELIGIBILITY_OUTBOUND_FILE: "広域連合への送信ファイル作成",
    AuditAction.FAILED_DEBIT_SLIPS: "振替不能分の納付書作成",
    AuditAction.IMPORT_APPLIED: "連携ファイルの取込",
    AuditAction.HIGH_COST_ACCOUNT_END: "高額療養費振込口座の終了",
    AuditAction.HIGH_COST_ACCOUNT_REGISTER: "高額療養費振込口座の登録",
    AuditAction.INCOME_TAX_STORE: "所得・課税情報の取込",
    AuditAction.INSTALMENT_DEFER: "期別の徴収猶予の記録",
    AuditAction.INSTALMENT_PLAN_CREATE: "期割の作成",
    AuditAction.INSTALMENT_PLAN_REPLAN: "期割の再計算",
    AuditAction.INSTALMENT_PLAN_TO_DIRECT: "特別徴収の未徴収による普通徴収への切替",
    AuditAction.INSTALMENT_PLANS_INITIAL: "当初期割の一括作成",
    AuditAction.KEYS_REENCRYPT: "個人番号の再暗号化",
    AuditAction.KEYS_RETIRE: "旧鍵の廃止",
    AuditAction.KEYS_ROTATE: "暗号鍵の更新",
    AuditAction.KEYS_ROTATE_AUDIT: "監査鍵の更新",
    AuditAction.KEYS_ROTATE_SEARCH_HASH: "検索用ハッシュ鍵の更新",
    AuditAction.AUDIT_CHECKPOINT: "監査ログのチェックポイント記録",
    AuditAction.AUDIT_PERSON_VIEW: "監査: 宛名ごとの参照状況の閲覧",
    AuditAction.AUDIT_SEARCH: "監査: 監査記録の検索",
    AuditAction.BACKUP_CREATE: "データベースのバックアップ作成",
    AuditAction.KEYS_EXPORT: "鍵ファイルの暗号化書き出し",
    AuditAction.LATE_CHARGE_DETERMINE: "延滞金の確定・再計算",
    AuditAction.LATE_CHARGE_WAIVE: "延滞金の減免",
    AuditAction.LOGIN_FAILED: "ログイン失敗",
    AuditAction.LOGIN_LOCKED: "アカウントのロック",
    AuditAction.LOGIN_PASSWORD_OK: "パスワード認証成功",
    AuditAction.LOGIN_REFUSED_LOCKED: "ロック中のログイン拒否",
    AuditAction.LOGIN_THROTTLED: "接続元の失敗回数超過によるログイン拒否",
    AuditAction.STAFF_SECRETS_SEAL: "二要素認証の秘密鍵の封緘",
    AuditAction.LOGIN_SUCCEEDED: "ログイン",
    AuditAction.LOGOUT: "ログアウト",
    AuditAction.NOTIFICATION_CONFIRM: "届出の再鑑確認",
    AuditAction.NOTIFICATION_ENTER: "届出の入力",
    AuditAction.NOTIFICATION_MATCHING_RUN: "届出と広域連合データの突合",
    AuditAction.NOTIFICATION_MISMATCH_RESOLVE: "突合差異の解消",
    AuditAction.NOTIFICATION_REENTER: "届出の再入力",
    AuditAction.NOTIFICATION_RETURN: "届出の差戻し",
    AuditAction.NOTIFICATION_SENT: "届出の送信",
    AuditAction.PAYMENT_CERTIFICATE_ISSUE: "納付証明書の発行",
    AuditAction.PENSION_CONVERSION_DONE: "特徴から普徴への切替完了",
    AuditAction.PENSION_NOT_DEDUCTED: "年金からの特別徴収不能",
    AuditAction.INTEGRATED_NUMBER_ASSIGN: "団体内統合宛名番号の付番",
    AuditAction.INTEGRATED_NUMBER_BACKFILL: "団体内統合宛名番号の一括付番",
    AuditAction.INTEGRATED_NUMBER_LIST: "団体内統合宛名番号の未付番一覧",
    AuditAction.INTEGRATED_NUMBER_MAP: "団体内統合宛名番号の対応付け",
    AuditAction.JUKINET_LOOKUP: "住基ネット本人確認情報の照会",
    AuditAction.INQUIRY: "中間サーバによる情報照会",
    AuditAction.INQUIRY_CODE_ACQUIRE: "情報提供用個人識別符号の取得",
    AuditAction.INQUIRY_RESULT_OPEN: "情報照会結果の閲覧",
    AuditAction.INCOME_PENSION_STORE: "年金給付関係情報(情報照会)の所得情報への反映",
    AuditAction.INQUIRY_RESULTS_PURGE: "情報照会結果の自動消去",
    AuditAction.INQUIRY_KEY_CREATE: "情報照会結果の復号鍵の作成",
    AuditAction.INQUIRY_RECORDS_VIEW: "情報提供等記録の閲覧",
    AuditAction.PRIVACY_INQUIRY_RECORD: "個人情報に関する問合せ受付票の記録",
    AuditAction.PRIVACY_INQUIRY_ANSWER: "個人情報に関する問合せへの回答・対応の記録",
    AuditAction.DISCLOSURE_REQUEST_RECEIVE: "開示・訂正・利用停止請求の受付",
    AuditAction.DISCLOSURE_REQUEST_EXTEND: "開示等の決定期限の延長",
    AuditAction.DISCLOSURE_EXTENSION_NOTICE_PRINT: "決定期限延長通知書の印刷",
    AuditAction.DISCLOSURE_DECISION_NOTICE_PRINT: "開示決定等通知書の印刷",
    AuditAction.DISCLOSURE_DECISION_PREPARE: "開示等の決定案の作成",
    AuditAction.DISCLOSURE_DECISION_APPROVE: "開示等の決定の承認",
    AuditAction.DISCLOSURE_DECISION_APPROVE_REFUSED: "開示等の決定の承認拒否(作成者本人)",
    AuditAction.DISCLOSURE_PACKAGE_GENERATE: "開示文書(写し)の作成",
    AuditAction.DISCLOSURE_PACKAGE_DOWNLOAD: "開示文書(写し)の出力",
    AuditAction.DISCLOSURE_REQUEST_CARRY_OUT: "訂正・利用停止の実施の記録",
    AuditAction.RETENTION_PURGE: "保存期間を過ぎた記録の消去",
    AuditAction.RETENTION_FILES_PURGE: "保存期間を過ぎた送信ファイルの消去",
    AuditAction.PERSONAL_NUMBER_CONFIRM: "個人番号の確認",
    AuditAction.PERSONAL_NUMBER_PENDING: "個人番号の確認待ち登録",
    AuditAction.PERSONAL_NUMBER_REJECT: "個人番号の却下",
    AuditAction.PERSONAL_NUMBER_REVEAL: "個人番号の表示",
    AuditAction.PERSONAL_NUMBER_SEARCH: "個人番号による検索",
    AuditAction.READING_REFUSED: "閲覧上限による拒否",
    AuditAction.PERSONAL_NUMBER_STORE: "個人番号の登録",
    AuditAction.PERSONAL_NUMBER_TRANSFER: "個人番号を含むファイルの送信",
    AuditAction.PLEDGE_MAKE: "納付誓約",
    AuditAction.PLEDGE_REVIEW: "納付誓約の履行確認",
    AuditAction.RECEIPT_CANCEL: "収納の取消",
    AuditAction.RECEIPT_CONFIRM: "収納の確定",
    AuditAction.RECEIPT_RECORD: "収納の記録",
    AuditAction.REFUND_CANCEL: "還付の取消",
    AuditAction.REFUND_DECIDE: "還付の決定",
    AuditAction.REFUND_PAID: "還付の支払",
    AuditAction.REFUND_RETURNED: "還付の振込不能(銀行の振込結果)",
    AuditAction.REFUND_TRANSFER_CREATE: "還付振込データの作成",
    AuditAction.REMINDER_ISSUE: "督促状の発行",
    AuditAction.REMINDER_ISSUE_LATE: "督促状の発行(督促漏れ)",
    AuditAction.SET_OFF_DECIDE: "充当の決定",
    AuditAction.SLIP_ISSUE: "納付書の発行",
    AuditAction.SLIP_REISSUE: "納付書の再発行",
    AuditAction.SLIP_SUPERSEDE: "納付書の失効(期割の再計算)",
    AuditAction.SLIPS_ISSUE_FOR_PLANS: "期割分の納付書一括発行",
    AuditAction.STAFF_CREATE: "職員の登録",
    AuditAction.STAFF_DISABLE: "職員の無効化",
    AuditAction.STAFF_ENABLE: "職員の利用再開",
    AuditAction.STAFF_ENROL: "職員本人によるパスワード・二要素認証の登録",
    AuditAction.STAFF_ENROL_FAILED: "登録コードによる登録の失敗",
    AuditAction.STAFF_ENROLMENT_CODE: "登録コードの発行",
    AuditAction.STAFF_PASSWORD_CHANGE: "パスワードの変更",
    AuditAction.STAFF_REQUEST: "職員アカウントの申請",
    AuditAction.STAFF_REQUEST_APPROVE: "職員アカウント申請の承認",
    AuditAction.STAFF_REQUEST_REJECT: "職員アカウント申請の却下",
    AuditAction.STAFF_ROLE_CHANGE: "職員の役割の変更",
    AuditAction.STAFF_RESET_TOTP: "職員の二要素認証の再設定",
    AuditAction.STAFF_UNLOCK: "職員のロック解除",
    AuditAction.STAFF_WEBAUTHN_REGISTER: "生体認証(端末)の登録",
    AuditAction.STAFF_WEBAUTHN_REGISTER_FAILED: "生体認証(端末)の登録の失敗",
    AuditAction.STAFF_WEBAUTHN_REVOKE: "生体認証(端末)の登録の失効",
    AuditAction.STORE_FLAG_UNCONFIRMED: "コンビニ速報の未確報",
    AuditAction.STORE_REPORT_APPLY: "コンビニ収納データの取込",
    AuditAction.STORE_WORK_ITEM_RESOLVE: "コンビニ収納の要確認の解消",
    AuditAction.SYNTH_CITY_LOAD: "合成データの投入",
    AuditAction.TRANSFER_APPROVE: "移転定義の承認(決裁)の記録",
    AuditAction.TRANSFER_DEFINITION_REGISTER: "移転定義の登録・改版",
    AuditAction.TRANSFER_EXECUTE: "特定個人情報の移転の実行",
    AuditAction.TRANSFER_REFUSED: "移転の拒否(定義・承認・項目・権限の不備)",
    AuditAction.WRITE_OFF_APPROVE: "不納欠損の承認",
    AuditAction.WRITE_OFF_RECORD: "不納欠損の記録",
    AuditAction.WRITE_OFF_REJECT: "不納欠損の却下",
    AuditAction.WRITE_OFF_REQUEST: "不納欠損の起案",
}

TARGET_LABELS: dict[AuditTarget, str] = {
    AuditTarget.NONE: "（対象なし）",
    AuditTarget.ADDRESSEES_PERSON: "宛名（個人）",
    AuditTarget.PERSON: "宛名（個人番号）",
    AuditTarget.COLLECTION_PERSON: "宛名（収納）",
    AuditTarget.ARREARS_CONTACT_RECORD: "接触記録",
    AuditTarget.ARREARS_PAYMENT_PLEDGE: "納付誓約",
    AuditTarget.ARREARS_PENSION_NON_DEDUCTION: "特別徴収不能",
    AuditTarget.ARREARS_REMINDER: "督促状",
    AuditTarget.ARREARS_WRITE_OFF_REQUEST: "不納欠損の起案",
    AuditTarget.BANK_ACCOUNT: "口座",
    AuditTarget.CERTIFICATE_BATCH: "一括発行",
    AuditTarget.CERTIFICATE_REQUEST: "証発行依頼",
    AuditTarget.CITY: "合成の市",
    AuditTarget.DEBIT_RUN: "口座振替依頼",
    AuditTarget.FAILED_DEBIT: "振替不能",
    AuditTarget.IMPORT_RECORD: "取込ファイル",
    AuditTarget.JUKINET_LOOKUP: "住基ネット照会",
    AuditTarget.INQUIRY_RECORD: "情報提供等記録(情報照会)",
    AuditTarget.PRIVACY_INQUIRY: "問合せ受付票",
    AuditTarget.DISCLOSURE_REQUEST: "開示等請求",
    AuditTarget.INSTALMENT_DEFERRAL: "期別の徴収猶予",
    AuditTarget.INSTALMENT_PLAN: "期割",
    AuditTarget.KEYRING: "暗号鍵",
    AuditTarget.PRIVACY_ALERT: "監査警告",
    AuditTarget.AUDIT_REVIEW: "月次点検の記録",
    AuditTarget.AUDIT_REVIEW_MONTH: "月次点検の対象月",
    AuditTarget.LATE_CHARGE: "延滞金",
    AuditTarget.MATCHING_MISMATCH: "突合差異",
    AuditTarget.APPLICATION: "申請",
    AuditTarget.NOTIFICATION: "届出",
    AuditTarget.NOTIFICATIONS: "届出（全体）",
    AuditTarget.OUTBOUND_FILE: "送信ファイル",
    AuditTarget.PAYMENT_SLIP: "納付書",
    AuditTarget.RECEIPT: "収納",
    AuditTarget.REFUND: "還付",
    AuditTarget.REFUND_TRANSFER_RUN: "還付振込",
    AuditTarget.SCREEN: "画面",
    AuditTarget.SET_OFF: "充当",
    AuditTarget.STAFF: "職員",
    AuditTarget.STORE_PAYMENT: "コンビニ収納",
    AuditTarget.STORE_WORK_ITEM: "コンビニ収納の要確認",
    AuditTarget.TRANSFER: "ファイル送信",
    AuditTarget.TRANSFER_DEFINITION: "移転定義",
    AuditTarget.TRANSFER_RECORD: "移転の記録",
    AuditTarget.WRITE_OFF: "不納欠損",
}
