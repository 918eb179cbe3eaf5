"""`sltdesk questionnaire score|predict|list` on the demo portfolio."""

from __future__ import annotations

import json
import shutil

import pytest

from sltdesk.cli import main


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> str:
    target = tmp_path / "demo.sltdesk"
    shutil.copy(demo_file, target)
    return str(target)


@pytest.fixture
def raw_demo_copy(raw_demo_file, tmp_path) -> str:
    target = tmp_path / "demo-raw.sltdesk"
    shutil.copy(raw_demo_file, target)
    return str(target)


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_has_six_suppliers_assessed_two_of_them_twice(demo_copy, capsys):
    code, out, _ = run("questionnaire", "list", "-w", demo_copy, "--json", capsys=capsys)
    listed = json.loads(out)
    assert code == 0 and [(t["name"], t["version"], t["questions"]) for t in listed["templates"]] == [
        ("supplier-process-maturity", 1, 40)]
    by_supplier: dict[str, list[str]] = {}
    for a in listed["assessments"]:
        by_supplier.setdefault(a["supplier"], []).append(a["overall"])
    assert len(by_supplier) == 6
    helppoint, swift = by_supplier["HelpPoint Services"], by_supplier["Swift Parcel"]
    assert float(helppoint[1]) > float(helppoint[0]) + 0.2  # improving
    assert float(swift[1]) < float(swift[0]) - 0.2  # declining


def test_score_gives_overall_level_sections_red_flags_and_counts(demo_copy, capsys):
    code, out, _ = run("questionnaire", "score", "-w", demo_copy, "--supplier", "Swift Parcel", "--json",
                       capsys=capsys)
    card = json.loads(out)
    assert code == 0 and card["assessed_on"] == "2026-04-20" and card["total"] == 40
    assert len(card["sections"]) == 8 and card["level"] == 2 and card["red_flags"]
    assert all(f["question"] and f["reason"].startswith("critical question answered") for f in card["red_flags"])
    code, out, _ = run("questionnaire", "score", "-w", demo_copy, "--supplier", "Swift Parcel", capsys=capsys)
    assert code == 0 and "Red flags (critical questions answered No or at level 0-1):" in out


def test_predict_explains_each_target_in_words(raw_demo_copy, capsys):
    code, out, _ = run("questionnaire", "predict", "-w", raw_demo_copy, "--supplier", "Northwind Networks", "--json",
                       "--as-of", "2026-12-01T00:00:00Z", capsys=capsys)
    targets = json.loads(out)["targets"]
    assert code == 0 and len(targets) == 6
    sl1 = next(t for t in targets if t["target"] == "SL1 Availability")
    assert sl1["periods"] == 18 and sl1["low"] < sl1["probability"] < sl1["high"]
    assert sl1["explanation"].startswith(f"history {sl1['met']} of 18 periods met; maturity ")
    expected = (sl1["prior"] * 6 + sl1["met"]) / (6 + 18)
    assert sl1["probability"] == pytest.approx(expected, abs=1e-3)


def test_the_history_is_the_computed_verdicts_up_to_the_instant_judged(raw_demo_copy, capsys):
    """The demo's data runs 2025-05 … 2026-10 (its 2026-11 is incomplete): as of 1 June 2026 the history is
    2025-05 … 2026-05, and its met count is what `attainment` says month by month."""
    code, out, _ = run("questionnaire", "predict", "-w", raw_demo_copy, "--supplier", "Northwind Networks", "--json",
                       "--as-of", "2026-06-01T00:00:00Z", capsys=capsys)
    sl1 = next(t for t in json.loads(out)["targets"] if t["target"] == "SL1 Availability")
    assert sl1["periods"] == 13
    met = 0
    for month in [f"2025-{m:02d}" for m in range(5, 13)] + [f"2026-{m:02d}" for m in range(1, 6)]:
        code, out, _ = run("attainment", "-w", raw_demo_copy, "--contract", "NW-2025-014", "--period", month, "--json",
                           capsys=capsys)
        met += next(r for r in json.loads(out) if r["target"] == "SL1 Availability")["met"] is True
    assert sl1["met"] == met


@pytest.mark.parametrize("args, message", [
    (["questionnaire", "score", "--supplier", "Ironvault Data Centres"], "There is no assessment of"),
    (["questionnaire", "predict", "--supplier", "Nobody"], "There is no supplier 'Nobody'"),
    (["questionnaire", "template", "--supplier", "PayFlow", "--template", "nope", "--out", "x.xlsx"],
     "There is no questionnaire template 'nope'"),
])
def test_questionnaire_mistakes_get_one_sentence(demo_copy, capsys, args, message):
    code, out, err = run(*args, "-w", demo_copy, capsys=capsys)
    assert code == 1 and out == "" and message in err and len(err.strip().splitlines()) == 1
