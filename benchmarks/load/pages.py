"""What the load test's clerks read off the pages (benchmarks/load/locustfile.py): the form token, the
unpaid 普通徴収 instalments of 収納状況 and the dates the forms offer. Apart from the locustfile so a test
can hold them against the real pages (tests/web/test_load_counter_setup.py) without starting locust."""

from __future__ import annotations

import re

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# 収納状況's 期別 choice: 「普通徴収 第N期(未納 12,300円)」 → (instalment id, unpaid yen)
DIRECT_UNPAID = re.compile(r'<option value="(\d+)">普通徴収 第\d+期\(未納 ([\d,]+)円\)')
PAID_ON = re.compile(r'name="paid_on" value="([^"]*)"')  # 窓口収納's 納付日 (today)
ISSUE_ON = re.compile(r'name="on" value="([^"]*)"')  # the counter issue's 交付日 (today)
ISSUED = re.compile(r"[?&]issued=(\d+)")  # the receipt just recorded, in the ledger's address
CERTIFICATE_PDF = re.compile(r"/certificates/(\d+)/pdf/")  # a document's PDF on the person's list


def first(pattern: re.Pattern[str], text: str) -> str:
    found = pattern.search(text)
    return found.group(1) if found else ""
