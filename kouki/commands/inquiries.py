"""`kouki inquiries`: 情報照会 through the 中間サーバ (issue 13 §2; docs/operations/inquiries.md).

    kouki inquiries key-init --as USER              the city's result key (KOUKI_INQUIRY_KEY; MANAGE_KEYS)
    kouki inquiries move-ins --month YYYY-MM --as USER   年金給付関係情報 for the month's move-ins (INQUIRE)
    kouki inquiries purge --as USER                  delete results past KOUKI_INQUIRY_RESULT_DAYS (SEC-31)
    kouki inquiries records [--user U] [--addressee N] [--since D] [--until D] --as USER
                                                     情報提供等記録 (auditors, VIEW_AUDIT)
    kouki inquiries sandbox-seed --residents N --seed S [--outsiders M] [--dir DIR]   the simulated 中間サーバ

Nothing printed holds a personal number, an integrated addressee number, a 符号 or an answer's content.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor

if TYPE_CHECKING:
    from kouki.accounts.models import StaffUser
    from kouki.privacy.context import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("inquiries", help="中間サーバによる情報照会 (information inquiries)")
    inq = p.add_subparsers(dest="inquiries_command", required=True)
    key = inq.add_parser("key-init", help="照会結果の復号鍵を作る (create the city's result key)")
    add_operator_argument(key, Perm.MANAGE_KEYS)
    key.set_defaults(handler=run_key_init)
    moves = inq.add_parser("move-ins", help="当月の転入者の年金給付関係情報を照会する (the month's move-ins)")
    moves.add_argument("--month", required=True, help="対象月 YYYY-MM (資格取得日がその月の転入者)")
    add_operator_argument(moves, Perm.INQUIRE)
    moves.set_defaults(handler=run_move_ins)
    purge = inq.add_parser("purge", help="保存期間を過ぎた照会結果を消去する (SEC-31)")
    add_operator_argument(purge, Perm.RUN_BATCHES)
    purge.set_defaults(handler=run_purge)
    records = inq.add_parser("records", help="情報提供等記録を表示する (auditors)")
    records.add_argument("--user", default="", help="職員ID")
    records.add_argument("--addressee", default="", help="宛名番号")
    records.add_argument("--since", type=date.fromisoformat, default=None, help="開始日 YYYY-MM-DD")
    records.add_argument("--until", type=date.fromisoformat, default=None, help="終了日 YYYY-MM-DD (含む)")
    records.add_argument("--limit", type=int, default=200)
    add_operator_argument(records, Perm.VIEW_AUDIT)
    records.set_defaults(handler=run_records)
    seed = inq.add_parser("sandbox-seed", help="模擬中間サーバと提供者の合成データを作る (sandbox)")
    seed.add_argument("--residents", type=int, required=True, help="kouki synth と同じ住民数")
    seed.add_argument("--seed", type=int, required=True, help="kouki synth と同じシード")
    seed.add_argument("--outsiders", type=int, default=200, help="市外の人数 (kouki jukinet seed と同じ)")
    seed.add_argument("--dir", type=Path, default=None, help="置き場所 (default $KOUKI_CHUKAN_SIM_DIR)")
    seed.set_defaults(handler=run_sandbox_seed)


def _user(args: argparse.Namespace, command: str) -> tuple[Actor, StaffUser]:
    from kouki.accounts.models import StaffUser

    actor = command_actor(args, command)
    return actor, StaffUser.objects.get(username=actor.username)


def run_key_init(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from django.db import transaction

    from kouki.core.audit_vocabulary import AuditAction, AuditTarget
    from kouki.core.config import inquiry_key_path
    from kouki.inquiries.envelope import EnvelopeError, create_key
    from kouki.privacy.audit import audit_record

    actor = command_actor(args, "inquiries key-init")
    if not inquiry_key_path():
        raise CommandError("KOUKI_INQUIRY_KEY is not set: the path of the key file to create")
    try:
        public = create_key(Path(inquiry_key_path()))
    except EnvelopeError as exc:
        raise CommandError(str(exc)) from None
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.INQUIRY_KEY_CREATE, target_type=AuditTarget.KEYRING,
                     target_id="inquiry", detail={"public_key": public})  # fmt: skip
    print(f"wrote {inquiry_key_path()} (0600). 公開鍵 (中間サーバに登録する): {public}")
    return 0


def _month(text: str) -> tuple[date, date]:
    from kouki.cli import CommandError

    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise CommandError(f"--month: not YYYY-MM: {text!r}") from None
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1)


def run_move_ins(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.inquiries.batch import move_in_inquiries
    from kouki.inquiries.network import NetworkError

    first, last = _month(args.month)
    actor, user = _user(args, "inquiries move-ins")
    try:
        summary = move_in_inquiries(user=user, first=first, last=last, terminal_id=actor.terminal_id)
    except NetworkError as exc:
        raise CommandError(f"中間サーバ: {exc}; the inquiries made so far are recorded, run again") from None
    c = summary.counts
    print(
        f"{args.month} の転入者 {summary.move_ins}人: 提供 {c.get('provided', 0)} "
        f"(所得に反映 {c.get('applied', 0)}), 拒否 {c.get('refused', 0)}, 照会済 {c.get('already', 0)}, "
        f"個人番号なし {c.get('no_number', 0)}"
    )
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.inquiries.services import PurgeNotConfigured, purge_results

    actor = command_actor(args, "inquiries purge")
    try:
        summary = purge_results(actor=actor)
    except PurgeNotConfigured as exc:
        raise CommandError(str(exc)) from None
    cutoff = f"{summary.cutoff:%Y-%m-%d %H:%M}"
    print(f"照会結果を消去しました: {summary.deleted}件 ({cutoff} より前に受信したもの)")
    return 0


def run_records(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from kouki.addressees.selectors import addressee_numbers, person_by_addressee_no
    from kouki.core.audit_vocabulary import AuditAction, AuditTarget
    from kouki.inquiries.selectors import inquiry_records
    from kouki.privacy.audit import audit_record

    actor = command_actor(args, "inquiries records")
    person_id = None
    if args.addressee:
        person = person_by_addressee_no(args.addressee)
        if person is None:
            raise CommandError(f"宛名番号 {args.addressee} はありません")
        person_id = person.pk

    def at(d: date | None, days: int = 0) -> datetime | None:
        if d is None:
            return None
        return timezone.make_aware(datetime.combine(d + timedelta(days=days), time.min))

    rows = list(inquiry_records(username=args.user, person_id=person_id, since=at(args.since),
                                until=at(args.until, 1))[: max(0, args.limit)])  # fmt: skip
    with transaction.atomic():  # the audit writer runs only inside a transaction (its chain row is locked)
        audit_record(actor=actor, action=AuditAction.INQUIRY_RECORDS_VIEW,
                     target_type=AuditTarget.INQUIRY_RECORD, target_id="",
                     detail={"user": args.user, "addressee": args.addressee, "rows": len(rows)})  # fmt: skip
    names = addressee_numbers([r.person_id for r in rows])
    print("\t".join(["照会番号", "照会日時", "提供日時", "宛名番号", "照会者", "提供者", "項目", "結果",
                     "不開示", "職員", "理由", "提供許可証"]))  # fmt: skip
    for r in rows:
        provided = f"{timezone.localtime(r.provided_at):%Y-%m-%d %H:%M:%S}" if r.provided_at else "-"
        print("\t".join([
            r.request_id, f"{timezone.localtime(r.requested_at):%Y-%m-%d %H:%M:%S}", provided,
            names.get(r.person_id, "?"), r.inquirer, r.provider, r.item, r.get_status_display(),
            "不開示" if r.nondisclosure else "", r.username, r.purpose, r.permit_id or "-",
        ]))  # fmt: skip
    return 0


def run_sandbox_seed(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.core.config import chukan_sim_dir
    from kouki.inquiries.catalogue import inquirer
    from kouki.inquiries.envelope import EnvelopeError, public_key_b64
    from kouki.sandbox.chukan.platform import seed_platform
    from kouki.sandbox.chukan.providers import build_provider_people
    from kouki.sandbox.synth.model import SynthConfig

    if args.residents <= 0 or args.outsiders < 0:
        raise CommandError("--residents must be positive and --outsiders not negative")
    try:
        public = public_key_b64()
    except EnvelopeError as exc:
        raise CommandError(f"{exc}: create it first (kouki inquiries key-init)") from None
    config = SynthConfig(residents=args.residents, seed=args.seed)
    people = build_provider_people(config, outsiders=args.outsiders)
    directory, count = seed_platform(
        args.dir or Path(chukan_sim_dir()), inquirer=inquirer(), public_key=public, people=people
    )
    print(f"wrote {directory}: {count} people known to the simulated providers")
    return 0
