"""The simulated union (広域連合 standard system). Only files cross; its state lives in its own directory.

    sim = UnionSimulator(state_dir, insurer_no, today)
    sim.receive(path)                  # each city→union file; raises UnionFileRejected (nothing taken in)
    paths = sim.run_day(on, out_dir)   # insured-info, certificate-issue, address-exception per municipality

Benefits (給付・減免・猶予): kouki.sandbox.union.benefits.UnionBenefits(state_dir, seed=…).receive(path) /
  .decide(on) / .high_cost_month(month, on) / .outpatient_year(year_end, on) / .write_decisions(…).

CLI: python -m kouki.sandbox.union --state DIR receive FILE... | run-day --date D --out DIR
  | benefits-receive FILE... | benefits-decide --date D --out DIR
"""

from kouki.sandbox.union.simulator import (
    DEFAULT_INSURER_NO,
    UnionFileRejected,
    UnionSimulator,
    insurer_no_for,
)

__all__ = ["DEFAULT_INSURER_NO", "UnionFileRejected", "UnionSimulator", "insurer_no_for"]
