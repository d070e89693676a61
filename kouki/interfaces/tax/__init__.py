"""The tax system's 個人住民税 所得・課税情報 file → kouki.income IncomeRecord.

Layout: docs/interfaces/tax-income.md.

.record: TaxIncomeRecord, TaxRecordKind
.layout: TAX_INCOME (the field table that drives dump, parse and the document test)
.income_file: dump_tax_income(records, *, created_on=None, municipality_code=None) -> bytes,
              parse_tax_income(data, file_name) -> ParseResult[TaxIncomeRecord]

Storing the records is the income app's: kouki.income.tax_store.income_records_store and
kouki.income.importers.import_tax_income (the file kind for the generic import runner).
"""
