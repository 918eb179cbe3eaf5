"""Run every benchmarks/bench_*.py, print a table and merge the figures into benchmarks/results.json.

Each module has `run() -> list[dict]` with one dict per checked figure:
{"name", "value", "unit", "bound", "ok"}. Ratios are measured against a baseline in the same run.
Every run also records the machine's cores and its load average at the start and at the end
("machine: …" figures without a bound).
The figures replace the entries of the same name; the others stay (those of the benchmarks not
selected, and those `make mutation` writes).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks import RESULTS, machine_figures, merge_results

HERE = Path(__file__).parent


def main(selected: list[str]) -> int:
    results: list[dict] = machine_figures()
    for module in sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_")):
        if selected and not any(s in module for s in selected):
            continue
        print(f"running {module} …", flush=True)
        results.extend(importlib.import_module(f"benchmarks.{module}").run())
    results.extend(machine_figures(when="at the end"))
    produced = {r["name"] for r in results}
    kept = [r["name"] for r in merge_results(results) if r["name"] not in produced]
    width = max((len(r["name"]) for r in results), default=10)
    print(f"\n{'figure'.ljust(width)}  {'value':>12}  {'unit':<8}  {'bound':>10}  ok")
    for r in results:
        bound = "" if r["bound"] is None else f"{r['bound']:g}"
        verdict = "yes" if r["ok"] else "NO"
        print(f"{r['name'].ljust(width)}  {r['value']:>12.4g}  {r['unit']:<8}  {bound:>10}  {verdict}")
    if kept:
        print(f"\nkept from earlier runs: {', '.join(kept)}")
    print(f"\nwritten {RESULTS}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
