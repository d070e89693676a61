"""Deadlines of 開示請求, 訂正請求 and 利用停止請求 (issue 15 §3): pure date arithmetic, no Django.

The APPI applies to local governments since 2023-04 (domain-facts-next §7):
- decision within 30 days of the request (APPI §83①), extendable once by at most 30 days with a written
  notice of the extension and its reason to the requester (§83②) [R47]; a 条例 may shorten either period,
  so the day counts are configuration (kouki.core.config.disclosure_config) with these as defaults;
- 訂正請求 and 利用停止請求 only within 90 days of the day the disclosure was carried out (§98③, §99③)
  [R48][R49]; their decisions are due in 30 days, extendable by 30, like a disclosure's [R49];
- an agent's authority papers (戸籍, 委任状) and, for a postal request, a 住民票 must be dated within 30
  days [R45][R46].

Periods are counted from the day after the starting day (初日不算入, 民法 §140): a request received on
4月1日 is due on 5月1日 (30 days later). kouki does not move a due date off a closed day: the APPI counts
calendar days and a 条例 that says otherwise is not found (ADR 0006, helper disclosure15).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DECISION_DAYS = 30  # APPI §83①
EXTENSION_DAYS = 30  # APPI §83② (at most)
FOLLOW_UP_WINDOW_DAYS = 90  # APPI §98③ (訂正), §99③ (利用停止)
AGENT_DOCUMENT_DAYS = 30  # R45, R46
NEAR_DUE_DAYS = 7  # kouki's worklist warning, not law


@dataclass(frozen=True)
class DeadlineRules:
    decision_days: int = DECISION_DAYS
    extension_days: int = EXTENSION_DAYS
    follow_up_window_days: int = FOLLOW_UP_WINDOW_DAYS
    agent_document_days: int = AGENT_DOCUMENT_DAYS
    near_due_days: int = NEAR_DUE_DAYS


DEFAULT_RULES = DeadlineRules()


class DueState(StrEnum):
    OPEN = "open"  # more than near_due_days left
    NEAR = "near"  # due within near_due_days (today included)
    OVERDUE = "overdue"  # the due day has passed


DUE_STATE_LABELS: dict[DueState, str] = {
    DueState.OPEN: "期限内",
    DueState.NEAR: "期限間近",
    DueState.OVERDUE: "期限超過",
}


def decision_due(received_on: date, rules: DeadlineRules = DEFAULT_RULES) -> date:
    """The last day for the decision: received_on + decision_days (初日不算入)."""
    return received_on + timedelta(days=rules.decision_days)


def extended_due(received_on: date, extension_days: int, rules: DeadlineRules = DEFAULT_RULES) -> date:
    """The due day after an extension of `extension_days` (1 … rules.extension_days); ValueError otherwise."""
    if not 1 <= extension_days <= rules.extension_days:
        raise ValueError(f"延長は1日以上{rules.extension_days}日以内です(個人情報保護法第83条第2項)")
    return decision_due(received_on, rules) + timedelta(days=extension_days)


def due_state(due_on: date, today: date, rules: DeadlineRules = DEFAULT_RULES) -> DueState:
    if today > due_on:
        return DueState.OVERDUE
    if (due_on - today).days <= rules.near_due_days:
        return DueState.NEAR
    return DueState.OPEN


def follow_up_last_day(disclosed_on: date, rules: DeadlineRules = DEFAULT_RULES) -> date:
    """The last day a 訂正請求 or 利用停止請求 may be made about a disclosure carried out on disclosed_on."""
    return disclosed_on + timedelta(days=rules.follow_up_window_days)


def follow_up_in_time(disclosed_on: date, received_on: date, rules: DeadlineRules = DEFAULT_RULES) -> bool:
    """A 訂正/利用停止 request received on received_on is in time (not before the disclosure either)."""
    return disclosed_on <= received_on <= follow_up_last_day(disclosed_on, rules)


def agent_document_current(
    document_on: date, received_on: date, rules: DeadlineRules = DEFAULT_RULES
) -> bool:
    """An agent's authority paper dated document_on is current for a request received on received_on:
    dated on or before that day and not more than agent_document_days before it."""
    return document_on <= received_on and (received_on - document_on).days <= rules.agent_document_days
