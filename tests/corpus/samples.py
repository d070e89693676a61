"""One valid sample file per importer, with the people and records it needs (synthetic only), built from
the codecs' own writers and the simulators (kouki.sandbox.bank), never by hand.

Each builder runs inside the test's database transaction and returns a `Sample` (see breakage.py): the
file's bytes and the spots its format-specific breakages patch. Every sample holds three data records
(line 2, 3 and 4 after a header) so that a broken middle record stands among good ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

from collection_factories import make_direct_plan
from factories import make_person

from corpus.breakage import Broken, Sample, field_of, lines_of, patch_csv, patch_fixed, wrong_check_digit
from kouki.interfaces.fixedwidth.records import RecordType
from kouki.privacy.context import Actor

ACTOR = Actor.system("test-corpus")
UNKNOWN = "000999999"  # a 宛名番号 nobody in the samples has
BAD_DATE = b"20251340"


def _fixed_spots(
    data: bytes, records: dict[str, RecordType], *, count: str = "record_count", date_field: str,
    person: str | None = "addressee_no", digit: str | None = None,
) -> dict[str, Callable[[], Broken]]:
    """The format-specific breakages of a header / 3 data / trailer file on the fixed-width engine."""
    lines, _ = lines_of(data, next(iter(records.values())).length)
    trailer = next(n for n in range(len(lines), 0, -1) if lines[n - 1][:1] == b"8")
    width = len(field_of(data, records, trailer, count))
    spots: dict[str, Callable[[], Broken]] = {
        "count_mismatch": lambda: Broken(
            patch_fixed(data, records, trailer, count, str(4).zfill(width).encode()), trailer, count
        ),
        "bad_record": lambda: Broken(patch_fixed(data, records, 3, date_field, BAD_DATE), 3, date_field),
    }
    if digit is not None:
        number = field_of(data, records, 3, digit)
        spots["check_digit"] = lambda: Broken(
            patch_fixed(data, records, 3, digit, wrong_check_digit(number.rstrip(b" "))), 3, digit
        )
    if person is not None:
        spots["unknown"] = lambda: Broken(
            patch_fixed(data, records, 3, person, UNKNOWN.encode()), 3, person
        )
    return spots


def _sample(command: str, name: str, data: bytes, spots: dict[str, Callable[[], Broken]],
            unknown: dict[str, Callable[[], Broken]] | None = None, first: int = 2,
            last: int = 4) -> Sample:  # fmt: skip
    return Sample(
        command=command, file_name=name, data=data, encoding="cp932", first_data_line=first,
        last_data_line=last, count_mismatch=spots.get("count_mismatch"), bad_record=spots["bad_record"],
        check_digit=spots.get("check_digit"),
        unknown=unknown if unknown is not None else ({"-": spots["unknown"]} if "unknown" in spots else {}),
    )  # fmt: skip


# ---------------------------------------------------------------- 住基異動 (both variants)

NEEDS_KNOWN_PERSON = ("02", "04", "05", "06", "07", "08")  # 01 出生 and 03 転入 create the person


def _resident_records(serial: int) -> list[object]:
    from interfaces.helpers import new_number, record

    from kouki.interfaces.resident_register.record import ChangeCode

    known = make_person(addressee_no=f"0009{serial}0001")
    return [
        record(change_id="K0001", addressee_no=f"0009{serial}0101", personal_number=new_number()),
        record(change_id="K0002", addressee_no=f"0009{serial}0102", household_no="0000500002",
               personal_number=new_number()),
        record(change_id="K0003", code=ChangeCode.ADDRESS_CHANGE, addressee_no=known.addressee_no,
               household_no="0000500003", other_address=""),
    ]  # fmt: skip


def _resident_unknown(dump: Callable[[list[object]], bytes], records: list[object],
                      ) -> dict[str, Callable[[], Broken]]:  # fmt: skip
    from kouki.interfaces.resident_register.record import ChangeCode

    def unknown(code: str) -> Callable[[], Broken]:
        changed = dataclasses.replace(records[1], code=ChangeCode(code), addressee_no=UNKNOWN,  # type: ignore[type-var]
                                      personal_number="")  # fmt: skip
        return lambda: Broken(dump([records[0], changed, records[2]]), 3, "addressee_no")

    return {code: unknown(code) for code in NEEDS_KNOWN_PERSON}


def resident_fixed(tmp: Path) -> Sample:
    from kouki.interfaces.resident_register.formats import _RECORDS, dump_fixed

    records = _resident_records(1)
    data = dump_fixed(records, created_on=date(2025, 4, 3))  # type: ignore[arg-type]
    spots = _fixed_spots(data, _RECORDS, date_field="effective_date", digit="personal_number", person=None)
    unknown = _resident_unknown(lambda rs: dump_fixed(rs, created_on=date(2025, 4, 3)), records)  # type: ignore[arg-type]
    return _sample("resident-changes", "idou.dat", data, spots, unknown)


def resident_csv(tmp: Path) -> Sample:
    from kouki.interfaces.resident_register.formats import dump_csv
    from kouki.interfaces.resident_register.layout import FIELDS_BY_NAME

    records = _resident_records(2)
    data = dump_csv(records)  # type: ignore[arg-type]

    def column(name: str) -> str:
        return FIELDS_BY_NAME[name].label

    number = records[1].personal_number  # type: ignore[attr-defined]
    spots: dict[str, Callable[[], Broken]] = {
        "bad_record": lambda: Broken(patch_csv(data, 3, column("effective_date"), "2025-13-40"), 3,
                                     "effective_date"),
        "check_digit": lambda: Broken(patch_csv(data, 3, column("personal_number"),
                                                wrong_check_digit(number.encode()).decode()), 3,
                                      "personal_number"),
    }  # fmt: skip
    sample = _sample("resident-changes", "idou.csv", data, spots, _resident_unknown(dump_csv, records),  # type: ignore[arg-type]
                     first=2, last=4)  # fmt: skip
    sample.encoding = "utf-8"
    return sample


# ---------------------------------------------------------------- 税 所得・課税情報


def tax_income(tmp: Path) -> Sample:
    from kouki.interfaces.tax.income_file import dump_tax_income
    from kouki.interfaces.tax.layout import TAX_INCOME
    from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind

    people = [make_person(addressee_no=f"00020000{i}") for i in (1, 2, 3)]
    data = dump_tax_income([
        TaxIncomeRecord("11100", p.addressee_no, 2024, TaxRecordKind.INITIAL, date(2025, 6, 10),
                        1_800_000, 0, -20_000, 0, True)
        for p in people
    ], created_on=date(2025, 6, 10))  # fmt: skip
    spots = _fixed_spots(data, TAX_INCOME.records, date_field="changed_on")
    return _sample("tax-income", "zei.dat", data, spots)


# ---------------------------------------------------------------- 広域連合 → 市町村 files


def _union(kind: str, records: list[object], dump: Callable[..., bytes], layout: object, date_field: str,
           digit: str, on: date) -> Sample:  # fmt: skip
    from kouki.interfaces.union.files import union_file_name

    data = dump(records, created_on=on)
    spots = _fixed_spots(data, layout.records, date_field=date_field, digit=digit)  # type: ignore[attr-defined]
    return _sample("union-file", union_file_name(kind, "11100", on), data, spots)


def union_insured_info(tmp: Path) -> Sample:
    from interfaces.union.samples import INSURED, INSURER

    from kouki.interfaces.union.insured_info import INSURED_INFO, dump_insured_info
    from kouki.interfaces.union.records import AcquisitionReason, InsuredInfoRecord

    records = [InsuredInfoRecord(
        municipality_code="11100", addressee_no=make_person().addressee_no, insured_no=INSURED,
        insurer_no=INSURER, acquired_on=date(2025, 5, 1), acquisition_reason=AcquisitionReason.AGE,
        lost_on=None, loss_reason=None, copay_rate=10, copay_from=date(2025, 8, 1), address_exception=False,
        decided_on=date(2025, 7, 1)) for _ in range(3)]  # fmt: skip
    return _union("insured-info", records, dump_insured_info, INSURED_INFO, "acquired_on", "insurer_no",  # type: ignore[arg-type]
                  date(2025, 7, 1))


def union_certificate_issue(tmp: Path) -> Sample:
    from interfaces.union.samples import samples

    from kouki.interfaces.union.certificate_issue import CERTIFICATE_ISSUE, dump_certificate_issue

    base = samples()["certificate-issue"][0]
    records = [dataclasses.replace(base, addressee_no=make_person().addressee_no) for _ in range(3)]  # type: ignore[type-var]
    return _union("certificate-issue", records, dump_certificate_issue, CERTIFICATE_ISSUE, "valid_from",  # type: ignore[arg-type]
                  "insurer_no", date(2026, 7, 15))


def union_address_exception(tmp: Path) -> Sample:
    from interfaces.union.samples import samples

    from kouki.interfaces.union.address_exception import ADDRESS_EXCEPTION, dump_address_exception

    base = samples()["address-exception"][0]
    records = [dataclasses.replace(base, addressee_no=make_person().addressee_no) for _ in range(3)]  # type: ignore[type-var]
    return _union("address-exception", records, dump_address_exception, ADDRESS_EXCEPTION,  # type: ignore[arg-type]
                  "exception_from", "insured_no", date(2025, 5, 10))


def premium_info(tmp: Path) -> Sample:
    from interfaces.union.samples import INSURED

    from kouki.interfaces.union.premium_info import PREMIUM_INFO, dump_premium_info
    from kouki.interfaces.union.records import AssessmentKind, PremiumInfoRecord, PremiumReduction

    records = [PremiumInfoRecord(
        "11100", make_person().addressee_no, INSURED, 2025, AssessmentKind.INITIAL, date(2025, 7, 1),
        22960, 24381, PremiumReduction.FIFTY, 12, 47300, 0, 270000, None) for _ in range(3)]  # fmt: skip
    data = dump_premium_info(records, created_on=date(2025, 7, 1))
    spots = _fixed_spots(data, PREMIUM_INFO.records, date_field="assessed_on", digit="insured_no")
    return _sample("premium-info", "hokenryo.dat", data, spots)


def pension_result(tmp: Path) -> Sample:
    from arrears.helpers import pension_person

    from kouki.assessment.models import Assessment, Instalment
    from kouki.interfaces.union.files import union_file_name
    from kouki.interfaces.union.pension_result import (
        PENSION_RESULT,
        DeductionResult,
        PensionResultRecord,
        dump_pension_result,
    )

    records = []
    for _ in range(3):
        person, _plan = pension_person(90_000)
        october = Instalment.objects.get(plan__person=person, plan__superseded_at__isnull=True,
                                         method="pension", month="2025-10")  # fmt: skip
        insured = Assessment.objects.get(person=person, fiscal_year=2025).insured_no
        records.append(PensionResultRecord("11100", person.addressee_no, insured, 2025, "202510",
                                           DeductionResult.DEDUCTED, october.amount, None))  # fmt: skip
    on = date(2025, 10, 20)
    data = dump_pension_result(records, created_on=on)
    spots = _fixed_spots(data, PENSION_RESULT.records, date_field="pension_month", digit="insured_no")
    spots["bad_record"] = lambda: Broken(
        patch_fixed(data, PENSION_RESULT.records, 3, "pension_month", b"202513"), 3, "pension_month")
    return _sample("pension-result", union_file_name("pension-result", "11100", on), data, spots)


def benefit_decision(tmp: Path) -> Sample:
    from interfaces.union.benefit_samples import decision

    from kouki.interfaces.union.benefit_decision import BENEFIT_DECISION, dump_benefit_decision
    from kouki.interfaces.union.files import union_file_name

    records = [decision(f"U2025-00000{i}") for i in (1, 2, 3)]
    on = date(2025, 8, 5)
    data = dump_benefit_decision(records, created_on=on)
    spots = _fixed_spots(data, BENEFIT_DECISION.records, date_field="decided_on", digit="insured_no",
                         person=None)  # fmt: skip
    return _sample("benefit-decision", union_file_name("benefit-decision", "11107", on, 0), data, spots)


# ---------------------------------------------------------------- コンビニ 速報・確報


def store_report(tmp: Path) -> Sample:
    from stores.helpers import ACTOR as STORES_ACTOR
    from stores.helpers import PAID_ON, payment

    from kouki.interfaces.stores.codec import RECORDS, dump
    from kouki.interfaces.stores.records import ReportHeader, ReportKind
    from kouki.rules import gs1
    from kouki.slips.services import slips_issue

    _person, plan = make_direct_plan(90_000, 2025)
    slips = slips_issue(actor=STORES_ACTOR, on=date(2025, 7, 1), plan_id=plan.pk)
    records = [payment(s.barcode, minute=600 + i) for i, s in enumerate(slips[:3])]
    data = dump(ReportHeader(ReportKind.PRELIMINARY, PAID_ON, "12345", gs1.DEFAULT_BILLER_CODE), records)
    spots = _fixed_spots(data, RECORDS, date_field="paid_on", digit="barcode", person=None)
    return _sample("store-report", "sokuho.dat", data, spots)


# ---------------------------------------------------------------- 全銀: 口座振替結果, 振込結果


def _zengin(command: str, name: str, data: bytes, records: dict[str, RecordType], date_field: str,
            person: str) -> Sample:  # fmt: skip
    lines, _ = lines_of(data, 120)
    trailer = next(n for n, line in enumerate(lines, start=1) if line[:1] == b"8")
    spots = {
        "count_mismatch": lambda: Broken(
            patch_fixed(data, records, trailer, "total_count", b"%06d" % (trailer - 1)), trailer,
            "total_count"),
        "bad_record": lambda: Broken(patch_fixed(data, records, 3, date_field, b"X"), 3, date_field),
        "unknown": lambda: Broken(patch_fixed(data, records, 3, person, b"9" * len(
            field_of(data, records, 3, person))), 3, person),
    }  # fmt: skip
    sample = _sample(command, name, data, spots, last=trailer - 1)
    sample.unseparated = 120 if lines_of(data, 120)[1] == b"" else None
    return sample


def debit_result(tmp: Path) -> Sample:
    from banking.helpers import JULY_DEBIT, debtor

    from kouki.banking.debits import debit_request_create
    from kouki.interfaces.zengin.debit import RECORDS
    from kouki.sandbox.bank.simulator import simulate

    for _ in range(3):
        debtor(90_000)
    request = debit_request_create(actor=ACTOR, debit_date=JULY_DEBIT, outbox=tmp / "outbox")
    data = simulate(request.data, seed=7, forced={})
    return _zengin("debit-result", "furikae-kekka.dat", data, RECORDS, "result_code", "customer_no")


def transfer_result(tmp: Path) -> Sample:
    from banking.helpers import refund_account

    from kouki.banking.refunds import refund_transfer_create
    from kouki.collection.decisions import refund_decide
    from kouki.collection.models import Channel
    from kouki.collection.services import ReceiptInput, receipts_record
    from kouki.interfaces.zengin.transfer import RECORDS
    from kouki.sandbox.bank.simulator import simulate_transfer

    forced = {}
    for amount in (3_400, 1_200, 800):
        person, _plan = make_direct_plan(90_000, 2025)
        receipts_record(actor=ACTOR, on=date(2025, 8, 1), items=[ReceiptInput(
            person_id=person.pk, fiscal_year=2025, channel=Channel.COUNTER, amount=90_000 + amount,
            paid_on=date(2025, 8, 1))])  # fmt: skip
        refund = refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=2025, amount=amount,
                               reason="過納", on=date(2025, 9, 1))  # fmt: skip
        refund_account(person)
        forced[refund.pk] = 0
    run = refund_transfer_create(actor=ACTOR, transfer_date=date(2025, 9, 10), outbox=tmp / "outbox")
    data = simulate_transfer(run.data, seed=1, forced=forced)
    return _zengin("transfer-result", "furikomi-kekka.dat", data, RECORDS, "result_code", "customer_code1")


SAMPLES: dict[str, Callable[[Path], Sample]] = {
    "resident-fixed": resident_fixed,
    "resident-csv": resident_csv,
    "tax-income": tax_income,
    "union-insured-info": union_insured_info,
    "union-certificate-issue": union_certificate_issue,
    "union-address-exception": union_address_exception,
    "premium-info": premium_info,
    "pension-result": pension_result,
    "benefit-decision": benefit_decision,
    "store-report": store_report,
    "debit-result": debit_result,
    "transfer-result": transfer_result,
}
