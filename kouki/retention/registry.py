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
    basis: str  # why this period (or why none), in Japanese: shown on the plan screen
    source: str  # where the basis is written
    targets: tuple[Target, ...] = ()
    default: Period | None = None
    minimum: Period | None = None
    never: bool = False
    setting: str = KOUKI_RETENTION  # where the installation sets the period
    files: bool = False  # files in KOUKI_OUTBOX_DIRS, clocked by their modification time


SEVEN_YEARS = Period(7, "y")
_LOG_NF = "記録は「一定期間」保存とされ、期間の定めなし(市が定める)"

KINDS: tuple[Kind, ...] = (
    Kind(
        "inquiry_records", "情報提供等記録",
        "番号法23条の記録。番号法施行令30条により7年間保存する(長くは設定できるが、短くはできない)",
        "domain-facts-next §5 [R36 §23][R37 施行令30条][R38]",
        (Target("inquiries.InquiryRecord", "requested_at",
                children=(("inquiries.InquiryResult", "record"),)),),
        default=SEVEN_YEARS, minimum=SEVEN_YEARS,
    ),
    Kind(
        "inquiry_results", "情報照会結果",
        "完了・中断した照会結果は一定期間経過後に自動で削除する(期間は評価書に記載なし)",
        "SEC-31; PIA L2862–2865", (Target("inquiries.InquiryResult", "received_at"),),
        setting="KOUKI_INQUIRY_RESULT_DAYS",
    ),
    Kind(
        "outbox_files", "送信ファイル(作業用電子データ)",
        "作業用の電子データは事務が完了したら速やかに消去する(期間の定めなし)",
        "SEC-22; PIA L2256–2258", files=True,
    ),
    Kind(
        "union_files", "広域連合への送信ファイル記録",
        "送信の記録(期間の定めなし)。ファイル種別ごとの最新の記録は次回の日次処理の起点のため常に保存する",
        "SEC-13, SEC-16; PIA L2695–2698, L2736–2740",
        (Target("eligibility.OutboundFile", "created_at", keep_newest_per="kind"),),
    ),
    Kind(
        "transfer_records", "特定個人情報の移転記録",
        "移転の都度記録する(期間の定めなし)", "SEC-15, SEC-16; PIA L2648, L2702–2704",
        (Target("transfers.TransferRecord", "executed_at"),),
    ),
    Kind(
        "import_rejections", "取込中止(不備)の記録",
        "期間の定めなし。取込済の記録は同じファイルの二重取込を防ぐため消去しない", "—",
        (Target("interfaces.ImportRecord", "imported_at", only={"status": "rejected"}),),
    ),
    Kind(
        "privacy_inquiries", "個人情報に関する問合せ受付票",
        "受付票を作成し対応を記録する(期間の定めなし)。完了した受付票のみ、完了日時から起算する",
        "SEC-38; PIA L3297–3304",
        (Target("rights.PrivacyInquiry", "closed_at", only={"status": "closed"},
                exclude_null=("closed_at",)),),
    ),
    Kind(
        "alerts", "監査警告",
        "期間の定めなし。確認済みの警告のみ、確認日時から起算する",
        "issue 15 §2; domain-facts-next §8",
        (Target("privacy.Alert", "acknowledged_at", exclude_null=("acknowledged_at",)),),
    ),
    Kind(
        "person_views", "宛名閲覧記録", _LOG_NF, "SEC-12; PIA L2455, L2462",
        (Target("privacy.PersonView", "at"),),
    ),
    Kind(
        "jukinet_lookups", "住基ネット照会記録",
        _LOG_NF + "。他市の操作履歴7年保存の例は本市の定めではない",
        "IN-09, SEC-12; domain-facts-next §6 [R43]", (Target("jukinet.Lookup", "at"),),
    ),
    Kind(
        "login_failures", "ログイン失敗の記録(ロック判定用)",
        "ログイン制限・ロック判定用の記録(ログインの履歴は監査ログにある)。期間の定めなし",
        "SEC-05; issue 14 §3",
        (Target("accounts.LoginFailure", "failed_at"), Target("accounts.AccountFailure", "failed_at")),
    ),
    Kind(
        "sessions", "期限切れのセッション",
        "期限切れのセッションは使用できず、何も記録しない。期限切れ後0日で消去する", "Django sessions",
        (Target("sessions.Session", "expire_date"),), default=Period(0, "d"),
    ),
    Kind(
        "audit_log", "監査ログ", "ハッシュチェーンで保護され、検査は先頭の行から行う。評価書は「一定期間」"
        "とするのみで、アプリケーションは監査ログを削除しない(ADR 0005 #6)",
        "SEC-12, SEC-13; PIA L2450–2462; ADR 0005 #6",
        (Target("privacy.AuditEntry", "at"),), never=True,
    ),
    Kind(
        "reference_log", "個人番号参照ログ", "監査ログと同じくハッシュチェーンで保護され、削除しない",
        "SEC-11, SEC-12; PIA L2457–2462; ADR 0005 #6", (Target("privacy.ReferenceLog", "at"),), never=True,
    ),
    Kind(
        "personal_numbers", "資格喪失者の個人番号",
        "保管期間「定められていない」(平成26年度までの保険料は期間制限なく減額更正できるため恒久的に"
        "保管する)。死亡者の個人番号も保管する",
        "DATA-02, DATA-03; PIA L2015–2023, L3187–3189",
        never=True,
    ),
    Kind(
        "premium_records", "賦課・収納の記録", "保管期間「定められていない」: 恒久的に保管し、消去しない",
        "DATA-02; PIA L2015–2023, L3132–3135", never=True,
    ),
)

KINDS_BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
