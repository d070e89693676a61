"""Sample 督促状 and 保険料納付確認書 from a synthetic person, for `kouki demo` (the lead wires it in) and
for a look at the layout. Fixed data, no database; nothing here is used for real documents.

    .venv/bin/python -m kouki.arrears.samples OUT_DIR
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.payment_certificate import STEM as CERTIFICATE_STEM
from kouki.documents.payment_certificate import PaymentCertificateData, PaymentLine, render_certificates
from kouki.documents.premium_data import Addressee
from kouki.documents.reminder import STEM as REMINDER_STEM
from kouki.documents.reminder import ReminderData, ReminderLine, render_reminders

ADDRESSEE = Addressee(
    addressee_no="100007788",
    family_name="岩槻",
    given_name="花子",
    postal_code="3390057",
    address="さいたま市岩槻区本町九丁目88番8号",
)
INSURED_NO = "11112244"


def sample_reminder() -> ReminderData:
    return ReminderData(
        addressee=ADDRESSEE, insured_no=INSURED_NO, issued_on=date(2025, 9, 10), deadline=date(2025, 9, 22),
        lines=(ReminderLine(2025, 2, date(2025, 9, 1), 5_600),),
        issuer=default_issuer(), insurer_name=default_insurer_name(),
    )  # fmt: skip


def sample_certificate() -> PaymentCertificateData:
    pension = [PaymentLine(date(2025, m, 15 if m != 6 else 13), 2025 if m >= 4 else 2024, p, "pension", 8_200)
               for p, m in ((6, 2), (1, 4), (2, 6))]  # fmt: skip
    paid = ((7, "debit"), (8, "store"), (10, "counter"), (12, "bank"))
    direct = [PaymentLine(date(2025, m, 31 if m in (7, 10, 12) else 1), 2025, p, ch, 5_600)
              for p, (m, ch) in enumerate(paid, 1)]  # fmt: skip
    return PaymentCertificateData(
        addressee=ADDRESSEE, insured_no=INSURED_NO, year=2025, issued_on=date(2026, 1, 20),
        lines=tuple(sorted(pension + direct, key=lambda line: line.paid_on)),
        issuer=default_issuer(), insurer_name=default_insurer_name(),
    )  # fmt: skip


def demo_samples(out_dir: Path) -> list[Path]:
    """out_dir/tokusokujo-sample.pdf and out_dir/nofu-kakuninsho-sample.pdf."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reminder = out_dir / f"{REMINDER_STEM}-sample.pdf"
    reminder.write_bytes(render_reminders([sample_reminder()]))
    certificate = out_dir / f"{CERTIFICATE_STEM}-sample.pdf"
    certificate.write_bytes(render_certificates([sample_certificate()]))
    return [reminder, certificate]


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    django.setup()
    for path in demo_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output/documents")):
        print(path)
