"""Files exchanged with the union's standard system (広域連合 標準システム). See docs/interfaces/union-*.md.

Codecs in kouki.interfaces.union.<module>, CP932 fixed width:
  `dump_*(records, *, created_on=None, municipality_code=None) -> bytes` (raises fixedwidth.DumpError;
  municipality_code is required for an empty file),
  `parse_*(data: bytes, file_name: str) -> ParseResult[Record]`.
  Parsing needs Django settings configured (ParseResult lives in kouki.interfaces.importing).

  city → union
    .resident_info: dump_resident_info, parse_resident_info (ResidentInfoRecord)
    .non_resident_info: dump_non_resident_info, parse_non_resident_info (NonResidentInfoRecord)
    .notification_info: dump_notification_info, parse_notification_info (NotificationInfoRecord)
    .income_info: dump_income_info, parse_income_info (IncomeInfoRecord)
    .instalment_info: dump_instalment_info, parse_instalment_info (InstalmentInfoRecord), monthly 期割情報
  union → city
    .insured_info: dump_insured_info, parse_insured_info (InsuredInfoRecord)
    .certificate_issue: dump_certificate_issue, parse_certificate_issue (CertificateIssueRecord)
    .address_exception: dump_address_exception, parse_address_exception (AddressExceptionRecord)

  benefits (issue 12 §2; kouki's own layouts, the union's are not public)
    .application_info: dump_application_info, parse_application_info (ApplicationInfoRecord), city → union
    .medical_expense_info: dump_medical_expense_info, parse_medical_expense_info (MedicalExpenseInfoRecord),
      city → union, monthly
    .benefit_decision: dump_benefit_decision, parse_benefit_decision (BenefitDecisionRecord), union → city

  kouki.interfaces.union.files: union_file_name(kind, municipality_code, on, serial=0) -> str,
    addressee_numbers_in(kind, data) -> list[str] (the 宛名番号 of each data record, by slicing),
    detect_kind(data) -> str | None (kind keys: "resident-info", "non-resident-info", "notification-info",
    "income-info", "insured-info", "certificate-issue", "address-exception").
  InsuredInfoRecord with lost_on == acquired_on means the union cancelled that period (取消).

Simulated union: kouki.sandbox.union.UnionSimulator(state_dir, insurer_no, today).receive(path) /
  .run_day(on, out_dir) -> list[Path].
"""
