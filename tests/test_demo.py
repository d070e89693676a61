"""`kouki demo --no-serve` builds a whole installation from nothing (issue 2 §7)."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext

from kouki.privacy.redaction import contains_personal_number


@pytest.mark.slow
def test_demo_builds_database_files_and_accounts(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "kouki.cli", "demo", "--no-serve", "--out", str(out), "--residents", "1500",
         "--days", "3"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    stdout = proc.stdout
    assert "[7/7] audit chain verified" in stdout
    # issue 14 §1: the demo ends with a sealed checkpoint in its own 0700 folder, named in demo.env
    checkpoints = out / "checkpoints" / "audit-checkpoints.jsonl"
    assert len(checkpoints.read_text().splitlines()) == 1 and (checkpoints.stat().st_mode & 0o077) == 0
    assert f"KOUKI_AUDIT_CHECKPOINT_FILE={checkpoints}" in (out / "demo.env").read_text()
    assert re.search(r"3 days: \d resident-change files imported", stdout)
    assert re.search(r"certificate batch: [1-9][\d,]* documents issued", stdout)
    # one account per role, each with a TOTP secret printed for the second factor
    assert len(re.findall(r"TOTP secret [A-Z2-7]{32}", stdout)) == 5
    assert "rejected" not in proc.stderr
    assert not contains_personal_number(stdout + proc.stderr)

    db = sqlite3.connect(out / "kouki.sqlite3")
    persons = db.execute("select count(*) from addressees_person").fetchone()[0]
    assert persons >= 1500
    assert db.execute("select count(*) from accounts_staffuser").fetchone()[0] == 5
    csv_files = list((out / "resident-changes").glob("*.csv"))
    assert len(csv_files) == 3
    # Identical files (e.g. two days without changes) are imported once: idempotency is by content.
    distinct = {hashlib.sha256(f.read_bytes()).hexdigest() for f in csv_files}
    applied = db.execute(
        "select count(*) from interfaces_importrecord where status='applied' and kind='resident_changes'"
    ).fetchone()[0]
    monthly = list((out / "resident-changes" / "monthly").glob("*.csv"))  # the rest of the year, by month
    assert len(monthly) == 11  # taken in on the 1st of May … March
    assert applied == len(distinct) + len(monthly)
    # the simulated union answered every day (go-live + 3 days) and on the 1st of May … March (11), and its
    # answers were imported
    union_days = db.execute(
        "select count(*) from interfaces_importrecord where status='applied' and kind='union_insured_info'"
    ).fetchone()[0]
    assert union_days == 4 + 11
    assert db.execute("select count(*) from eligibility_insuredperiod").fetchone()[0] > 0
    # issue 11 §2: the demo's imports, files sent and batches name a member of staff, never `system:`
    assert {r[0] for r in db.execute("select distinct imported_by from interfaces_importrecord")} == {
        "sysop.tanaka"}
    assert {r[0] for r in db.execute("select distinct created_by from eligibility_outboundfile")} == {
        "sysop.tanaka"}
    assert {r[0] for r in db.execute("select distinct created_by from certificates_certificatebatch")} == {
        "clerk.sato"}
    actors = {r[0] for r in db.execute("select distinct actor from privacy_auditentry")}
    assert not any(a.startswith("system:") for a in actors)
    assert {"sysop.tanaka", "clerk.sato", "counterpart:sandbox synthetic city"} <= actors
    assert len(list((out / "resident-changes" / "fixed-width-cp932").glob("*.dat"))) == 3
    assert (out / "keys" / "keyring.json").is_file()
    for name in ("shikaku-kakuninsho.pdf", "shikaku-joho-oshirase.pdf", "hokenryo-kettei-tsuchisho.pdf",
                 "hokenryo-henko-tsuchisho.pdf"):
        assert (out / "documents" / name).read_bytes().startswith(b"%PDF")
    assert (out / "demo-accounts.txt").stat().st_mode & 0o077 == 0
    # issue 5 §7: sample slips, a bank-debit request file and a convenience-store report
    collection = out / "collection"
    slips = sorted(collection.glob("nofusho-sample-*.pdf"))
    assert slips and all(p.read_bytes().startswith(b"%PDF") for p in slips)
    request = (collection / "kozafuri-sample-request.dat").read_bytes()
    records = request.replace(b"\r\n", b"")  # 120-byte records, with or without CR LF (a bank setting)
    assert records and len(records) % 120 == 0
    assert records[:3] == b"191" and records[-120:-119] == b"9"  # header, 種別コード 91 (口座振替); end
    reports = sorted(collection.glob("CVS_KAKUHO_*.dat"))
    assert reports and reports[0].read_bytes()[:1] == b"1"
    for name in ("tokusokujo-sample.pdf", "nofu-kakuninsho-sample.pdf"):
        assert (collection / name).read_bytes().startswith(b"%PDF")

    # issue 11 §5: the demo has lived FY2025 — plans, receipts from every channel, the staff's work
    assert re.search(r"\[6/7\] fiscal year 2025 lived to 2026-03-31", stdout)
    plans = db.execute("select count(*) from assessment_instalmentplan where fiscal_year=2025 "
                       "and superseded_at is null").fetchone()[0]
    assert plans > 100
    channels = dict(db.execute("select channel, count(*) from collection_receipt where fiscal_year=2025 "
                               "and cancelled_at is null group by channel").fetchall())
    assert all(channels.get(c, 0) > 0 for c in ("counter", "store", "debit", "pension")), channels
    by = dict(db.execute("select channel, group_concat(distinct recorded_by) from collection_receipt "
                         "group by channel").fetchall())
    assert by["counter"] == "clerk.sato" and by["store"] == "sysop.tanaka", by
    for table in ("arrears_reminder", "collection_refund", "arrears_paymentpledge", "arrears_writeoffrequest",
                  "banking_debitrun", "banking_refundtransferrun", "certificates_certificatebatch"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] > 0, table  # noqa: S608 (names above)
    entered = "select count(*) from notifications_notification where status='entered'"
    assert db.execute(entered).fetchone()[0] == 1
    decided = {r[0] for r in db.execute("select distinct decided_by from collection_refund")}
    assert decided == {"chief.takahashi"}
    # three people to look at, by 宛名番号 and page; never a personal number
    shown = re.findall(r"宛名番号 (\d{10})  /persons/(\d+)/", stdout)
    assert len(shown) == 3 and len({p for _, p in shown}) == 3
    # the settings to serve this database again
    env_lines = (out / "demo.env").read_text(encoding="utf-8").splitlines()
    assert f"KOUKI_DATABASE_URL=sqlite:///{out / 'kouki.sqlite3'}" in env_lines
    assert f"KOUKI_KEYRING={out / 'keys' / 'keyring.json'}" in env_lines
    assert "KOUKI_DIRECT_MONTHS=7,8,9,10,11,12,1,2,3" in env_lines
    assert f"env $(cat {out / 'demo.env'}) .venv/bin/kouki serve" in stdout
    # issue 12: applications at the counter, confirmed, sent, decided by the union, a notice handed over;
    # the 受付票 and decision notices (and the samples) in documents/
    made = db.execute("select id, kind, status from applications_application order by id").fetchall()
    statuses = sorted((kind, status) for _, kind, status in made)
    assert ("funeral", "handed_over") in statuses and ("premium_deferral", "received") in statuses, statuses
    assert ("premium_deferral", "decided") in statuses, statuses  # one 徴収猶予 decided, one awaiting 再鑑
    assert {"medical_judo", "high_cost", "premium_reduction"} <= {kind for kind, _ in statuses}, statuses
    assert db.execute("select count(*) from banking_bankaccount where purpose='highcost'").fetchone()[0] == 1
    documents = out / "documents"
    receipts = [documents / f"uketsukehyo-{pk}.pdf" for pk, _, _ in made]
    # issue 12 §4: the notices the staff printed from the union's decisions (not the invented samples)
    real = {what: sorted(documents.glob(f"{name}-{what}-*.pdf")) for name, what in (
        ("kyufu-shikyu-kettei-tsuchisho", "ryoyohi"), ("kyufu-shikyu-kettei-tsuchisho", "sosaihi"),
        ("kyufu-shikyu-kettei-tsuchisho", "kogaku"), ("genmen-kettei-tsuchisho", "genmen"),
        ("choshu-yuyo-kettei-tsuchisho", "yuyo"))}  # fmt: skip
    assert all(len(found) == 1 for found in real.values()), real
    samples = [documents / name for name in (
        "kyufu-shikyu-kettei-tsuchisho-sosaihi.pdf", "kyufu-shikyu-kettei-tsuchisho-ryoyohi.pdf",
        "kyufu-shikyu-kettei-tsuchisho-kogaku.pdf", "genmen-kettei-tsuchisho-genmen.pdf",
        "choshu-yuyo-kettei-tsuchisho-yuyo.pdf", "kyufu-fushikyu-kettei-tsuchisho-kyakka.pdf")]  # fmt: skip
    for pdf in [*receipts, *(found[0] for found in real.values()), *samples]:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf.name
    review = next(documents.glob("kansa-getsuji-tenken-*.pdf"))  # issue 15 §1: the monthly review report
    package = documents / "kaiji-bunsho-sample.pdf"  # issue 15 §3: a disclosure package, through the services
    assert "開示" in "".join(pdftotext(package).split())
    for pdf in [receipts[0], *(found[0] for found in real.values()), review, package]:  # the font embedded
        fonts = pdffonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), (pdf.name, fonts)
        text = "".join(pdftotext(pdf).split())
        assert any(word in text for word in ("決定通知書", "受付票", "月次点検報告書", "開示")), pdf.name
