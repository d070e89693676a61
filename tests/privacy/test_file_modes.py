"""Issue 14 §2: what kouki creates — the SQLite database, the keyring and its folder, files a batch
writes — is readable by the service account only (0600 files, 0700 folders), whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_installation_is_private_even_with_an_open_umask(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    keyring = tmp_path / "keys" / "keyring.json"
    db = tmp_path / "data" / "kouki.sqlite3"
    db.parent.mkdir(mode=0o755)
    env |= {"KOUKI_DATABASE_URL": f"sqlite:///{db}", "KOUKI_KEYRING": str(keyring)}
    opened = "umask 022; exec \"$0\" -m kouki.cli \"$@\""
    for argv in (["keys", "init"], ["migrate"]):
        subprocess.run(["sh", "-c", opened, sys.executable, *argv], env=env, check=True, capture_output=True)
    assert mode(keyring) == 0o600 and mode(keyring.parent) == 0o700
    assert mode(db) == 0o600
