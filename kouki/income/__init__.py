"""所得 (income): previous-year income records from the tax system, used for assessment."""
