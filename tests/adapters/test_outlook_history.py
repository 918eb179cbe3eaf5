"""The reliability outlook reads the verdicts computed from the raw data, the same every page shows:
nothing is stored, so a month without data, or still running, is not history, and a re-import changes
the outlook at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from edge_setup import REF, attainment, contract, csv_file, import_file

from models.workspace import open_workspace
from sltdesk.domain.register import MetricKind
from sltdesk.services.attainment import verdict_history
from sltdesk.services.imports import find_contract
from sltdesk.services.questionnaire_outlook import supplier_outlook

HEADER = ["Outage ID", "Service", "Start", "End", "Impact %"]
JULY_1 = int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())


def _outlook(path, as_of: int):
    ws = open_workspace(path, user="alice")
    try:
        [target] = supplier_outlook(ws, "Edge Supplier", as_of=as_of)
        history = verdict_history(ws, find_contract(ws, REF).id, as_of=as_of)
    finally:
        ws.close()
    return target, history


def test_the_outlook_counts_only_the_months_the_data_proves(tmp_path):
    """March–May imported whole (April with 3 h down: missed against 99.9 %), June only half: the history
    is March met, April missed, May met; June is incomplete and left out."""
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.9", rule={"source": "outages"})
    for month, rows in (("2026-03", [["O-1", "S", "2026-03-05 10:00:00", "2026-03-05 10:10:00", "100"]]),
                        ("2026-04", [["O-2", "S", "2026-04-07 09:00:00", "2026-04-07 12:00:00", "100"]]),
                        ("2026-05", [["O-3", "S", "2026-05-11 01:00:00", "2026-05-11 01:05:00", "100"]])):
        import_file(path, "outages", csv_file(tmp_path / f"{month}.csv", HEADER, rows), "--period", month)
    import_file(path, "outages", csv_file(tmp_path / "june.csv", HEADER, [
        ["O-4", "S", "2026-06-02 10:00:00", "2026-06-02 10:10:00", "100"]]))  # covers 2 June only
    assert attainment(path, "2026-06")["completeness"] == "incomplete"
    target, history = _outlook(path, JULY_1)
    [results] = history.values()
    assert [(r.period, r.met) for r in results] == [("2026-03", True), ("2026-04", False), ("2026-05", True)]
    assert (target.prediction.periods, target.prediction.met) == (3, 2)
    assert target.prediction.probability == pytest.approx((2 + 1) / (3 + 2))  # no assessment: Laplace's rule
    assert [r.period for r in target.history] == ["2026-03", "2026-04", "2026-05"]

    import_file(path, "outages", csv_file(tmp_path / "june-all.csv", HEADER, [
        ["O-5", "S", "2026-06-20 10:00:00", "2026-06-20 10:01:00", "100"]]), "--period", "2026-06")
    target, _ = _outlook(path, JULY_1)
    assert (target.prediction.periods, target.prediction.met) == (4, 3)  # June is complete now, and met

    target, _ = _outlook(path, int(datetime(2026, 6, 30, 23, 59, tzinfo=UTC).timestamp()))
    assert (target.prediction.periods, target.prediction.met) == (3, 2)  # judged before June ended
