"""The simulated union (広域連合 standard system). Only files cross; its state lives in its own directory.

    sim = UnionSimulator(state_dir, insurer_no, today)
    sim.receive(path)                  # each city→union file; raises UnionFileRejected (nothing taken in)
    paths = sim.run_day(on, out_dir)   # insured-info, certificate-issue, address-exception per municipality

CLI: python -m kouki.sandbox.union --state DIR receive FILE... | run-day --date D --out DIR
"""

from kouki.sandbox.union.simulator import (
    DEFAULT_INSURER_NO,
    UnionFileRejected,
    UnionSimulator,
    insurer_no_for,
)

__all__ = ["DEFAULT_INSURER_NO", "UnionFileRejected", "UnionSimulator", "insurer_no_for"]
