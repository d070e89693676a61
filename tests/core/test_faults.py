"""The crash-test fault points (kouki.core.faults, issue 16 §3): inert unless KOUKI_FAULT_KILL_AT names
the point, and then a SIGKILL of the process (and of the batch's main process from a worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kouki.core.faults import FAULT_ENV, fault_point

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = """
import multiprocessing, sys
from kouki.core.faults import fault_point

def work():
    fault_point("mid-write", "kozafuri-1.dat")
    return 1

if __name__ == "__main__":
    if sys.argv[1] == "worker":
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pool.apply(work)
    else:
        fault_point(sys.argv[1], "kozafuri-1.dat")
    print("survived")
"""


def _run(fault: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    if fault is not None:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-c", PROGRAM, *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_unset_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FAULT_ENV, raising=False)
    fault_point("mid-write", "anything")  # this test process survives
    assert _run(None, "mid-write").stdout.strip() == "survived"


@pytest.mark.parametrize("fault", ["before-commit", "mid-write:income", "after-commit:kozafuri-2"])
def test_another_point_or_file_does_nothing(fault: str) -> None:
    proc = _run(fault, "mid-write")
    assert (proc.returncode, proc.stdout.strip()) == (0, "survived")


@pytest.mark.parametrize("fault", ["mid-write", "mid-write:kozafuri"])
def test_the_named_point_kills_the_process(fault: str) -> None:
    proc = _run(fault, "mid-write")
    assert proc.returncode == -9 and "survived" not in proc.stdout


def test_in_a_worker_it_kills_the_main_process_too() -> None:
    proc = _run("mid-write", "worker")
    assert proc.returncode == -9 and "survived" not in proc.stdout
