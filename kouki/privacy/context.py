"""Who is acting: every service function takes an Actor, and the audit row names it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str
    terminal_id: str = ""
    user_id: int | None = None

    @classmethod
    def system(cls, job: str) -> Actor:
        """An unnamed job, for tests and benchmarks only: every `kouki` command runs as a named staff member
        (`--as USER`, kouki.staff.operators), and tests/test_architecture.py keeps this out of kouki/."""
        return cls(username=f"system:{job}", terminal_id="batch")

    @classmethod
    def counterpart(cls, name: str) -> Actor:
        """Not the city: a simulated counterpart writing on its own account inside the sandbox (the synthetic
        city's go-live register), where no member of staff acts."""
        return cls(username=f"counterpart:{name}", terminal_id="sandbox")
