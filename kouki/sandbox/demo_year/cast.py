"""Who acts in the demo's year: named staff accounts, each checked for the permission of what it does
(kouki.staff.operators.command_operator, as `--as USER` on the command line)."""

from __future__ import annotations

from dataclasses import dataclass

from kouki.accounts.permissions import Perm
from kouki.privacy.context import Actor
from kouki.staff.operators import command_operator

COMMAND = "kouki demo"


@dataclass(frozen=True)
class Cast:
    operator: Actor  # batches and imports (RUN_BATCHES, IMPORT_FILES)
    clerk: (
        Actor  # the counter: payments, 口座振替依頼書, contacts, pledges, write-off requests, notifications
    )
    supervisor: Actor  # decisions: refunds, write-off approvals (DECIDE_COLLECTION)

    @classmethod
    def of(cls, *, operator: str, clerk: str, supervisor: str) -> Cast:
        command_operator(username=operator, permission=Perm.IMPORT_FILES, command=COMMAND)
        return cls(
            operator=command_operator(username=operator, permission=Perm.RUN_BATCHES, command=COMMAND),
            clerk=command_operator(username=clerk, permission=Perm.VIEW_PERSON, command=COMMAND),
            supervisor=command_operator(
                username=supervisor, permission=Perm.DECIDE_COLLECTION, command=COMMAND
            ),
        )
