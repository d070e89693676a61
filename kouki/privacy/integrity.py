"""`kouki audit verify`: the audit log and the reference log against their keys, their sequence numbers,
the checkpoint file and the database guards (issue 14 §1).

What a clean report proves: every row is as written by a holder of the audit key, no row is missing
between the first and the last, no row is missing up to the last checkpoint (so a cut tail, a deleted
last row or an emptied table fail as soon as a checkpoint covered them), and the triggers are in place.
Rows after the last checkpoint can still be cut off unnoticed: checkpoint often.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kouki.privacy.audit import verify_chain
from kouki.privacy.chain import LEGACY_KEY_ID, ChainProblem, Tally
from kouki.privacy.checkpoint import CHAINS, Checkpoint, checkpoint_path, read_checkpoints
from kouki.privacy.guards import guard_problems, privilege_warnings
from kouki.privacy.keys import load_keyring
from kouki.privacy.references import verify_references


@dataclass
class IntegrityReport:
    tallies: dict[str, Tally]
    problems: list[ChainProblem] = field(default_factory=list)
    other_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checkpoint_file: Path | None = None
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.other_problems

    def first_bad_rows(self) -> list[ChainProblem]:
        """Per chain, the problem with the lowest sequence number."""
        first: dict[str, ChainProblem] = {}
        for p in sorted(self.problems, key=lambda p: (CHAINS.index(p.chain), p.seq)):
            first.setdefault(p.chain, p)
        return list(first.values())


def _checkpoint_problems(checkpoints: list[Checkpoint], tallies: dict[str, Tally]) -> list[ChainProblem]:
    problems = []
    for cp in checkpoints:
        for chain in CHAINS:
            anchor, tally = cp.heads[chain], tallies[chain]
            if anchor.seq == 0:
                continue
            if anchor.seq > tally.head_seq:
                reason = (f"checkpoint line {cp.line} sealed rows up to seq {anchor.seq} but the log ends "
                          f"at seq {tally.head_seq}: rows were removed "
                          "(cut tail, deleted last row or emptied table)")
            elif anchor.seq not in tally.seen:
                reason = f"row sealed by checkpoint line {cp.line} is missing"
            elif tally.seen[anchor.seq] != anchor.head:
                reason = f"row differs from the head sealed by checkpoint line {cp.line}"
            else:
                continue
            problems.append(ChainProblem(anchor.seq, reason, None, chain))
    return problems


def verify_all(batch_size: int = 5000, checkpoint_file: str | Path | None = None) -> IntegrityReport:
    """Check both chains, the checkpoints and the guards. KeyringError when the keyring cannot be read."""
    ring = load_keyring()
    path = checkpoint_path(checkpoint_file)
    checkpoints, unreadable = read_checkpoints(path, ring) if path else ([], [])
    tallies = {c: Tally(wanted={cp.heads[c].seq for cp in checkpoints}) for c in CHAINS}
    report = IntegrityReport(tallies=tallies, checkpoint_file=path,
                             checkpoint=checkpoints[-1] if checkpoints else None)
    report.problems += verify_chain(batch_size, ring, tallies["audit"])
    report.problems += verify_references(batch_size, ring, tallies["reference"])
    report.problems += _checkpoint_problems(checkpoints, tallies)
    for chain, tally in tallies.items():
        covered = any(cp.heads[chain].seq >= tally.head_seq for cp in checkpoints)
        if tally.rows and tally.head_key_id == LEGACY_KEY_ID and not covered:
            report.problems.append(ChainProblem(
                tally.head_seq, "rows up to here were written before the keyed chain and nothing seals "
                "them yet: run `kouki audit checkpoint --as USER`", None, chain))
    report.other_problems += unreadable
    report.other_problems += guard_problems()
    report.warnings += privilege_warnings()
    if path is None:
        report.warnings.append(
            "KOUKI_AUDIT_CHECKPOINT_FILE is not set: checked without a checkpoint, so deleted last rows, "
            "a cut tail or an emptied table would NOT be noticed"
        )
    elif not checkpoints and not unreadable:
        report.warnings.append(
            f"no checkpoint in {path} yet: deleted last rows or an emptied table would NOT be noticed "
            "(run `kouki audit checkpoint --as USER`)"
        )
    return report
