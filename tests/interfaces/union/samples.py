"""Sample records of the seven union files (synthetic people only)."""

from __future__ import annotations

from datetime import date

from interfaces.helpers import new_number
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AddressExceptionRecord,
    AssessmentKind,
    CertificateIssueRecord,
    CertificateKind,
    CertificateReason,
    IncomeInfoRecord,
    InsuredInfoRecord,
    LossReason,
    NonResidentInfoRecord,
    NotificationInfoRecord,
    NotificationKind,
    PremiumInfoRecord,
    PremiumReduction,
    ReassessmentReason,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.rules.numbers import mod10_weight21_check_digit


def with_check_digit(base7: str) -> str:
    return base7 + str(mod10_weight21_check_digit(base7))


INSURER = with_check_digit("3911999")
INSURED = with_check_digit("1234567")


def samples() -> dict[str, list[object]]:
    return {
        "resident-info": [
            ResidentInfoRecord(
                "11107",
                "0000012345",
                "0000500001",
                True,
                "世帯主",
                "髙﨑",
                "花子",
                "タカサキ",
                "ハナコ",
                "2",
                date(1950, 5, 6),
                "3300061",
                "さいたま市浦和区常盤６丁目４番４号　①～２０１",
                ResidentStatus.RESIDENT,
                None,
                date(1980, 4, 1),
                date(2025, 4, 1),
                new_number(),
            ),
            ResidentInfoRecord(
                "11107",
                "0000012346",
                "0000500001",
                False,
                "夫",
                "髙﨑",
                "",
                "タカサキ",
                "",
                "1",
                date(1948, 2, 29),
                "3300061",
                "さいたま市浦和区常盤６丁目４番４号",
                ResidentStatus.DECEASED,
                date(2025, 6, 30),
                date(1980, 4, 1),
                date(2025, 6, 30),
                "",
            ),
        ],
        "non-resident-info": [
            NonResidentInfoRecord(
                "11100",
                "9000000001",
                "山田",
                "太郎",
                "ヤマダ",
                "タロウ",
                "1",
                date(1945, 1, 1),
                "1000001",
                "東京都千代田区千代田１番１号　特別養護老人ホーム",
                date(2025, 1, 10),
                None,
                new_number(),
            ),
        ],
        "notification-info": [
            NotificationInfoRecord(
                "11100",
                "N-2025-0001",
                NotificationKind.ADDRESS_EXCEPTION_START,
                "0000012345",
                date(2025, 5, 1),
                date(2025, 5, 7),
                "特別養護老人ホーム桜",
                "東京都練馬区１－２",
                "施設入所",
            ),
            NotificationInfoRecord(
                "11100",
                "N-2025-0002",
                NotificationKind.DISABILITY_CERTIFICATION,
                "0000012347",
                date(2025, 5, 2),
                date(2025, 5, 2),
                "",
                "",
                "",
            ),
        ],
        "income-info": [
            IncomeInfoRecord("11100", "0000012345", 2024, 2_100_000, 0, -150_000, 300_000, True),
            IncomeInfoRecord("11100", "0000012346", 2024, 0, 0, 0, 0, False),
        ],
        "insured-info": [
            InsuredInfoRecord(
                "11100",
                "0000012345",
                INSURED,
                INSURER,
                date(2025, 5, 6),
                AcquisitionReason.AGE,
                None,
                None,
                20,
                date(2025, 8, 1),
                False,
                date(2025, 8, 1),
            ),
            InsuredInfoRecord(
                "11100",
                "0000012346",
                with_check_digit("7654321"),
                INSURER,
                date(2023, 2, 28),
                AcquisitionReason.AGE,
                date(2025, 7, 1),
                LossReason.DEATH,
                10,
                date(2024, 8, 1),
                False,
                date(2025, 7, 2),
            ),
        ],
        "certificate-issue": [
            CertificateIssueRecord(
                "11100",
                "0000012345",
                CertificateKind.CERTIFICATE,
                CertificateReason.RENEWAL,
                INSURED,
                INSURER,
                "髙﨑",
                "花子",
                "タカサキ",
                "ハナコ",
                "2",
                date(1950, 5, 6),
                "3300061",
                "さいたま市浦和区常盤６丁目４番４号",
                date(2025, 5, 6),
                20,
                date(2026, 8, 1),
                date(2027, 7, 31),
                "",
                date(2026, 7, 15),
            ),
        ],
        "address-exception": [
            AddressExceptionRecord(
                "11100",
                "0000012345",
                INSURED,
                "特別養護老人ホーム桜",
                "東京都練馬区１－２",
                date(2025, 5, 1),
                None,
            ),
        ],
        "premium-info": [
            PremiumInfoRecord(
                "11100", "0000012345", INSURED, 2025, AssessmentKind.INITIAL, date(2025, 7, 1),
                22960, 22734, PremiumReduction.FIFTY, 12, 45600, 0, 251756, None,
            ),
            PremiumInfoRecord(
                "11100", "0000012346", INSURED, 2025, AssessmentKind.REASSESSMENT, date(2025, 9, 1),
                22960, 0, PremiumReduction.FORMER_DEPENDANT, 6, 11400, 0, 0, ReassessmentReason.ELIGIBILITY,
            ),
        ],
    }  # fmt: skip
