"""Files exchanged with the union's standard system (広域連合 標準システム). See docs/interfaces/union-*.md.

Codecs (CP932 fixed width; each `dump_*(records, *, created_on=None, municipality_code=None) -> bytes`,
each `parse_*(data: bytes, file_name: str) -> ParseResult[Record]`; dump raises fixedwidth.DumpError):

  city → union
    kouki.interfaces.union.resident_info      dump_resident_info / parse_resident_info          (ResidentInfoRecord)
    kouki.interfaces.union.non_resident_info  dump_non_resident_info / parse_non_resident_info  (NonResidentInfoRecord)
    kouki.interfaces.union.notification_info  dump_notification_info / parse_notification_info  (NotificationInfoRecord)
    kouki.interfaces.union.income_info        dump_income_info / parse_income_info              (IncomeInfoRecord)
  union → city
    kouki.interfaces.union.insured_info       dump_insured_info / parse_insured_info            (InsuredInfoRecord)
    kouki.interfaces.union.certificate_issue  dump_certificate_issue / parse_certificate_issue  (CertificateIssueRecord)
    kouki.interfaces.union.address_exception  dump_address_exception / parse_address_exception  (AddressExceptionRecord)

  kouki.interfaces.union.files: union_file_name(kind, municipality_code, on, serial=0) -> str,
    detect_kind(data) -> str | None (kind keys: "resident-info", "non-resident-info", "notification-info",
    "income-info", "insured-info", "certificate-issue", "address-exception").
  InsuredInfoRecord with lost_on == acquired_on means the union cancelled that period (取消).

Simulated union: kouki.sandbox.union.UnionSimulator(state_dir, insurer_no, today).receive(path) /
  .run_day(on, out_dir) -> list[Path].
"""
