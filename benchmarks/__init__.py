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
    """The machine a run was measured on: its cores, its load (a loaded machine stretches every wall time) and its
    speed, as the time of a fixed piece of Python: on 7 Dec 2026 the same virtual machine, its load below 1, built the
    demo in 4.9 s and an hour later in 6.2 s, every absolute figure moving with it. Reported with every run, as
    figures without a bound."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    suffix = f" {when}" if when else ""
    figures = [{"name": "machine: cores", "value": float(os.cpu_count() or 0), "unit": "cores", "bound": None,
                "ok": True}] if not when else []
    figures += [{"name": f"machine: load {span}{suffix}", "value": value, "unit": "", "bound": None,
                 "ok": True} for span, value in zip(("1 min", "5 min"), load[:2], strict=True)]
    return figures + [{"name": f"machine: 10M-step Python loop, fastest of 3{suffix}", "value": _loop_seconds(),
                       "unit": "s", "bound": None, "ok": True}]


def _loop_seconds() -> float:
    import time

    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for step in range(10_000_000):
            total += step
        best = min(best, time.perf_counter() - started)
    return best


def tree_memory_sampler(interval: float = 0.02):
    """A started background thread summing the resident memory of this process and all its descendants every
    `interval` seconds (the reader process and the forkserver it is forked from included); `.stop()` returns
    the highest sum seen, in MB. A reader still alive in its pool counts, unlike ru_maxrss.

    On Linux the tree is walked through /proc/PID/task/TID/children and each process's resident pages read from
    /proc/PID/statm (what psutil's rss reads): about 50 µs a sample. psutil's children(), used elsewhere, scans
    every process of the machine, ~2 ms a sample: 14 % of a core taken from the import it measures."""
    import threading

    class Sampler(threading.Thread):
        def __init__(self) -> None:
            super().__init__(daemon=True)
            self.peak = 0
            self._halt = threading.Event()
            self._total = _proc_tree_rss if Path(f"/proc/{os.getpid()}/task").is_dir() else _psutil_tree_rss

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


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _proc_tree_rss(root: int | None = None) -> int:
    """The resident bytes of a process and all its descendants, read from /proc (Linux)."""
    total, todo = 0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * _PAGE
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError, IndexError):  # ended between the listing and the reading
            continue
    return total


def _psutil_tree_rss() -> int:
    import psutil

    me, total = psutil.Process(), 0
    for process in [me, *me.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue  # ended between the listing and the reading
    return total
