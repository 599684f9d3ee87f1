"""Speed and memory of :func:`complaintlab.simulate.simulate_cases` and the effect estimators.

Run: ``.venv/bin/python benchmarks/bench_simulate.py [N]`` (default 1,000,000 cases). The
target is "1,000,000 cases in well under a minute" on one core. Reports the simulation time,
the peak memory of one simulation (tracemalloc, a separate run), the size of the table, and the
time of each estimator on the same cases.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np

from complaintlab.followup import METHODS, estimate_effect
from complaintlab.simulate import CONFOUNDERS, simulate_cases, true_effects


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    cases = simulate_cases(n, seed=0)
    seconds = time.perf_counter() - start
    size = cases.memory_usage(deep=True).sum() / 2**20
    print(f"simulate_cases({n:,}): {seconds:.2f} s ({n / seconds:,.0f} cases/s), "
          f"table {size:,.0f} MiB")  # fmt: skip
    tracemalloc.start()
    simulate_cases(n, seed=0)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"peak memory of one simulation: {peak:,.0f} MiB")
    cases["log_value"] = np.log10(cases["customer_value"])
    adjust = [c if c != "customer_value" else "log_value" for c in CONFOUNDERS]
    truth = true_effects()["follow_up"]
    print(f"true follow-up effect: {truth:.4f}")
    for method in METHODS:
        start = time.perf_counter()
        est = estimate_effect(cases, "follow_up", "retained_90d", adjust, method=method)
        print(f"estimate_effect {method:10} {time.perf_counter() - start:6.2f} s  "
              f"{est.estimate:.4f} [{est.ci_low:.4f}, {est.ci_high:.4f}]")  # fmt: skip


if __name__ == "__main__":
    main()
