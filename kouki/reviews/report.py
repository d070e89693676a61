"""The monthly review report's data (issue 15 §1): what a reviewer signs off for one month.

`monthly_review_data(month)` builds the plain data kouki.documents.monthly_review draws. Each section is
built by one function of `SECTION_BUILDERS` from counts the database aggregates (kouki.privacy.review_counts,
kouki.transfers.selectors, kouki.rights.selectors): adding a section (say, disclosure requests) is one
function `Period -> ReviewSection` appended there. Times are stored in UTC and shown in Japanese time; the
month is the local month [1st 00:00, next 1st 00:00) in Asia/Tokyo. Out of hours is KOUKI_OFFICE_HOURS on
the city's calendar (kouki.rules.out_of_hours). Staff appear by name and user ID; every free text (a
purpose, an actor) is redacted of anything shaped like a personal number before it is drawn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

from kouki.core.audit_vocabulary import ACTION_LABELS, AuditAction
from kouki.core.config import city_config, office_hours
from kouki.disclosure.models import RequestKind, RequestState
from kouki.disclosure.selectors import request_counts
from kouki.documents.monthly_review import MonthlyReviewData, ReviewSection, ReviewTable
from kouki.privacy import review_counts as counts
from kouki.privacy.alerts import ALERT_RULES, rule_label
from kouki.privacy.models import ReferenceKind
from kouki.privacy.reading import READING_LABELS
from kouki.privacy.redaction import redact
from kouki.rights.models import Channel, InquiryKind
from kouki.rights.selectors import privacy_inquiry_counts
from kouki.rules.business_days import japanese_calendar
from kouki.rules.out_of_hours import out_of_hours_intervals
from kouki.rules.wareki import wareki_month
from kouki.transfers.selectors import transfer_counts

LOCAL = ZoneInfo("Asia/Tokyo")
TOP = 15  # lines per table; the rest is counted in the note

REFUSALS = (AuditAction.ACCESS_DENIED, AuditAction.COMMAND_REFUSED, AuditAction.READING_REFUSED,
            AuditAction.TRANSFER_REFUSED)
LOGINS = (AuditAction.LOGIN_FAILED, AuditAction.LOGIN_LOCKED, AuditAction.LOGIN_REFUSED_LOCKED,
          AuditAction.LOGIN_THROTTLED, AuditAction.STAFF_ENROL_FAILED, AuditAction.STAFF_UNLOCK)
BATCHES = (AuditAction.CERTIFICATES_BATCH_ISSUE, AuditAction.INSTALMENT_PLANS_INITIAL,
           AuditAction.SLIPS_ISSUE_FOR_PLANS, AuditAction.NOTIFICATION_MATCHING_RUN,
           AuditAction.IMPORT_APPLIED, AuditAction.DEBIT_REQUEST_CREATE, AuditAction.REFUND_TRANSFER_CREATE,
           AuditAction.FAILED_DEBIT_SLIPS, AuditAction.KEYS_REENCRYPT, AuditAction.INTEGRATED_NUMBER_BACKFILL,
           AuditAction.INTEGRATED_NUMBER_LIST, AuditAction.INQUIRY_RESULTS_PURGE, AuditAction.BACKUP_CREATE,
           AuditAction.SYNTH_CITY_LOAD)
FILES_SENT = (AuditAction.ELIGIBILITY_OUTBOUND_FILE, AuditAction.PERSONAL_NUMBER_TRANSFER,
              AuditAction.APPLICATION_SEND, AuditAction.APPLICATION_TRANSFER, AuditAction.KEYS_EXPORT)
ACCOUNT_CHANGES = (AuditAction.STAFF_CREATE, AuditAction.STAFF_DISABLE, AuditAction.STAFF_ENABLE,
                   AuditAction.STAFF_ROLE_CHANGE, AuditAction.STAFF_REQUEST,
                   AuditAction.STAFF_REQUEST_APPROVE, AuditAction.STAFF_REQUEST_REJECT,
                   AuditAction.STAFF_ENROLMENT_CODE, AuditAction.STAFF_ENROL, AuditAction.STAFF_RESET_TOTP,
                   AuditAction.STAFF_WEBAUTHN_REGISTER, AuditAction.STAFF_WEBAUTHN_REVOKE,
                   AuditAction.STAFF_PASSWORD_CHANGE)

LISTED = frozenset(REFUSALS + LOGINS + BATCHES + FILES_SENT + ACCOUNT_CHANGES)


class ReportError(ValueError):
    """A month that cannot be reported (not a month, or not yet begun)."""


@dataclass(frozen=True)
class Period:
    month: date  # the first day
    last: date  # the last day
    since: datetime  # aware, Japanese time: the 1st 00:00
    until: datetime  # aware: the next month's 1st 00:00
    out_of_hours: tuple[tuple[datetime, datetime], ...]  # aware intervals within [since, until)
    names: dict[str, str]  # 職員氏名 by user name, filled as sections ask (staff_label)

    @cached_property
    def listed(self) -> list[counts.ActionCount]:
        """The audit rows of every action the sections list, per (action, actor): one scan of the month."""
        return counts.audit_counts(LISTED, self.since, self.until)

    def action_counts(self, actions: tuple[AuditAction, ...]) -> list[counts.ActionCount]:
        wanted = {a.value for a in actions}
        return [row for row in self.listed if row.action in wanted]

    def staff_label(self, username: str) -> str:
        name = self.names.get(username, "")
        shown = redact(username)
        return f"{name}({shown})" if name else shown


def parse_month(raw: str) -> date:
    """"2026-11" → date(2026, 11, 1); ReportError otherwise."""
    try:
        year, month = (int(part) for part in raw.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ReportError(f"対象月は YYYY-MM の形で指定してください: {raw!r}") from None


def period_of(month: date) -> Period:
    first = month.replace(day=1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    last = date.fromordinal(nxt.toordinal() - 1)
    since, until = (datetime.combine(d, time.min, tzinfo=LOCAL) for d in (first, nxt))
    calendar = japanese_calendar([first.year, nxt.year])
    spans = out_of_hours_intervals(first, last, office_hours(), calendar)
    return Period(first, last, since, until,
                  tuple((a.replace(tzinfo=LOCAL), b.replace(tzinfo=LOCAL)) for a, b in spans), {})


def _n(value: int) -> str:
    return f"{value:,}件"


def _note(shown: int, total: int, extra: str = "") -> str:
    left = f"上位{shown}行を表示(ほか{total - shown}行)。" if total > shown else ""
    return left + extra


def _names(period: Period, usernames: Iterable[str]) -> None:
    wanted = [u for u in usernames if u not in period.names]
    if wanted:
        period.names.update(counts.staff_names(wanted))


def _action_label(action: str) -> str:
    try:
        return ACTION_LABELS[AuditAction(action)]
    except ValueError:
        return redact(action)


def _by_action(rows: Iterable[counts.ActionCount]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.action] += row.count
    return totals


def _action_section(period: Period, title: str, actions: tuple[AuditAction, ...], note: str) -> ReviewSection:
    rows = period.action_counts(actions)
    totals = _by_action(rows)
    _names(period, (r.actor for r in rows[:TOP]))
    return ReviewSection(
        title=title,
        totals=(("合計", _n(sum(totals.values()))),
                *((_action_label(a.value), _n(totals[a.value])) for a in actions if totals.get(a.value))),
        table=ReviewTable(("操作", "職員・実行者", "件数"), (0.45, 0.4, 0.15),
                          tuple((_action_label(r.action), period.staff_label(r.actor), f"{r.count:,}")
                                for r in rows[:TOP])),
        note=_note(min(TOP, len(rows)), len(rows), note),
    )


def section_reveals(period: Period) -> ReviewSection:
    """個人番号の参照: by user and purpose (SEC-11/12)."""
    rows = counts.reference_counts(period.since, period.until)
    reveals = sum(r.count for r in rows if r.kind == ReferenceKind.REVEAL)
    searches = sum(r.count for r in rows if r.kind == ReferenceKind.SEARCH)
    users = {r.username for r in rows}
    _names(period, (r.username for r in rows[:TOP]))
    kinds = dict(ReferenceKind.choices)
    return ReviewSection(
        title="1. 個人番号の参照(利用者・参照理由別)",
        totals=(("表示", _n(reveals)), ("番号検索", _n(searches)), ("参照した職員", f"{len(users)}人")),
        table=ReviewTable(("職員", "参照理由", "種別", "件数"), (0.3, 0.44, 0.12, 0.14),
                          tuple((period.staff_label(r.username), redact(r.purpose),
                                 str(kinds.get(r.kind, r.kind)), f"{r.count:,}") for r in rows[:TOP])),
        note=_note(min(TOP, len(rows)), len(rows), "参照の対象者は「個人番号参照記録」で確認してください。"),
    )


def section_refusals(period: Period) -> ReviewSection:
    return _action_section(period, "2. アクセスの拒否(権限・閲覧上限・移転・コマンド)", REFUSALS,
                           "同じ職員の繰り返しの拒否は、権限の誤りか不正な試みかを確認してください。")


def section_logins(period: Period) -> ReviewSection:
    return _action_section(period, "3. ログインの失敗・ロック", LOGINS,
                           "職員・実行者はログインで入力された職員IDです(存在しないIDを含みます)。")


def section_out_of_hours(period: Period) -> ReviewSection:
    refs = counts.reference_counts(period.since, period.until, within=period.out_of_hours)
    ops = counts.audit_actor_counts(period.since, period.until, within=period.out_of_hours)
    per_user: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in refs:
        per_user[r.username][0] += r.count
    for actor, n in ops.items():
        per_user[actor][1] += n
    ranked = sorted(per_user.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    _names(period, (u for u, _ in ranked[:TOP]))
    return ReviewSection(
        title="4. 時間外の操作(閉庁日・開庁時間外、日本時間)",
        totals=(("個人番号の参照", _n(sum(r.count for r in refs))),
                ("監査ログの操作", _n(sum(ops.values()))), ("職員・実行者", f"{len(per_user)}人")),
        table=ReviewTable(("職員・実行者", "個人番号の参照", "監査ログの操作"), (0.5, 0.25, 0.25),
                          tuple((period.staff_label(u), f"{v[0]:,}", f"{v[1]:,}") for u, v in ranked[:TOP]),
                          numeric=2),
        note=_note(min(TOP, len(ranked)), len(ranked),
                   "夜間の一括処理(バッチ)も含みます。業務上の必要(時間外勤務の命令)と照らしてください。"),
    )


def _reading_kinds() -> list[str]:
    prefixes = tuple(f"{r.value}_" for r in READING_LABELS)
    return sorted(k for k in ALERT_RULES if k.startswith(prefixes))


def section_bulk(period: Period) -> ReviewSection:
    kinds = _reading_kinds()
    alerts = counts.alert_users(period.since, period.until, kinds)
    batches = period.action_counts(BATCHES)
    _names(period, [u for _, u, _ in alerts[:TOP]] + [b.actor for b in batches[:TOP]])
    rows = [(f"警告: {rule_label(k)}", period.staff_label(u), f"{n:,}") for k, u, n in alerts]
    rows += [(f"一括処理: {_action_label(b.action)}", period.staff_label(b.actor), f"{b.count:,}")
             for b in batches]
    return ReviewSection(
        title="5. 大量の閲覧・一括処理",
        totals=(("大量閲覧の警告", _n(sum(n for _, _, n in alerts))),
                ("一括処理の実行", _n(sum(b.count for b in batches)))),
        table=ReviewTable(("内容", "職員・実行者", "件数"), (0.5, 0.35, 0.15), tuple(rows[:TOP])),
        note=_note(min(TOP, len(rows)), len(rows),
                   "一括処理を通常と異なる職員が実行していないか確認してください。"),
    )


def section_transfers(period: Period) -> ReviewSection:
    transfers = transfer_counts(period.since, period.until)
    files = period.action_counts(FILES_SENT)
    by_file = _by_action(files)
    _names(period, (f.actor for f in files[:TOP]))
    rows = [(f"移転 {t.code} {t.recipient}({t.method})", f"{t.persons:,}人", f"{t.executions:,}")
            for t in transfers]
    rows += [(f"送信: {_action_label(f.action)}", period.staff_label(f.actor), f"{f.count:,}") for f in files]
    return ReviewSection(
        title="6. 特定個人情報の移転・ファイルの送信",
        totals=(("移転の実行", _n(sum(t.executions for t in transfers))),
                ("移転した対象者(延べ)", f"{sum(t.persons for t in transfers):,}人"),
                *((_action_label(a.value), _n(by_file[a.value]))
                  for a in FILES_SENT if by_file.get(a.value))),
        table=ReviewTable(("内容", "対象者・実行者", "件数"), (0.55, 0.3, 0.15), tuple(rows[:TOP])),
        note=_note(min(TOP, len(rows)), len(rows), "移転の記録と移転票は「移転定義一覧」で確認できます。"),
    )


def section_accounts(period: Period) -> ReviewSection:
    return _action_section(period, "7. 職員アカウントの変更(登録・無効化・役割・承認・認証器)",
                           ACCOUNT_CHANGES, "役割の変更と申請の承認が決裁と一致しているか確認してください。")


def section_alerts(period: Period) -> ReviewSection:
    c = counts.alert_counts(period.since, period.until)
    kinds = sorted(set(c.raised) | set(c.acknowledged) | set(c.open_at_end))
    return ReviewSection(
        title="8. 監査警告(種別ごとの発生・確認・未確認)",
        totals=(("発生", _n(sum(c.raised.values()))), ("確認", _n(sum(c.acknowledged.values()))),
                ("月末に未確認", _n(sum(c.open_at_end.values())))),
        table=ReviewTable(("種別", "発生", "確認", "月末に未確認"), (0.55, 0.15, 0.15, 0.15),
                          tuple((rule_label(k), f"{c.raised.get(k, 0):,}", f"{c.acknowledged.get(k, 0):,}",
                                 f"{c.open_at_end.get(k, 0):,}") for k in kinds), numeric=3),
        note="未確認の警告は「監査警告」で内容を確かめ、確認メモを記録してください。",
    )


def section_inquiries(period: Period) -> ReviewSection:
    c = privacy_inquiry_counts(period.month, period.last)
    kinds, channels = dict(InquiryKind.choices), dict(Channel.choices)
    rows = [(f"種別: {kinds.get(k, k)}", f"{n:,}") for k, n in sorted(c.by_kind.items())]
    rows += [(f"受付方法: {channels.get(k, k)}", f"{n:,}") for k, n in sorted(c.by_channel.items())]
    return ReviewSection(
        title="9. 個人情報に関する問合せ受付票",
        totals=(("受付", _n(c.total)), ("月末に未完了", _n(c.open_at_end))),
        table=ReviewTable(("内訳", "件数"), (0.8, 0.2), tuple((str(a), b) for a, b in rows)),
    )


def section_disclosure(period: Period) -> ReviewSection:
    c = request_counts(period.month, period.last)
    kinds, states = dict(RequestKind.choices), dict(RequestState.choices)
    rows = [(f"種別: {kinds.get(k, k)}", f"{n:,}") for k, n in c.by_kind.items() if n]
    rows += [(f"現在の状態: {states.get(k, k)}", f"{n:,}") for k, n in c.by_state.items() if n]
    return ReviewSection(
        title="10. 開示・訂正・利用停止請求",
        totals=(("受付", _n(sum(c.by_kind.values()))), ("月末に期限超過", _n(c.overdue)),
                ("期限後の決定", _n(c.decided_late))),
        table=ReviewTable(("内訳(当月受付分)", "件数"), (0.8, 0.2), tuple(rows)),
        note="期限超過・期限後の決定があれば、延長通知の有無と理由を「開示等請求」で確認してください。",
    )


# The report's sections, in order. One more section = one function Period -> ReviewSection added here.
SECTION_BUILDERS: tuple[Callable[[Period], ReviewSection], ...] = (
    section_reveals, section_refusals, section_logins, section_out_of_hours, section_bulk, section_transfers,
    section_accounts, section_alerts, section_inquiries, section_disclosure,
)


def monthly_review_data(month: date, *, today: date | None = None) -> MonthlyReviewData:
    """The report of `month` (any day of it). A month that has not begun is refused."""
    period = period_of(month)
    if today is not None and period.month > today:
        raise ReportError(f"{period.month:%Y-%m} はまだ始まっていません")
    hours, m = office_hours(), period.month
    return MonthlyReviewData(
        city=city_config().city_name,
        month_label=f"{wareki_month(m.year, m.month)}({m.year}年{m.month}月)",
        period_label=f"{period.month:%Y-%m-%d} 0:00 〜 {period.last:%Y-%m-%d} 24:00(日本時間)",
        office_hours_label=f"開庁日 {hours.opens:%H:%M}〜{hours.closes:%H:%M}",
        audit_last_seq=counts.audit_last_seq(period.until),
        sections=tuple(build(period) for build in SECTION_BUILDERS),
    )
