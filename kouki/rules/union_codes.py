"""The codes carried by the files exchanged with the union (資格取得・喪失事由, 資格確認書の種類と交付事由,
賦課区分, 軽減区分, 更正事由, 届出の種類, 住民の状態), as plain enums. Pure; no Django.

The values are the codes written in the files (docs/interfaces/); the record layouts that carry them are in
kouki/interfaces/union/records.py. They live here because the pure rules decide them (eligibility,
certificates) and the rules import nothing but themselves.
"""

from __future__ import annotations

from enum import StrEnum


class ResidentStatus(StrEnum):
    RESIDENT = "1"  # 住民
    MOVED_OUT = "2"  # 転出
    DECEASED = "3"  # 死亡


class NotificationKind(StrEnum):
    """届出情報 kinds the city sends (what the union cannot learn from the register)."""

    DISABILITY_CERTIFICATION = "11"  # 障害認定申請 (65–74)
    DISABILITY_WITHDRAWAL = "12"  # 障害認定の撤回
    PUBLIC_ASSISTANCE_START = "21"  # 生活保護開始 (loss)
    PUBLIC_ASSISTANCE_END = "22"  # 生活保護廃止 (acquisition)
    ADDRESS_EXCEPTION_START = "31"  # 住所地特例 施設入所 (moving into a facility outside the union)
    ADDRESS_EXCEPTION_END = "32"  # 住所地特例 終了
    # a person insured by another union who moved into a facility in this union's area: insured THERE (33/34)
    ADDRESS_EXCEPTION_IN_START = "33"  # 他広域連合の住所地特例者 施設入所（区域内の施設）
    ADDRESS_EXCEPTION_IN_END = "34"  # 他広域連合の住所地特例者 終了
    CERTIFICATE_APPLICATION = "41"  # 資格確認書の交付申請 (84 and under, 要配慮者; holds in later renewals)
    OTHER_CHANGE = "91"  # その他の変更 (e.g. 適用区分の併記申請)


class AcquisitionReason(StrEnum):
    AGE = "01"  # 年齢到達
    DISABILITY = "02"  # 障害認定
    MOVE_IN = "03"  # 転入
    PUBLIC_ASSISTANCE_END = "04"  # 生活保護廃止
    OTHER = "09"


class LossReason(StrEnum):
    DEATH = "01"  # 死亡 (the day after)
    MOVE_OUT = "02"  # 転出 (the day after)
    PUBLIC_ASSISTANCE = "03"  # 生活保護開始 (the day it starts)
    DISABILITY_WITHDRAWN = "04"  # 障害認定撤回
    OTHER = "09"


ACQUISITION_LABELS: dict[str, str] = {
    AcquisitionReason.AGE: "年齢到達", AcquisitionReason.DISABILITY: "障害認定",
    AcquisitionReason.MOVE_IN: "転入", AcquisitionReason.PUBLIC_ASSISTANCE_END: "生活保護廃止",
    AcquisitionReason.OTHER: "その他",
}  # fmt: skip
LOSS_LABELS: dict[str, str] = {
    LossReason.DEATH: "死亡", LossReason.MOVE_OUT: "転出", LossReason.PUBLIC_ASSISTANCE: "生活保護開始",
    LossReason.DISABILITY_WITHDRAWN: "障害認定の撤回", LossReason.OTHER: "その他",
}  # fmt: skip


def reason_label(labels: dict[str, str], code: str) -> str:
    """The label of an acquisition or loss code; 「その他(コードNN)」 for an unknown one, "" for none."""
    return labels.get(code, f"その他(コード{code})") if code else ""


class CertificateKind(StrEnum):
    CERTIFICATE = "1"  # 資格確認書
    NOTICE = "2"  # 資格情報のお知らせ


class CertificateReason(StrEnum):
    NEW = "1"  # 新規資格取得
    RENEWAL = "2"  # 一斉更新 (August)
    CHANGE = "3"  # 記載事項変更 (address, rate …)
    APPLICATION = "4"  # 申請による交付 (84 and under, 要配慮者)
    REISSUE = "5"  # 再交付 (lost, damaged)


class AssessmentKind(StrEnum):
    INITIAL = "1"  # 当初賦課
    REASSESSMENT = "2"  # 更正


class PremiumReduction(StrEnum):
    NONE = "0"  # 軽減なし
    SEVENTY = "1"  # 7割軽減
    FIFTY = "2"  # 5割軽減
    TWENTY = "3"  # 2割軽減
    FORMER_DEPENDANT = "4"  # 被扶養者軽減


class ReassessmentReason(StrEnum):
    INCOME = "01"  # 所得の更正
    HOUSEHOLD = "02"  # 世帯の異動
    ELIGIBILITY = "03"  # 資格の異動
    OTHER = "09"  # その他
