"""Reproducible performance runs; `make bench` runs them all and writes benchmarks/results.json."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results.json"


def merge_results(figures: list[dict], path: Path = RESULTS) -> list[dict]:
    """Write `figures` into results.json, replacing same-named entries and keeping every other one."""
    try:
        kept = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        kept = []
    fresh = {f["name"]: f for f in figures}
    merged = [fresh.pop(r["name"], r) for r in kept if isinstance(r, dict) and "name" in r]
    merged.extend(fresh.values())  # figures results.json did not hold yet, in the order they came
    path.write_text(json.dumps(merged, indent=2) + "\n")
    return merged
