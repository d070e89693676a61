"""SimulatedCS: answers 本人確認情報 searches from the synthetic national register (register.py).

It behaves as the CS does for kouki: it accepts only operators whose 操作者ID is registered, answers a
search by 個人番号 (none or one person) or by the 4 items (氏名 with spaces ignored, kanji or kana; 生年月日;
性別; the given address found within the registered one), and appends one line to its own 操作履歴
(operations.log: time, operator, staff, terminal, kind, hits; never what was asked or found).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from kouki.core.config import jukinet_sim_dir
from kouki.jukinet.cs import CsError, CsOperator, CsOperatorRefused, FourItems, IdentityRecord
from kouki.sandbox.jukinet.register import REGISTER_FILE, RegisterEntry, read_register

OPERATIONS_LOG = "operations.log"


def _plain(text: str) -> str:
    return "".join(text.split())


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> tuple[tuple[str, ...], dict[str, RegisterEntry], list[RegisterEntry]]:
    del mtime_ns  # part of the cache key: a re-seeded register is read again
    operators, entries = read_register(Path(path))
    return operators, {e.personal_number: e for e in entries}, entries


def _record(entry: RegisterEntry) -> IdentityRecord:
    return IdentityRecord(
        name=entry.name,
        name_kana=entry.name_kana,
        former_name="",
        common_name="",
        birth_date=date.fromisoformat(entry.birth_date),
        sex=entry.sex,
        address=entry.address,
        resident_code=entry.resident_code,
        personal_number=entry.personal_number,
        last_change=entry.last_change,
        last_change_date=date.fromisoformat(entry.last_change_date),
    )


class SimulatedCS:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or jukinet_sim_dir())

    def _register(self) -> tuple[tuple[str, ...], dict[str, RegisterEntry], list[RegisterEntry]]:
        path = self.directory / REGISTER_FILE
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            raise CsError(
                "住基ネット(模擬)の全国台帳がありません: kouki jukinet seed で作成してください"
            ) from None
        return _load(str(self.directory), mtime)

    def _authenticate(self, operator: CsOperator) -> tuple[dict[str, RegisterEntry], list[RegisterEntry]]:
        operators, by_number, entries = self._register()
        if operator.operator_id not in operators:
            raise CsOperatorRefused("住基ネットCSが操作者を認証しませんでした(操作者IDが登録されていません)")
        return by_number, entries

    def _log(self, operator: CsOperator, kind: str, hits: int) -> None:
        line = {
            "at": timezone.now().isoformat(),
            "operator": operator.operator_id,
            "staff": operator.staff_id,
            "terminal": operator.terminal_id,
            "kind": kind,
            "hits": hits,
        }
        with open(self.directory / OPERATIONS_LOG, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    def by_personal_number(self, number: str, operator: CsOperator) -> list[IdentityRecord]:
        by_number, _ = self._authenticate(operator)
        entry = by_number.get(number)
        found = [] if entry is None else [_record(entry)]
        self._log(operator, "personal_number", len(found))
        return found

    def by_four_items(self, query: FourItems, operator: CsOperator) -> list[IdentityRecord]:
        _, entries = self._authenticate(operator)
        name, address, born = _plain(query.name), _plain(query.address), query.birth_date.isoformat()
        found = [
            _record(e)
            for e in entries
            if e.birth_date == born
            and e.sex == query.sex
            and name in (_plain(e.name), _plain(e.name_kana))
            and address in _plain(e.address)
        ]
        self._log(operator, "four_items", len(found))
        return found
