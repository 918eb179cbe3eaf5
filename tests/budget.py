"""How many Hypothesis examples a property test draws: its own number in `make test`, a fifth of it (at
least 20) under `make mutation`, which runs the tests that reach a function once per mutant of it
(benchmarks/mutation.py sets SLTDESK_MUTATION=1)."""

from __future__ import annotations

import os

MUTATION = bool(os.environ.get("SLTDESK_MUTATION"))


def examples(n: int) -> int:
    return max(20, n // 5) if MUTATION else n
