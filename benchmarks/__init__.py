"""Reproducible performance runs; `make bench` runs them all and writes benchmarks/results.json."""

from __future__ import annotations

import json
import os
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


def machine_figures(*, when: str = "") -> list[dict]:
    """The machine a run was measured on: its cores and its load (a loaded machine stretches every wall time).
    Reported with every run, as figures without a bound."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    suffix = f" {when}" if when else ""
    figures = [{"name": "machine: cores", "value": float(os.cpu_count() or 0), "unit": "cores", "bound": None,
                "ok": True}] if not when else []
    return figures + [{"name": f"machine: load {span}{suffix}", "value": value, "unit": "", "bound": None,
                       "ok": True} for span, value in zip(("1 min", "5 min"), load[:2], strict=True)]


def tree_memory_sampler(interval: float = 0.02):
    """A started background thread summing the resident memory of this process and all its descendants every
    `interval` seconds (the reader process and the forkserver it is forked from included); `.stop()` returns
    the highest sum seen, in MB. psutil, so a reader still alive in its pool counts, unlike ru_maxrss."""
    import threading

    import psutil

    class Sampler(threading.Thread):
        def __init__(self) -> None:
            super().__init__(daemon=True)
            self.peak = 0
            self._halt = threading.Event()
            self._me = psutil.Process()

        def _total(self) -> int:
            total = 0
            for process in [self._me, *self._me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue  # ended between the listing and the reading
            return total

        def run(self) -> None:
            while True:
                self.peak = max(self.peak, self._total())
                if self._halt.wait(interval):
                    break

        def stop(self) -> float:
            self._halt.set()
            self.join()
            self.peak = max(self.peak, self._total())
            return self.peak / 2**20

    sampler = Sampler()
    sampler.start()
    return sampler
