"""A refresh measured in two processes (sltdesk/services/result_workers.py) stores exactly what a refresh
measured in one stores, and what the worker measured before a write is not stored."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

from models.workspace import open_workspace
from sltdesk.domain.register import Contract
from sltdesk.services import result_cache, result_workers
from sltdesk.services.periods import mark_complete
from sltdesk.services.result_cache import refresh_results, result_status

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def opened(path: str, **kwargs):
    return open_workspace(path, user="alice", clock=lambda: NOW, **kwargs)


def stored_rows(path: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT contract_id, target_id, period, fingerprint, payload FROM period_result "
                          "ORDER BY target_id, period").fetchall()


def emptied(raw_demo_file: str, tmp_path, name: str) -> str:
    path = str(tmp_path / name)
    shutil.copy(raw_demo_file, path)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM period_result")
    return path


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_two_processes_store_exactly_the_payloads_one_process_stores(raw_demo_file, tmp_path, monkeypatch, start):
    one, two = emptied(raw_demo_file, tmp_path, "one.sltdesk"), emptied(raw_demo_file, tmp_path, "two.sltdesk")
    result_cache.forget()
    monkeypatch.setattr(result_workers, "PARALLEL_FROM", 10**9)  # everything measured here
    ws = opened(one)
    serial = refresh_results(ws)
    ws.close()

    result_cache.forget()
    monkeypatch.setattr(result_workers, "PARALLEL_FROM", 2)  # the demo's 10 contracts measured by the workers
    monkeypatch.setattr(result_workers, "_context", lambda: multiprocessing.get_context(start))
    ws = opened(two)
    with ws.unit_of_work() as uow:
        ids = [c.id for c in uow.records.list(Contract)]
    origin = {}
    for m in result_workers.measured_in_turn(ws, ids, int(NOW.timestamp()), NOW.date()):
        assert m is not None
        origin[m.contract_id] = "here" if m.results or not m.rows else "worker"  # the worker sends rows only
        result_cache._store_one(ws, m)
    assert sorted(origin) == sorted(ids) and set(origin.values()) == {"worker"}
    assert result_status(ws)["current"] == result_status(ws)["expected"] == serial.stored > 600
    ws.close()
    rows = stored_rows(two)
    assert len(rows) == serial.stored and rows == stored_rows(one)  # fingerprints and payloads, byte for byte


def test_refresh_results_shares_a_large_portfolio_and_stores_every_result(raw_demo_file, tmp_path, monkeypatch):
    path = emptied(raw_demo_file, tmp_path, "demo.sltdesk")
    result_cache.forget()
    monkeypatch.setattr(result_workers, "PARALLEL_FROM", 2)
    ws = opened(path)
    steps = []
    done = refresh_results(ws, progress=lambda percent, text: steps.append(percent))
    assert done.contracts == 10 and done.stored > 600 and done.current == 0
    assert result_status(ws)["missing"] == result_status(ws)["out_of_date"] == 0
    assert steps[-1] == 100 and len(steps) == 11
    assert refresh_results(ws).stored == 0  # all current now
    ws.close()


def test_what_the_worker_measured_before_a_write_is_not_stored(raw_demo_file, tmp_path, monkeypatch):
    path = emptied(raw_demo_file, tmp_path, "demo.sltdesk")
    result_cache.forget()
    monkeypatch.setattr(result_workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(result_workers, "IN_HAND", 5)  # every contract handed out at once
    ws = opened(path)
    as_of = int(NOW.timestamp())
    with ws.unit_of_work() as uow:
        contracts = {c.id: c.ref for c in uow.records.list(Contract)}
    measured = [m for m in result_workers.measured_in_turn(ws, list(contracts), as_of, NOW.date()) if m is not None]
    assert len(measured) == 10 and all(m.rows and not m.results for m in measured)  # all from the workers
    stale = next(m for m in measured if contracts[m.contract_id] == "IV-2022-005")
    mark_complete(ws, "IV-2022-005", "2026-11", reason="vendor confirmed")  # a write: it refreshes IV itself
    assert result_cache._store_one(ws, stale) == (0, stale.current)
    inputs = result_cache.Inputs.load(ws, stale.contract_id)
    keys = inputs.keys(result_cache.stored_periods(inputs.contract, inputs.targets, NOW.date()), as_of)
    assert any(r.period == "2026-11" and r.fingerprint != keys[(r.target_id, r.period)] for r in stale.rows)
    with ws.unit_of_work() as uow:
        have = uow.results.fingerprints(contract_id=stale.contract_id)
    assert have and all(keys[at] == key for at, key in have.items())  # nothing the worker measured before it
    ws.close()


def test_a_workspace_another_process_cannot_see_is_measured_here(raw_demo_file, tmp_path):
    path = emptied(raw_demo_file, tmp_path, "demo.sltdesk")
    ws = opened(path)
    assert ws.reader() is not None
    with ws.batch():  # its writes are not committed yet: a worker would not see them
        assert ws.reader() is None
    ws.close()
    ws = opened(path, read_only=True)
    assert ws.reader() is None
    ws.close()
