"""SimulatedChukanServer: the city's partition of the 中間サーバ platform and the network behind it, as kouki
sees them through kouki.inquiries.network.IntermediateServer (docs/interfaces/chukan-server.md).

State lives in its own directory (KOUKI_CHUKAN_SIM_DIR), never in the city's database:
- platform.json: the body whose partition it is (照会者) and its public key, the network's secret, the
  取得番号 issued and not yet spent, the 符号 ↔ 団体内統合宛名番号 links and 符号 → person (the network's own
  key: an HMAC of the personal number under the network's secret; no personal number is stored);
- providers.json: the simulated providers' synthetic answers by that key (providers.py);
- records.jsonl: the network's 情報提供等記録 of both parties, one line per inquiry, refused ones included
  (permit, parties, 事務, item, datetimes, 不開示; never a 符号 or the content);
- results/<照会番号>.json: the outcome of each request as the inquirer receives it (the sealed answer, or
  the refusal), which `result` gives again and `inquire` replays for a 照会番号 it has seen: a request
  sent twice is provided once (one line in records.jsonl). The 提供許可証 is derived from the 照会番号.
The platform's files are written whole (temp + fsync + rename), mode 0600, under a lock.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from kouki.core.config import chukan_sim_dir
from kouki.inquiries.envelope import seal
from kouki.inquiries.network import InquiryRefused, InquiryRequest, NetworkError, SealedAnswer
from kouki.rules.numbers import InvalidNumber, validate_my_number
from kouki.sandbox.chukan.permits import PENSION_ITEM, UNION_ITEM, permitted
from kouki.sandbox.chukan.providers import ProviderPerson

PLATFORM_FILE = "platform.json"
PROVIDERS_FILE = "providers.json"
RECORDS_FILE = "records.jsonl"
RESULTS_DIR = "results"
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,40}")
LOCK_FILE = ".lock"


def _write_json(directory: Path, name: str, body: dict[str, Any]) -> Path:
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, directory / name)
    return directory / name


def _person_key(secret: bytes, personal_number: str) -> str:
    return hmac.new(secret, b"pn:" + personal_number.encode(), hashlib.sha256).hexdigest()


def seed_platform(
    directory: Path, *, inquirer: str, public_key: str, people: Iterable[ProviderPerson]
) -> tuple[Path, int]:
    """Set up the city's partition (its body and public key) and the providers' data; links and pending
    取得番号 start empty. Returns (directory, people)."""
    directory.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    pension: dict[str, Any] = {}
    unions: dict[str, Any] = {}
    withheld: list[str] = []
    count = 0
    for person in people:
        key = _person_key(secret, person.personal_number)
        count += 1
        if person.pension is not None:
            pension[key] = person.pension
        if person.union is not None:
            unions[key] = person.union
        if person.nondisclosure:
            withheld.append(key)
    _write_json(directory, PROVIDERS_FILE, {"pension": pension, "unions": unions, "nondisclosure": withheld})
    _write_json(directory, PLATFORM_FILE, {
        "inquirer": inquirer, "public_key": public_key, "secret": base64.b64encode(secret).decode(),
        "pending": {}, "codes": {}, "holders": {},
    })  # fmt: skip
    return directory, count


class SimulatedChukanServer:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or chukan_sim_dir())

    @contextmanager
    def _state(self, *, write: bool) -> Iterator[dict[str, Any]]:
        if not (self.directory / PLATFORM_FILE).exists():
            raise NetworkError(
                "中間サーバ(模擬)が未設定です: kouki inquiries sandbox-seed で作成してください"
            )
        fd = os.open(self.directory / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state: dict[str, Any] = json.loads((self.directory / PLATFORM_FILE).read_text(encoding="utf-8"))
            yield state
            if write:
                _write_json(self.directory, PLATFORM_FILE, state)

    def _providers(self) -> dict[str, Any]:
        body: dict[str, Any] = json.loads((self.directory / PROVIDERS_FILE).read_text(encoding="utf-8"))
        return body

    def _log(self, line: dict[str, Any]) -> None:
        fd = os.open(self.directory / RECORDS_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    # J-LIS: the 取得番号
    def acquisition_number(self, personal_number: str) -> str:
        try:
            validate_my_number(personal_number)
        except InvalidNumber:
            raise NetworkError("J-LIS: 取得番号を発行できません(個人番号の形式が不正)") from None
        with self._state(write=True) as state:
            acquisition = f"ACQ-{secrets.token_hex(10).upper()}"
            state["pending"][acquisition] = _person_key(base64.b64decode(state["secret"]), personal_number)
            return acquisition

    def register_code(self, integrated_number: str, acquisition_number: str) -> None:
        with self._state(write=True) as state:
            person = state["pending"].pop(acquisition_number, None)
            if person is None:
                raise InquiryRefused("acquisition", "取得番号が無効です(使用済みまたは未発行)")
            secret = base64.b64decode(state["secret"])
            mac = hmac.new(secret, f"code:{state['inquirer']}:{person}".encode(), hashlib.sha256)
            code = mac.hexdigest()[:32]
            state["codes"][integrated_number] = code
            state["holders"][code] = person

    def has_code(self, integrated_number: str) -> bool:
        with self._state(write=False) as state:
            return integrated_number in state["codes"]

    def _result_path(self, request_id: str) -> Path:
        if not REQUEST_ID.fullmatch(request_id):
            raise NetworkError("照会番号の形式が不正です")
        return self.directory / RESULTS_DIR / f"{request_id}.json"

    def result(self, request_id: str) -> SealedAnswer | None:
        path = self._result_path(request_id)
        if not path.exists():
            return None
        kept: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if kept["status"] == "refused":
            raise InquiryRefused(kept["code"], kept["reason"])
        return SealedAnswer(
            request_id=request_id, permit_id=kept["permit_id"], provider=kept["provider"],
            requested_at=datetime.fromisoformat(kept["requested_at"]),
            provided_at=datetime.fromisoformat(kept["provided_at"]), nondisclosure=kept["nondisclosure"],
            sealed=base64.b64decode(kept["sealed"]),
        )  # fmt: skip

    def _keep(self, request_id: str, outcome: dict[str, Any]) -> None:
        path = self._result_path(request_id)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        _write_json(path.parent, path.name, outcome)

    def _refuse(self, line: dict[str, Any], code: str, reason: str) -> InquiryRefused:
        self._keep(line["request_id"], {"status": "refused", "code": code, "reason": reason})
        self._log({**line, "status": "refused", "reason": code})
        return InquiryRefused(code, reason)

    def inquire(self, request: InquiryRequest) -> SealedAnswer:
        answered = self.result(request.request_id)  # a 照会番号 seen before: its outcome again, nothing anew
        if answered is not None:
            return answered
        requested_at = timezone.now()
        with self._state(write=False) as state:
            code = state["codes"].get(request.integrated_number)
            person = state["holders"].get(code) if code else None
            inquirer, public_key = state["inquirer"], state["public_key"]
            secret = base64.b64decode(state["secret"])
        line = {
            "request_id": request.request_id, "inquirer": request.inquirer, "provider": request.provider,
            "jimu": request.jimu, "item": request.item, "requested_at": requested_at.isoformat(),
        }  # fmt: skip
        if request.inquirer != inquirer:
            raise self._refuse(line, "inquirer", "この中間サーバの団体からの照会ではありません")
        if permitted(request.inquirer, request.provider, request.jimu, request.item) is None:
            raise self._refuse(
                line, "not_permitted", "照会許可用照合リストにない照会です(提供許可証は発行されませんでした)"
            )
        if person is None:
            raise self._refuse(line, "no_code", "この団体内統合宛名番号には符号が取得されていません")
        permit = hmac.new(secret, f"permit:{request.request_id}".encode(), hashlib.sha256).hexdigest()
        permit_id = f"P-{permit[:16].upper()}"
        body, withheld = self._answer(request, person)
        provided_at = timezone.now()
        plain = json.dumps(body, ensure_ascii=False).encode("utf-8")
        answer = SealedAnswer(
            request_id=request.request_id, permit_id=permit_id, provider=request.provider,
            requested_at=requested_at, provided_at=provided_at, nondisclosure=withheld,
            sealed=seal(public_key, plain, request.request_id),
        )  # fmt: skip
        self._keep(request.request_id, {
            "status": "provided", "permit_id": permit_id, "provider": request.provider,
            "requested_at": requested_at.isoformat(), "provided_at": provided_at.isoformat(),
            "nondisclosure": withheld, "sealed": base64.b64encode(answer.sealed).decode(),
        })  # fmt: skip
        self._log({
            **line, "status": "provided", "permit_id": permit_id, "provided_at": provided_at.isoformat(),
            "nondisclosure": withheld,
        })  # fmt: skip
        return answer

    def _answer(self, request: InquiryRequest, person: str) -> tuple[dict[str, Any], bool]:
        data = self._providers()
        withheld = person in data["nondisclosure"]
        entry: dict[str, Any] | None = None
        if request.item == PENSION_ITEM:
            found = data["pension"].get(person)
            entry = found if found is not None and found["payer"] == request.provider else None
        elif request.item == UNION_ITEM:
            found = data["unions"].get(person)
            entry = found if found is not None and found["union"] == request.provider else None
        return ({"found": True, **entry} if entry is not None else {"found": False}), withheld
