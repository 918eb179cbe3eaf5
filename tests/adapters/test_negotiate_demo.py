"""`sltdesk negotiate` on the demo: Northwind's SL1 Availability, its credits under candidate thresholds worked
out independently from `attainment --json` and the words of Schedule 4, the brief and the pack's baseline."""

from __future__ import annotations

import json
import re
import shutil
from decimal import ROUND_FLOOR, Decimal

import numpy as np
import pytest
from pypdf import PdfReader

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.period import shift, span
from sltdesk.services.pack import pack_view
from sltdesk.services.pack_view import PackOptions

pytestmark = pytest.mark.slow
NW, SL1 = "NW-2025-014", "SL1 Availability"
MONTHS = span("2025-05", "2026-10")
# Schedule 4 of NW-2025-014, as written: 12 % of the monthly charges (GBP 48,000.00) at risk, allocated 40/20/25/15
# to SL1–SL4; a miss in two consecutive months doubles the credit; a credit is returned when the SL is met in
# each of the following three months.
AT_RISK = Decimal("48000.00") * 12 / 100
ALLOCATION = {"SL1 Availability": 40, "SL2 P1 response": 20, "SL3 P1 resolution": 25, "SL4 P2 resolution": 15}


@pytest.fixture(scope="module")
def demo(raw_demo_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("negotiate") / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    return str(path)


def run_json(capsys, *args: str):
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def attainment(demo):
    """period → target → (achieved, met), from `sltdesk attainment --json` for each month."""
    import io
    from contextlib import redirect_stdout

    out = {}
    for month in ["2025-04", *MONTHS]:
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            assert main(["attainment", "-w", demo, "--contract", NW, "--period", month, "--json"]) == 0
        out[month] = {r["target"]: r for r in json.loads(buffer.getvalue())}
    return out


def split_cap(amounts: list[Decimal], limit: Decimal) -> list[Decimal]:
    """Credits over the at-risk amount are cut in proportion to the penny (down), the pennies left going to the
    first lines that lost a fraction."""
    total = sum(amounts, Decimal(0))
    if total <= limit:
        return amounts
    cut = [(a * limit / total).quantize(Decimal("0.01"), rounding=ROUND_FLOOR) for a in amounts]
    left = int((limit - sum(cut, Decimal(0))) / Decimal("0.01"))
    for i, a in enumerate(amounts):
        if left and a * limit / total > cut[i]:
            cut[i], left = cut[i] + Decimal("0.01"), left - 1
    return cut


def by_hand(attainment, threshold: Decimal) -> dict[str, Decimal]:
    """SL1's credit per month under `threshold` (the other SLs as measured), worked from the schedule's words.
    SL1 also has a core-hours tier (≥ 99.99 % in UK business hours) priced by the worse of the two: the level is
    missed when the candidate misses 24x7 or the tier misses as measured, one line either way."""
    def sl1_missed(r: dict) -> bool:
        return Decimal(r["achieved"]) < threshold or (r["tier"] is not None and r["tier"]["met"] is False)

    missed = {t: {m: (sl1_missed(r[t]) if t == SL1 else r[t]["met"] is False)
                  if r[t]["completeness"] == "complete" else False for m, r in attainment.items()} for t in ALLOCATION}
    met = {t: {m: attainment[m][t]["completeness"] == "complete" and not missed[t][m] for m in attainment}
           for t in ALLOCATION}
    credited: dict[str, dict[str, Decimal]] = {t: {} for t in ALLOCATION}
    out = {}
    for month in MONTHS:
        raw = [AT_RISK * ALLOCATION[t] / 100 * (2 if missed[t].get(shift(month, -1)) else 1) if missed[t][month]
               else Decimal(0) for t in ALLOCATION]
        for t, amount in zip(ALLOCATION, split_cap(raw, AT_RISK), strict=True):
            credited[t][month] = amount
        origin = shift(month, -3)
        returned = credited[SL1].get(origin, Decimal(0)) if all(met[SL1].get(shift(origin, k)) for k in (1, 2, 3)) \
            else Decimal(0)
        out[month] = credited[SL1][month] - returned
    return out


def test_sl1_availability_has_eighteen_complete_months(attainment):
    assert [m for m in MONTHS if attainment[m][SL1]["completeness"] == "complete"] == MONTHS
    assert attainment["2025-04"][SL1]["completeness"] != "complete"


def test_negotiate_prices_each_candidate_as_the_schedule_reads_and_stricter_never_pays_less(demo, attainment,
                                                                                               capsys):
    found = run_json(capsys, "negotiate", "-w", demo, "--contract", NW, "--target", SL1, "--threshold", "99.9",
                     "--threshold", "99.95", "--threshold", "99.99", "--json")
    figures = [Decimal(attainment[m][SL1]["achieved"]) for m in MONTHS]
    assert found["months"] == MONTHS and [Decimal(f) for f in found["figures"]] == figures
    floats = [float(f) for f in figures]
    d = found["distribution"]
    assert float(d["median"]) == pytest.approx(np.median(floats), abs=1e-9)
    assert float(d["p10"]) == pytest.approx(np.percentile(floats, 10), abs=1e-9)
    assert float(d["p90"]) == pytest.approx(np.percentile(floats, 90), abs=1e-9)
    assert Decimal(d["worst"]) == min(figures) and d["worst_month"] == "2025-09"
    assert "95 % interval" in d["trend"]["text"]
    totals = []
    for candidate in found["candidates"]:
        expected = by_hand(attainment, Decimal(candidate["threshold"]))
        assert {p["period"]: Decimal(p["credit"]) for p in candidate["per_month"]} == expected
        assert Decimal(candidate["total"]) == sum(expected.values())
        tier_missed = [attainment[m][SL1]["tier"]["met"] is False for m in MONTHS]
        assert candidate["missed"] == sum(f < Decimal(candidate["threshold"]) or t
                                          for f, t in zip(figures, tier_missed, strict=True))
        totals.append(Decimal(candidate["total"]))
    assert totals == [Decimal("20736.00"), Decimal("23040.00"), Decimal("43556.58")]
    assert totals == sorted(totals)  # a stricter threshold never pays less
    more = run_json(capsys, "negotiate", "-w", demo, "--contract", NW, "--target", "SL1 Availability", "--json",
                    *[x for t in ("99.8", "99.92", "99.94", "99.96", "99.98", "100") for x in ("--threshold", t)])
    assert [Decimal(c["total"]) for c in more["candidates"]] == sorted(Decimal(c["total"])
                                                                       for c in more["candidates"])
    assert found["suggestion"]["rule"].startswith("met in 17 of 18 months at the 6th percentile")


def test_the_text_output_prints_the_distribution_and_the_candidates(demo, capsys):
    assert main(["negotiate", "-w", demo, "--contract", NW, "--target", SL1, "--threshold", "99.99"]) == 0
    out = capsys.readouterr().out
    assert "Median: 99.9728 %" in out and "Worst month: 99.8919 % (2025-09)" in out
    assert re.search(r"≥ 99\.99 % +12 of 18 +43,556\.58 +2,419\.81", out)
    assert "Suggested threshold: ≥ 99.9 %" in out


def test_the_brief_is_one_page_whose_figures_are_the_jsons(demo, tmp_path, capsys):
    brief = tmp_path / "brief.pdf"
    found = run_json(capsys, "negotiate", "-w", demo, "--contract", NW, "--target", SL1, "--threshold", "99.99",
                     "--brief", str(brief), "--json")
    pages = PdfReader(brief).pages
    assert len(pages) == 1
    words = " ".join(pages[0].extract_text().split())
    for name, value in found["distribution"]["text"].items():
        assert f"{name} {value}" in words
    for c in (found["current"], *found["candidates"]):
        assert f"{Decimal(c['total']):,}" in words and f"{c['missed']} of 18" in words
    assert found["suggestion"]["rule"].split(":")[0] in words


def test_a_target_is_found_by_its_id_too_and_a_missing_one_is_named_with_the_ones_there_are(demo, capsys):
    by_name = run_json(capsys, "negotiate", "-w", demo, "--contract", NW, "--target", SL1, "--json")
    by_id = run_json(capsys, "negotiate", "-w", demo, "--contract", NW, "--target", str(by_name["target_id"]),
                     "--json")
    assert by_id == by_name and [c["label"] for c in by_name["candidates"]] == ["current", "suggested"]
    assert main(["negotiate", "-w", demo, "--contract", NW, "--target", "SL9"]) != 0
    assert "has no target 'SL9'; its targets are: SL1 Availability (id" in capsys.readouterr().err


def test_a_target_without_twelve_complete_periods_is_not_negotiated_from_the_data(demo, capsys):
    assert main(["negotiate", "-w", demo, "--contract", "SP-2023-021", "--target", "Lost parcels"]) != 0
    assert "Lost parcels has 0 complete periods" in capsys.readouterr().err


def test_the_pack_shows_the_rolling_baseline_of_the_twelve_months_before(demo, attainment):
    ws = open_workspace(demo)
    try:
        view = pack_view(ws, PackOptions(supplier="Northwind Networks", period="2026-10"))
    finally:
        ws.close()
    row = next(r for r in view.attainment if r.contract == NW and r.target == SL1)
    before = [float(attainment[m][SL1]["achieved"]) for m in span("2025-10", "2026-09")]
    assert row.baseline is not None and float(row.baseline) == pytest.approx(np.percentile(before, 10), abs=1e-9)
    assert row.baseline_text == "99.9164" and row.target_text == ">= 99.95 %; core >= 99.99 %"
