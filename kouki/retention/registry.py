"""The kinds of record kouki keeps for a limited time, with the clock, the period and its basis (issue 15 §5).

Each kind names its table(s) ("app.Model", looked up through the app registry: kouki.retention imports no
domain model), the date or datetime field that starts the clock, and where its period comes from:

- a period a source gives (`default`, e.g. 7 years for 情報提供等記録) — the installation may lengthen it
  through KOUKI_RETENTION, never shorten it below `minimum`;
- a period no source gives ([NF]): no default; the kind is not purged until KOUKI_RETENTION sets it, and
  `kouki retention plan` lists it as not configured;
- `never`: not purged by this version whatever is set (the audit chain; premium records and personal
  numbers, kept permanently per DATA-02/DATA-03). Setting a period for it is refused.

The inquiry results keep their own setting (KOUKI_INQUIRY_RESULT_DAYS) and purge (kouki.inquiries.services.
purge_results): the registry lists them and the retention purge calls that purge, nothing is duplicated.
The table in docs/operations/retention.md is this registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kouki.rules.retention import Period

KOUKI_RETENTION = "KOUKI_RETENTION"


@dataclass(frozen=True)
class Target:
    model: str  # "app.Model"
    clock: str  # the date/datetime field that starts the clock
    only: dict[str, Any] = field(default_factory=dict)  # filter: only these rows belong to the kind
    exclude_null: tuple[str, ...] = ()  # rows with this field still empty are not finished: never purged
    # the newest row per value of this field is kept whatever its age (a watermark another job reads)
    keep_newest_per: str = ""
    # (app.Model, fk field) rows pointing at a purged row through a PROTECT key, deleted with it
    children: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    basis: str  # why this period (or why none), in words
    source: str  # where the basis is written
    targets: tuple[Target, ...] = ()
    default: Period | None = None
    minimum: Period | None = None
    never: bool = False
    setting: str = KOUKI_RETENTION  # where the installation sets the period
    files: bool = False  # files in KOUKI_OUTBOX_DIRS, clocked by their modification time


SEVEN_YEARS = Period(7, "y")
_LOG_NF = "要件は「一定期間」保存のみ: the assessment gives no period ([NF]); the city decides"

KINDS: tuple[Kind, ...] = (
    Kind(
        "inquiry_records", "情報提供等記録",
        "番号法23条の記録を7年間保存する (番号法施行令30条). A longer period may be set, a shorter "
        "one is refused",
        "domain-facts-next §5 [R36 §23][R37 施行令30条][R38]",
        (Target("inquiries.InquiryRecord", "requested_at",
                children=(("inquiries.InquiryResult", "record"),)),),
        default=SEVEN_YEARS, minimum=SEVEN_YEARS,
    ),
    Kind(
        "inquiry_results", "情報照会結果",
        "完了・中断した照会結果は一定期間経過後に自動で削除する; the period is [NF]",
        "SEC-31; PIA L2862–2865", (Target("inquiries.InquiryResult", "received_at"),),
        setting="KOUKI_INQUIRY_RESULT_DAYS",
    ),
    Kind(
        "outbox_files", "送信ファイル(作業用電子データ)",
        "作業用の電子データは事務が完了したら速やかに消去する; 'promptly' is not a period ([NF])",
        "SEC-22; PIA L2256–2258", files=True,
    ),
    Kind(
        "union_files", "広域連合への送信ファイル記録",
        "送信記録 (SEC-13, SEC-16); no period is given ([NF]). The newest record of each file kind is kept: "
        "it holds the watermark the next daily batch starts from",
        "SEC-13, SEC-16; PIA L2695–2698, L2736–2740",
        (Target("eligibility.OutboundFile", "created_at", keep_newest_per="kind"),),
    ),
    Kind(
        "transfer_records", "特定個人情報の移転記録",
        "移転の都度記録する (SEC-16); no period is given ([NF])", "SEC-15, SEC-16; PIA L2648, L2702–2704",
        (Target("transfers.TransferRecord", "executed_at"),),
    ),
    Kind(
        "import_rejections", "取込中止(不備)の記録",
        "No source names a period for the record of a rejected file ([NF]); applied files' records are "
        "kept (they stop the same file from being taken in twice)", "—",
        (Target("interfaces.ImportRecord", "imported_at", only={"status": "rejected"}),),
    ),
    Kind(
        "privacy_inquiries", "個人情報に関する問合せ受付票",
        "受付票を作成し対応を記録する; no period is given ([NF]). Only 完了 slips, from their closing",
        "SEC-38; PIA L3297–3304",
        (Target("rights.PrivacyInquiry", "closed_at", only={"status": "closed"},
                exclude_null=("closed_at",)),),
    ),
    Kind(
        "alerts", "監査警告",
        "No source names a period ([NF]). Only acknowledged alerts, from their acknowledgement",
        "issue 15 §2; domain-facts-next §8",
        (Target("privacy.Alert", "acknowledged_at", exclude_null=("acknowledged_at",)),),
    ),
    Kind(
        "person_views", "宛名閲覧記録", _LOG_NF, "SEC-12; PIA L2455, L2462",
        (Target("privacy.PersonView", "at"),),
    ),
    Kind(
        "jukinet_lookups", "住基ネット照会記録",
        _LOG_NF + " (one municipality keeps 操作履歴 7 years [R43]: not a rule for this city)",
        "IN-09, SEC-12; domain-facts-next §6 [R43]", (Target("jukinet.Lookup", "at"),),
    ),
    Kind(
        "login_failures", "ログイン失敗の記録(ロック判定用)",
        "Counters for the sign-in throttle and the lock, not the login history (which is in the audit "
        "log); no source names a period ([NF])", "SEC-05; issue 14 §3",
        (Target("accounts.LoginFailure", "failed_at"), Target("accounts.AccountFailure", "failed_at")),
    ),
    Kind(
        "sessions", "期限切れのセッション",
        "An expired session can no longer be used; it records nothing (Django's clearsessions deletes "
        "them). Kept 0 days after it expired", "Django sessions",
        (Target("sessions.Session", "expire_date"),), default=Period(0, "d"),
    ),
    Kind(
        "audit_log", "監査ログ", "Not purged in this version: the log is hash-chained and `kouki "
        "audit verify` walks it from its first row; the assessment gives only 「一定期間」 and "
        "ADR 0005 #6 says the application never deletes the audit log",
        "SEC-12, SEC-13; PIA L2450–2462; ADR 0005 #6",
        (Target("privacy.AuditEntry", "at"),), never=True,
    ),
    Kind(
        "reference_log", "個人番号参照ログ", "Not purged in this version (hash-chained like the audit log)",
        "SEC-11, SEC-12; PIA L2457–2462; ADR 0005 #6", (Target("privacy.ReferenceLog", "at"),), never=True,
    ),
    Kind(
        "personal_numbers", "資格喪失者の個人番号",
        "保管期間「定められていない」 (kept permanently: premiums up to FY2014 can be corrected "
        "without limit) and deceased persons' numbers are kept: never purged",
        "DATA-02, DATA-03; PIA L2015–2023, L3187–3189",
        never=True,
    ),
    Kind(
        "premium_records", "賦課・収納の記録", "保管期間「定められていない」: kept permanently; no purge "
        "deletes premium or assessment records", "DATA-02; PIA L2015–2023, L3132–3135", never=True,
    ),
)

KINDS_BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
