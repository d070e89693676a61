"""`kouki disclosure`: 開示・訂正・利用停止請求 from the command line (issue 15 §3; docs/operations/
disclosure.md). The screens at /disclosure/ do the same.

    kouki disclosure list [--worklist] [--state S] [--kind K] --as USER
    kouki disclosure register --kind disclosure|correction|suspension --addressee-no N --content TEXT
        --document DOC [--document DOC …] [--requester self|legal_agent|delegate --agent-name NAME
        --agent-document-on YYYY-MM-DD --authority DOC] [--method view|copy] [--disclosure-no 開…]
        [--channel counter|post] [--received-on YYYY-MM-DD] --as USER
    kouki disclosure decide REQUEST_ID --decision D [--reason TEXT] --as USER
    kouki disclosure approve REQUEST_ID --as USER          (a supervisor; never the one who prepared it)
    kouki disclosure package REQUEST_ID --out DIR --as USER (makes the package once, then writes it)

register / decide / package need 開示等の受付 (disclosure.register), approve needs 開示等の決定の承認
(disclosure.approve). Prints 受付番号, states, file names and counts; no name and never a number.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("disclosure", help="開示・訂正・利用停止請求")
    s = p.add_subparsers(dest="disclosure_command", required=True)
    listing = s.add_parser("list", help="請求の一覧 (--worklist: 未決定のもの、期限順)")
    listing.add_argument("--worklist", action="store_true")
    listing.add_argument("--state", default="", choices=("", "received", "prepared", "decided", "done"))
    listing.add_argument("--kind", default="", choices=("", "disclosure", "correction", "suspension"))
    add_operator_argument(listing, Perm.REGISTER_DISCLOSURE)
    listing.set_defaults(handler=run_list)

    reg = s.add_parser("register", help="請求の受付")
    reg.add_argument("--kind", required=True, choices=("disclosure", "correction", "suspension"))
    reg.add_argument("--addressee-no", required=True, help="本人の宛名番号")
    reg.add_argument("--content", required=True, help="請求の内容 (個人番号は書かない)")
    reg.add_argument("--document", action="append", default=[], help="本人確認書類 (identity_check の値)")
    reg.add_argument("--requester", default="self", choices=("self", "legal_agent", "delegate"))
    reg.add_argument("--agent-name", default="")
    reg.add_argument("--agent-document-on", type=date.fromisoformat, default=None)
    reg.add_argument("--authority", action="append", default=[], help="代理権の書類 (power_of_attorney 等)")
    reg.add_argument("--method", default="", choices=("", "view", "copy"), help="開示の実施方法")
    reg.add_argument("--disclosure-no", default="", help="訂正・利用停止: 開示の受付番号")
    reg.add_argument("--channel", default="counter", choices=("counter", "post"))
    reg.add_argument("--received-on", type=date.fromisoformat, default=None, help="受付日 (既定: 今日)")
    add_operator_argument(reg, Perm.REGISTER_DISCLOSURE)
    reg.set_defaults(handler=run_register)

    decide = s.add_parser("decide", help="決定案の作成")
    decide.add_argument("request_id", type=int)
    decide.add_argument("--decision", required=True, choices=(
        "disclose", "partial", "nondisclose", "correct", "not_correct", "suspend", "not_suspend"))
    decide.add_argument("--reason", default="")
    add_operator_argument(decide, Perm.REGISTER_DISCLOSURE)
    decide.set_defaults(handler=run_decide)

    approve = s.add_parser("approve", help="決定の承認 (監督者; 作成者以外)")
    approve.add_argument("request_id", type=int)
    add_operator_argument(approve, Perm.APPROVE_DISCLOSURE)
    approve.set_defaults(handler=run_approve)

    package = s.add_parser("package", help="開示文書(写し)の作成と出力")
    package.add_argument("request_id", type=int)
    package.add_argument("--out", type=Path, required=True, help="出力先のフォルダ")
    add_operator_argument(package, Perm.REGISTER_DISCLOSURE)
    package.set_defaults(handler=run_package)


def run_list(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from django.utils import timezone

    from kouki.disclosure.selectors import disclosure_requests, disclosure_worklist
    from kouki.rules.disclosure_deadlines import DUE_STATE_LABELS

    command_actor(args, "disclosure list")
    today = timezone.localdate()
    rows = (disclosure_worklist(today) if args.worklist
            else disclosure_requests(today=today, state=args.state, kind=args.kind))
    for row in rows:
        r = row.request
        due = f" {DUE_STATE_LABELS[row.due]}" if row.due else ""
        print(f"#{r.pk} {r.request_no} {r.get_kind_display()} 宛名番号 {r.person.addressee_no} "
              f"受付 {r.received_on} 期限 {row.due_on}{due} 状態 {r.get_state_display()}"
              f"{' 決定 ' + r.get_decision_display() if r.decision else ''}")
    print(f"{len(rows)} request(s)")
    return 0


def run_register(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from django.utils import timezone

    from kouki.accounts.models import StaffUser
    from kouki.disclosure.models import Channel, Requester, RequestKind
    from kouki.disclosure.services import InvalidRequest, RequestInput, disclosure_request_receive
    from kouki.rules.disclosure_fees import DisclosureMethod
    from kouki.rules.identity_check import AuthorityDocument, IdentityDocument

    actor = command_actor(args, "disclosure register")
    try:
        documents = frozenset(IdentityDocument(d) for d in args.document)
        authority = frozenset(AuthorityDocument(d) for d in args.authority)
    except ValueError as exc:
        raise CommandError(f"--document/--authority: {exc}; nothing was done") from None
    data = RequestInput(
        kind=RequestKind(args.kind), addressee_no=args.addressee_no, requester=Requester(args.requester),
        channel=Channel(args.channel), received_on=args.received_on or timezone.localdate(),
        content=args.content, documents=documents, requester_name=args.agent_name,
        authority_documents=authority, agent_document_on=args.agent_document_on,
        method=DisclosureMethod(args.method) if args.method else None, disclosure_no=args.disclosure_no,
    )
    try:
        request = disclosure_request_receive(actor=actor, user=StaffUser.objects.get(username=actor.username),
                                             data=data)
    except InvalidRequest as exc:
        raise CommandError(f"{exc.field}: {exc.reason}; nothing was done") from None
    print(f"#{request.pk} {request.request_no} received; decision due {request.due_on}")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.models import StaffUser
    from kouki.disclosure.models import Decision
    from kouki.disclosure.services import InvalidRequest, disclosure_decision_prepare

    actor = command_actor(args, "disclosure decide")
    try:
        user = StaffUser.objects.get(username=actor.username)
        request = disclosure_decision_prepare(actor=actor, user=user, request_id=args.request_id,
                                              decision=Decision(args.decision), reason=args.reason)
    except InvalidRequest as exc:
        raise CommandError(f"{exc.field}: {exc.reason}; nothing was done") from None
    print(f"#{request.pk} {request.request_no} prepared: {request.get_decision_display()} (承認待ち)")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.models import StaffUser
    from kouki.disclosure.services import InvalidRequest, disclosure_decision_approve

    actor = command_actor(args, "disclosure approve")
    try:
        user = StaffUser.objects.get(username=actor.username)
        request = disclosure_decision_approve(actor=actor, user=user, request_id=args.request_id)
    except InvalidRequest as exc:
        raise CommandError(f"{exc.field}: {exc.reason}; nothing was done") from None
    print(f"#{request.pk} {request.request_no} approved: {request.get_decision_display()} "
          f"({request.get_state_display()})")
    return 0


def run_package(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from django.utils import timezone

    from kouki.accounts.models import StaffUser
    from kouki.core.outbox import write_whole
    from kouki.disclosure.models import DisclosureRequest
    from kouki.disclosure.services import InvalidRequest, disclosure_package_generate, disclosure_package_open

    actor = command_actor(args, "disclosure package")
    try:
        made = DisclosureRequest.objects.filter(pk=args.request_id, package_pages__isnull=False).exists()
        if not made:
            disclosure_package_generate(actor=actor, user=StaffUser.objects.get(username=actor.username),
                                        request_id=args.request_id, today=timezone.localdate())
        name, pdf = disclosure_package_open(actor=actor, request_id=args.request_id)
    except InvalidRequest as exc:
        raise CommandError(f"{exc.field}: {exc.reason}; nothing was done") from None
    path = args.out / name
    write_whole(path, pdf)
    request = DisclosureRequest.objects.only("package_pages", "package_fee", "request_no").get(
        pk=args.request_id)
    print(f"#{args.request_id} {request.request_no} written: {path}  pages: {request.package_pages}  "
          f"fee: {request.package_fee}円")
    return 0
