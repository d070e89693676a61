"""`kouki audit search` and `kouki audit person`: the auditor's desk on the command line (issue 15 §1;
docs/operations/audit-desk.md). Both need VIEW_AUDIT (the auditor's) and are themselves audited.

    kouki audit search --as USER [--name T] [--kana K] [--birth-date D] [--addressee NO] [--user STAFF]
                       [--action ACTION] [--file NAME] [--since D] [--until D] [--source audit|reference|view]
                       [--limit N] [--after CURSOR]
    kouki audit person ADDRESSEE_NO --as USER

search prints one page (newest first, --limit rows, at most 500) as a tab-separated table and, when more
rows match, the --after value of the next page. A reversed period, a personal number among the criteria
or too many matching people stop it with exit status 2 and the reason; no match is said in words.
person prints who referred to the person's number and why, the 宛名詳細 views, the transfers that carried
the person and the 情報提供等記録 about them. No personal number is ever printed.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor

MAX_LIMIT = 500


def register_desk(audit_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    search = audit_sub.add_parser("search", help="監査記録の検索 (audit log, reference log, 宛名詳細 views)")
    search.add_argument("--name", default="", help="氏名(一部)")
    search.add_argument("--kana", default="", help="氏名カナ(前方一致)")
    search.add_argument("--birth-date", type=date.fromisoformat, default=None, help="生年月日 YYYY-MM-DD")
    search.add_argument("--addressee", default="", help="宛名番号(一部でも可)")
    search.add_argument("--user", default="", help="職員ID")
    search.add_argument("--action", action="append", default=[],
                        help="操作 (e.g. login.failed, personal_number.reveal, person_view; repeatable)")
    search.add_argument("--file", default="", help="ファイル名(一部)")
    search.add_argument("--since", type=date.fromisoformat, default=None, help="期間の開始日 YYYY-MM-DD")
    search.add_argument("--until", type=date.fromisoformat, default=None, help="期間の終了日 (inclusive)")
    search.add_argument("--source", choices=["audit", "reference", "view"], action="append", default=[],
                        help="記録の種類 (default: all three)")
    search.add_argument("--limit", type=int, default=50, help=f"rows per page (at most {MAX_LIMIT})")
    search.add_argument("--after", default="", help="the next page's cursor printed by the previous run")
    add_operator_argument(search, Perm.VIEW_AUDIT)
    search.set_defaults(handler=run_search)
    person = audit_sub.add_parser("person", help="宛名ごとの参照状況 (who saw the number and why)")
    person.add_argument("addressee_no", help="宛名番号")
    add_operator_argument(person, Perm.VIEW_AUDIT)
    person.set_defaults(handler=run_person)


def _when(at: datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}"


def run_search(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.addressees.selectors import addressee_numbers
    from kouki.privacy.audit_search import (
        Cursor,
        Source,
        TrailCriteria,
        TrailSearchError,
        action_label,
        staff_names,
        trail_search_audited,
    )
    from kouki.reviews.person_trail import search_people_trail

    actor = command_actor(args, "audit search")
    criteria = TrailCriteria(
        name=args.name.strip(), kana=args.kana.strip(), birth_date=args.birth_date,
        addressee_no=args.addressee.strip(), username=args.user.strip(), actions=tuple(args.action),
        file_name=args.file.strip(), since=args.since, until=args.until,
        sources=tuple(Source(s) for s in args.source),
    )  # fmt: skip
    unknown = [a for a in criteria.actions if action_label(a) == "(未登録の操作)"]
    if unknown:
        raise CommandError(f"unknown --action {', '.join(unknown)}: see docs/operations/audit-desk.md")
    try:
        after = Cursor.decode(args.after) if args.after else None
        _, page = search_people_trail(criteria, after=after, size=min(max(1, args.limit), MAX_LIMIT))
    except TrailSearchError as exc:
        raise CommandError(str(exc)) from None
    trail_search_audited(actor=actor, criteria=criteria, found=page.total)
    if not page.rows:
        print(f"該当する記録はありません(条件: {criteria.summary()})")
        return 0
    names = staff_names(r.username for r in page.rows)
    numbers = addressee_numbers(r.person_id for r in page.rows if r.person_id is not None)
    print("\t".join(["日時", "記録の種類", "職員", "端末", "操作", "宛名番号", "対象", "画面", "参照理由",
                     "ファイル"]))
    for r in page.rows:
        print("\t".join([
            _when(r.at), r.source_label, f"{names[r.username]}({r.username})", r.terminal_id or "-", r.action,
            numbers.get(r.person_id, "-") if r.person_id is not None else "-", r.target or "-",
            r.screen or "-", r.purpose or "-", "、".join(r.files) or "-",
        ]))  # fmt: skip
    total = f"{page.total}件以上" if page.total_capped else f"{page.total}件"
    print(f"{len(page.rows)}件を表示 / 該当 {total}(条件: {criteria.summary()})")
    if page.next_cursor is not None:
        print(f"次のページ: --after {page.next_cursor.encode()}")
    return 0


def run_person(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.addressees.selectors import person_by_addressee_no, person_current
    from kouki.inquiries.selectors import provision_records_of
    from kouki.privacy.audit_search import number_seen_by, person_look_audited, person_views_of, staff_names
    from kouki.privacy.redaction import contains_personal_number
    from kouki.transfers.selectors import transfers_of_person

    actor = command_actor(args, "audit person")
    if contains_personal_number(args.addressee_no):
        raise CommandError("宛名番号を指定してください(個人番号は指定できません)")
    person = person_by_addressee_no(args.addressee_no.strip())
    version = person_current(person.pk) if person is not None else None
    if person is None or version is None:
        raise CommandError(f"宛名番号 {args.addressee_no} の宛名はありません")
    references = number_seen_by(person.pk)
    views = person_views_of(person.pk)
    transfers = transfers_of_person(person.pk)
    provisions = provision_records_of(person.pk)
    person_look_audited(actor=actor, addressee_no=person.addressee_no, counts={
        "references": len(references), "views": len(views), "transfers": len(transfers),
        "provision_records": len(provisions)})  # fmt: skip
    print(f"宛名番号 {person.addressee_no} {version.family_name} {version.given_name} "
          f"({version.family_name_kana} {version.given_name_kana}) 生年月日 {version.birth_date:%Y-%m-%d}")
    print(f"\n個人番号を参照した職員と理由: {len(references)}件")
    for ref in references:
        print("\t".join([_when(ref.at), f"{ref.staff_name}({ref.username})", ref.terminal_id, ref.screen,
                         ref.purpose, ref.kind]))
    print(f"\n宛名詳細の閲覧: {len(views)}件")
    for v in views:
        print("\t".join([_when(v.at), f"{v.staff_name}({v.username})", v.terminal_id or "-"]))
    print(f"\nこの方を含む移転: {len(transfers)}件")
    names = staff_names(t.executed_by for t in transfers)
    for t in transfers:
        print("\t".join([_when(t.executed_at), f"{t.code}(第{t.version}版)", t.recipient, t.purpose, t.method,
                         t.items, t.file_name or "-", f"{t.person_count}件", names[t.executed_by]]))
    print(f"\n情報提供等記録: {len(provisions)}件")
    for p in provisions:
        print("\t".join([_when(p.requested_at), _when(p.provided_at) if p.provided_at else "-", p.inquirer,
                         p.provider, p.jimu, p.item, "不開示" if p.nondisclosure else "-"]))
    return 0
