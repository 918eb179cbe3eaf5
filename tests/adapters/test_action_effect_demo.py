"""The demo's two signals, put there on purpose: Stratus's firmware upgrade (A-1) made its availability better,
and Northwind's internet error rate rises the month before each Internet availability breach. Each figure is
checked against one computed here its own way (scipy, the stored attainment)."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date

import pytest
from scipy.stats import mannwhitneyu

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.period import Period, months_between
from sltdesk.domain.reviews import ImprovementAction
from sltdesk.rules.lagged import leading_indicators, listed
from sltdesk.services.attainment import attainment_history
from sltdesk.services.imports import find_contract
from sltdesk.services.indicators import candidate_series

pytestmark = pytest.mark.slow
LAST = "2026-10"  # the demo's last month of data


@pytest.fixture(scope="module")
def demo(raw_demo_file, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("effect") / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    return str(path)


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_the_firmware_upgrade_is_effective_with_scipys_exact_p_on_the_same_months(demo, capsys):
    [effect] = json.loads(run(capsys, "actions", "effect", "A-1", "-w", demo, "--last", LAST, "--json"))
    assert (effect["opened_on"], effect["closed_on"]) == ("2025-10-06", "2026-03-12")
    assert effect["verdict"] == "effective"
    ws = open_workspace(demo, user="check")
    try:
        contract = find_contract(ws, "ST-2024-003")
        history = attainment_history(ws, contract.id, months_between("2024-10", LAST))
        with ws.unit_of_work() as uow:
            action = uow.records.get(ImprovementAction, 1)
    finally:
        ws.close()
    assert action is not None and action.target_id is not None
    results = [r for r in history[action.target_id] if r.met is not None]
    opened, done = date(2025, 10, 6), date(2026, 3, 12)
    before = [float(r.achieved) for r in results if Period.parse(r.period).end <= opened]
    after = [float(r.achieved) for r in results if Period.parse(r.period).start > done]
    assert (len(before), len(after)) == (5, 7)  # May – Sep 2025 (the data starts in May), Apr – Oct 2026
    test = effect["test"]
    assert (test["n_before"], test["n_after"], test["n"]) == (5, 7, 12)
    assert test["p"] == pytest.approx(mannwhitneyu(before, after, method="exact").pvalue, rel=1e-12)
    assert test["p"] < 0.05 and effect["miss_rate_before"] == "60.0" and effect["miss_rate_after"] == "0.0"
    assert [p for p, _ in effect["before"]] == ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]


def test_the_review_and_the_pack_show_whether_it_worked(demo, capsys, tmp_path):
    shown = run(capsys, "review", "show", "-w", demo, "--supplier", "Stratus Hosting", "--period", "2026-06")
    assert "did it work? effective: median 99.88 → 99.976" in shown
    pdf = tmp_path / "pack.pdf"
    run(capsys, "pack", "-w", demo, "--supplier", "Stratus Hosting", "--period", "2026-09", "--out", str(pdf))
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    # up to 2026-09: six months after it was done (April – September)
    assert "A-1 Upgrade the storage controller firmware on VM Cluster FRA" in text
    assert "effective: median 99.88 → 99.978, missed 60.0 % → 0.0 % of months" in text and "n = 5 + 6" in text


def test_an_action_done_too_recently_has_not_enough_periods(demo, capsys):
    effects = json.loads(run(capsys, "actions", "effect", "--supplier", "PayFlow", "-w", demo, "--last", LAST,
                             "--json"))
    assert [(e["action"], e["verdict"]) for e in effects] == [("A-9", "not enough periods (12 before, 1 after)")]


def test_the_rising_error_rate_is_listed_as_a_leading_indicator_one_month_ahead(demo, capsys):
    found = json.loads(run(capsys, "indicators", "-w", demo, "--contract", "NW-2025-019", "--last", LAST, "--json"))
    by_target = {t["target"]: t for t in found["targets"]}
    [indicator] = by_target["Internet availability"]["listed"]
    assert (indicator["candidate"], indicator["lag"], indicator["n"]) == ("error rate", 1, 17)
    assert indicator["r"] < -0.5 and indicator["p_adjusted"] < 0.05
    assert by_target["Latency p95"]["listed"] == [] and by_target["Latency p95"]["text"] == "no indicator stands out"
    assert found["caution"].startswith("Correlation is not cause")
    text = run(capsys, "indicators", "-w", demo, "--contract", "NW-2025-019", "--last", LAST)
    assert "Internet availability: error rate, 1 month ahead" in text and "Correlation is not cause" in text


def test_the_pack_lists_the_indicator_with_its_lag_and_the_caution(demo, capsys, tmp_path):
    pdf = tmp_path / "northwind.pdf"
    run(capsys, "pack", "-w", demo, "--supplier", "Northwind Networks", "--period", LAST, "--out", str(pdf))
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert ("NW-2025-019 Internet availability error rate, 1 month ahead: when it is high the target falls "
            "(r = -0.98, n = 17, adjusted p < 0.0001)") in text
    assert "NW-2025-019 Latency p95 no indicator stands out" in text and "Correlation is not cause" in text


def test_a_pure_noise_series_of_the_same_length_is_not_listed_beside_it(demo):
    ws = open_workspace(demo, user="check")
    try:
        contract = find_contract(ws, "NW-2025-019")
        months = months_between("2025-05", LAST)
        series = candidate_series(ws, contract.id, months)
        history = attainment_history(ws, contract.id, months)
    finally:
        ws.close()
    [target] = [rs for rs in history.values() if rs[0].target == "Internet availability"]
    figures = [float(r.achieved) if r.achieved is not None else None for r in target]
    rng = random.Random(30)
    noise = [rng.gauss(0.05, 0.01) for _ in figures]
    found = listed(leading_indicators({"error rate": series["error rate"], "noise": noise}, figures))
    assert [(i.candidate, i.lag) for i in found] == [("error rate", 1)]


def test_other_contracts_have_no_indicator_that_stands_out(demo, capsys):
    for ref in ("PF-2025-007", "NW-2025-014", "HP-2024-009"):
        found = json.loads(run(capsys, "indicators", "-w", demo, "--contract", ref, "--last", LAST, "--json"))
        assert found["targets"] and all(t["listed"] == [] for t in found["targets"]), ref
        if ref == "PF-2025-007":  # a target is not tried against its own measure
            tried = {t["target"]: {i["candidate"] for i in t["tested"]} for t in found["targets"]}
            assert tried["Error rate"] == {"latency p95"} and tried["Latency p95"] == {"error rate"}
            assert tried["Availability"] == {"error rate", "latency p95"}
