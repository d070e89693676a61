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
        """A batch job or command run by an operator; the name says which."""
        return cls(username=f"system:{job}", terminal_id="batch")
