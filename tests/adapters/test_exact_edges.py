"""Every edge of the cloud credit table, from an outage log to `penalties --json`.

The published table (AWS compute, region level): below 99.99 % → 10 % of the month's charges, below 99.0 %
→ 30 %, below 95.0 % → 100 %. "Below" is strictly below, so a month exactly at an edge gets the milder band.
Each case is an outage log imported with `sltdesk import outages`, measured under a 24x7 calendar and priced
with the template's clause; the seconds at each edge are worked out from the month's length:

    30 days  = 2,592,000 s: 0.01 % = 259.2 s, 1 % = 25,920 s,  5 % = 129,600 s
    31 days  = 2,678,400 s: 0.01 % = 267.84 s, 1 % = 26,784 s
    29 days  = 2,505,600 s (February 2024, a leap year): 0.01 % = 250.56 s
    743 h    = 2,674,800 s (March 2026 in London, the clocks go forward): 0.01 % = 267.48 s, 1 % = 26,748 s
    745 h    = 2,682,000 s (October 2026 in London, the clocks go back): 0.01 % = 268.2 s, 1 % = 26,820 s
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from edge_setup import REF, attainment, clauses, cli_json, contract, credit, csv_file, import_file, penalties, template

from sltdesk.domain.register import MetricKind
from tests.exact import exactly

CHARGES = "10000.00"  # a month; the bands give 1,000.00, 3,000.00 and 10,000.00
OUTAGE_HEADER = ["Outage ID", "Service", "Start", "End", "Impact %"]


def _month_with_downtime(tmp_path, *, period: str, start: datetime, seconds: int, zone: str = "UTC"):
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.99", rule={"source": "outages"},
                    zone=zone, charges=CHARGES)
    template(path)
    end = start + timedelta(seconds=seconds)
    rows = [["OUT-1", "Compute", f"{start:%Y-%m-%d %H:%M:%S}", f"{end:%Y-%m-%d %H:%M:%S}", "100"]]
    import_file(path, "outages", csv_file(tmp_path / "outages.csv", OUTAGE_HEADER, rows), "--timezone", zone,
                "--period", period)
    return path


@pytest.mark.parametrize(("seconds", "amount", "band"), [
    (259, "0.00", None),  # 99.990007… %: not below 99.99
    (260, "1000.00", "< 99.99 % → 10 % of charges"),  # 99.989969… %: below, though it rounds to 99.9900
    (25_920, "1000.00", "< 99.99 % → 10 % of charges"),  # exactly 99.0 %: not below 99.0
    (25_921, "3000.00", "< 99.0 % → 30 % of charges"),  # 98.999961… %
    (129_600, "3000.00", "< 99.0 % → 30 % of charges"),  # exactly 95.0 %
    (129_601, "10000.00", "< 95.0 % → 100 % of charges"),
])
def test_a_thirty_day_month_gets_the_published_credit_at_each_edge(tmp_path, seconds, amount, band):
    path = _month_with_downtime(tmp_path, period="2026-06", start=datetime(2026, 6, 10, 10), seconds=seconds)
    figure = attainment(path, "2026-06")
    assert exactly(figure["achieved"], 2_592_000 - seconds, 2_592_000)
    # the one result: 259 s leaves 0.2 s of a 259.2 s budget, so met but at risk
    assert (figure["status"], figure["credit"]) == ("at risk" if seconds == 259 else "missed", amount)
    doc = penalties(path, "2026-06")
    assert doc["total"] == amount
    assert [ln["band"] for ln in doc["lines"] if ln["band"]] == ([band] if band else [])


def test_the_figure_is_written_with_the_decimals_that_keep_it_below_the_edge(tmp_path):
    path = _month_with_downtime(tmp_path, period="2026-06", start=datetime(2026, 6, 10, 10), seconds=260)
    figure = attainment(path, "2026-06")
    assert (figure["achieved_text"], figure["met"]) == ("99.98997", False)
    line = penalties(path, "2026-06")["lines"][0]
    assert line["achieved_text"] == "99.98997 %"
    assert line["trace"][0] == "Target 2026-06: achieved 99.98997 % against target ≥ 99.99 % → missed"
    assert line["trace"][1] == "99.98997 % < 99.99 % → band < 99.99 % → 10 % of charges"


@pytest.mark.parametrize(("seconds", "amount"), [(267, "0.00"), (268, "1000.00"), (26_784, "1000.00"),
                                                 (26_785, "3000.00")])
def test_a_thirty_one_day_month_has_its_own_edges(tmp_path, seconds, amount):
    path = _month_with_downtime(tmp_path, period="2026-07", start=datetime(2026, 7, 20, 3), seconds=seconds)
    assert credit(path, "2026-07") == amount
    assert exactly(attainment(path, "2026-07")["achieved"], 2_678_400 - seconds, 2_678_400)


@pytest.mark.parametrize(("seconds", "amount"), [(250, "0.00"), (251, "1000.00")])
def test_february_of_a_leap_year_has_twenty_nine_days(tmp_path, seconds, amount):
    path = _month_with_downtime(tmp_path, period="2024-02", start=datetime(2024, 2, 29, 12), seconds=seconds)
    assert credit(path, "2024-02") == amount
    assert exactly(attainment(path, "2024-02")["achieved"], 2_505_600 - seconds, 2_505_600)


@pytest.mark.parametrize(("period", "start", "total", "seconds", "amount"), [
    ("2026-03", datetime(2026, 3, 29, 3), 2_674_800, 267, "0.00"),  # 743 hours: 267.48 s allowed
    ("2026-03", datetime(2026, 3, 29, 3), 2_674_800, 268, "1000.00"),
    ("2026-03", datetime(2026, 3, 2, 9), 2_674_800, 26_748, "1000.00"),  # exactly 99.0 %
    ("2026-03", datetime(2026, 3, 2, 9), 2_674_800, 26_749, "3000.00"),
    ("2026-10", datetime(2026, 10, 25, 0, 30), 2_682_000, 268, "0.00"),  # 745 hours: 268.2 s allowed
    ("2026-10", datetime(2026, 10, 25, 0, 30), 2_682_000, 269, "1000.00"),
    ("2026-10", datetime(2026, 10, 5, 9), 2_682_000, 26_820, "1000.00"),
    ("2026-10", datetime(2026, 10, 5, 9), 2_682_000, 26_821, "3000.00"),
])
def test_a_month_with_a_clock_change_is_measured_in_its_real_hours(tmp_path, period, start, total, seconds, amount):
    path = _month_with_downtime(tmp_path, period=period, start=start, seconds=seconds, zone="Europe/London")
    assert credit(path, period) == amount
    figure = attainment(path, period)
    assert exactly(figure["achieved"], total - seconds, total)
    assert figure["counts"]["service_seconds"] == total


def test_the_instant_a_period_ends_belongs_to_the_next_period(tmp_path):
    """An outage from 23:55:40 on 30 June to 00:10 on 1 July: 260 s in June, 600 s in July (1 July 00:00 is July's)."""
    path = _month_with_downtime(tmp_path, period="2026-06..2026-07", start=datetime(2026, 6, 30, 23, 55, 40),
                                seconds=860)
    june, july = attainment(path, "2026-06"), attainment(path, "2026-07")
    assert june["counts"]["downtime_seconds"] == 260 and july["counts"]["downtime_seconds"] == 600
    assert (credit(path, "2026-06"), credit(path, "2026-07")) == ("1000.00", "1000.00")
    assert exactly(july["achieved"], 2_678_400 - 600, 2_678_400)


def test_an_outage_ending_on_the_period_start_is_not_in_it(tmp_path):
    end = datetime(2026, 7, 1, tzinfo=ZoneInfo("UTC"))
    path = _month_with_downtime(tmp_path, period="2026-06..2026-07",
                                start=(end - timedelta(seconds=300)).replace(tzinfo=None), seconds=300)
    assert attainment(path, "2026-07")["counts"]["downtime_seconds"] == 0
    assert attainment(path, "2026-06")["counts"]["downtime_seconds"] == 300


def test_a_target_cap_bites_before_the_period_cap_shares_what_is_left(tmp_path):
    """Two targets each owe 10 % (1,000.00). The cap on "Compute" (200.00) comes first, then the period cap of
    10 % (1,000.00) cuts the 1,200.00 left in proportion: 166.67 and 833.33. The other order would give 700.00."""
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.99", name="Compute",
                    rule={"source": "outages", "service": "Compute"}, charges=CHARGES,
                    others=(("Storage", "99.99", {"source": "outages", "service": "Storage"}),))
    bands = {"bands": [{"bound": "99.99", "percent": "10"}], "inclusive": False}
    clauses(path, {"kind": "tiered credit", "target": "Compute", "parameters": bands},
            {"kind": "tiered credit", "target": "Storage", "parameters": bands},
            {"kind": "cap", "parameters": {"scope": "period", "percent": "10"}},
            {"kind": "cap", "target": "Compute", "parameters": {"scope": "period", "amount": "200"}})
    rows = [["OUT-1", "Compute", "2026-06-10 10:00:00", "2026-06-10 11:00:00", "100"],
            ["OUT-2", "Storage", "2026-06-11 10:00:00", "2026-06-11 11:00:00", "100"]]
    import_file(path, "outages", csv_file(tmp_path / "outages.csv", OUTAGE_HEADER, rows), "--timezone", "UTC",
                "--period", "2026-06")
    doc = penalties(path, "2026-06")
    assert {ln["target"]: ln["amount"] for ln in doc["lines"]} == {"Compute": "166.67", "Storage": "833.33"}
    assert doc["total"] == "1000.00"
    assert [(c["cap"], c["before"], c["after"]) for c in doc["caps_applied"]] == [
        ("cap on Compute", "1000.00", "200.00"), ("period cap", "1200.00", "1000.00")]


def _samples(tmp_path, errors_at_noon: int, *, limit: str = "5") -> str:
    """Every 5-minute interval of July 2026 (31 × 288 = 8,928) with 100 requests and no errors, but one."""
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.99", charges=CHARGES,
                    rule={"source": "samples", "error_limit_percent": limit, "interval_seconds": 300})
    template(path)
    start = datetime(2026, 7, 1)
    rows = [[f"{start + timedelta(minutes=5 * i):%Y-%m-%d %H:%M}", "eu-west", 100,
             errors_at_noon if i == 144 else 0, 120] for i in range(8928)]
    header = ["Timestamp", "Probe", "Requests", "Errors", "Latency ms"]
    import_file(path, "samples", csv_file(tmp_path / "samples.csv", header, rows), "--timezone", "UTC")
    return path


@pytest.mark.parametrize(("errors", "bad", "amount"), [
    (4, 0, "0.00"),
    (5, 0, "0.00"),  # exactly at the 5 % limit: not above it, the interval is good
    (6, 1, "1000.00"),  # one bad interval in 8,928: 99.98879… % < 99.99 %
])
def test_a_sample_exactly_at_the_error_limit_is_good_and_one_bad_interval_in_a_month_costs_the_first_band(
        tmp_path, errors, bad, amount):
    path = _samples(tmp_path, errors)
    figure = attainment(path, "2026-07")
    assert (figure["counts"]["intervals"], figure["counts"]["intervals_bad"]) == (8928, bad)
    assert exactly(figure["achieved"], 8928 - bad, 8928)
    assert credit(path, "2026-07") == amount


def test_a_contract_that_rounds_before_comparing_says_so_in_the_trace(tmp_path):
    """"Rounded to two decimals before comparison": 99.989969… becomes 99.99, which is not below 99.99."""
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.99", charges=CHARGES,
                    rule={"source": "outages", "compare_places": 2})
    template(path)
    rows = [["OUT-1", "Compute", "2026-06-10 10:00:00", "2026-06-10 10:04:20", "100"]]
    import_file(path, "outages", csv_file(tmp_path / "outages.csv", OUTAGE_HEADER, rows), "--timezone", "UTC",
                "--period", "2026-06")
    figure = attainment(path, "2026-06")
    assert (figure["achieved"], figure["met"]) == ("99.99", True)
    assert exactly(figure["unrounded"], 2_592_000 - 260, 2_592_000)
    assert figure["rounding_rule"] == "rounded half-up to 2 decimals before comparison, as the contract says"
    doc = penalties(path, "2026-06")
    assert doc["total"] == "0.00"
    assert doc["lines"][0]["trace"][:2] == [
        "Target 2026-06: measured 99.98997 %, rounded half-up to 2 decimals before comparison, as the contract "
        "says → 99.99 %", "Target 2026-06: achieved 99.99 % against target ≥ 99.99 % → met"]


def test_a_period_still_running_has_a_figure_so_far_and_no_verdict_or_credit(tmp_path):
    """June imported whole (stated), judged on 16 June 00:00 UTC: the figure covers 1–16 June (15 days,
    1,296,000 s, 3,600 s down) with no verdict and nothing owed; judged after June, the same data is a
    verdict over 30 days and the first band."""
    path = _month_with_downtime(tmp_path, period="2026-06", start=datetime(2026, 6, 10, 10), seconds=3600)
    as_of = ("--as-of", "2026-06-16T00:00:00Z")
    running = cli_json("attainment", "-w", path, "--contract", REF, "--period", "2026-06", *as_of)[0]
    assert (running["completeness"], running["met"]) == ("in progress", None)
    assert exactly(running["achieved"], 1_296_000 - 3600, 1_296_000)
    assert "so far, up to 16 Jun 2026 00:00" in running["explanation"]
    owed = cli_json("penalties", "-w", path, "--contract", REF, "--period", "2026-06", *as_of)
    assert (owed["total"], owed["complete"], owed["incomplete"]) == ("0.00", False, ["Target"])
    for one_second in ("2026-06-30T23:59:59Z", "2026-07-01T00:00:00Z"):  # the instant June ends, and just before
        judged = cli_json("attainment", "-w", path, "--contract", REF, "--period", "2026-06", "--as-of", one_second)
        ended = one_second.startswith("2026-07")
        assert judged[0]["completeness"] == ("complete" if ended else "in progress")
        assert judged[0]["met"] is (False if ended else None)
    ended = cli_json("penalties", "-w", path, "--contract", REF, "--period", "2026-06", "--as-of", "2026-07-01")
    assert (ended["total"], ended["complete"], ended["incomplete"]) == ("1000.00", True, [])
    assert exactly(attainment(path, "2026-06")["achieved"], 2_592_000 - 3600, 2_592_000)


def test_a_running_period_whose_start_was_not_imported_has_no_figure(tmp_path):
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.99", rule={"source": "outages"})
    rows = [["OUT-1", "Compute", "2026-06-20 10:00:00", "2026-06-20 11:00:00", "100"]]  # covers 20 June only
    import_file(path, "outages", csv_file(tmp_path / "outages.csv", OUTAGE_HEADER, rows), "--timezone", "UTC")
    running = cli_json("attainment", "-w", path, "--contract", REF, "--period", "2026-06",
                       "--as-of", "2026-06-25T00:00:00Z")[0]
    assert (running["completeness"], running["achieved"], running["met"]) == ("in progress", None, None)
    assert "data covers 20 Jun 00:00 – 21 Jun 00:00 of 2026-06" in running["explanation"]
