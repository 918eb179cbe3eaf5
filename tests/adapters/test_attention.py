"""`sltdesk attention` on the demo: what needs attention on its reference date, each count made here its own way."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta

import pytest

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import ContingencyPlan, Contract, ContractTarget
from sltdesk.services.demo import DATA_END, REFERENCE_DATE
from sltdesk.services.demo_raw import months

pytestmark = pytest.mark.slow
AS_OF = date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(raw_demo_file, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("attention") / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    return str(path)


def run(capsys, *args: str) -> tuple[str, str]:
    assert main(list(args)) == 0
    out, err = capsys.readouterr()
    return out, err


@pytest.fixture(scope="module")
def listed(demo) -> dict:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["attention", "-w", demo, "--as-of", AS_OF.isoformat(), "--json"]) == 0
    return json.loads(out.getvalue())


def of_kind(listed: dict, kind: str) -> list[dict]:
    return [i for i in listed["items"] if i["kind"] == kind]


def test_the_demo_reference_date_is_the_end_of_its_data_plus_five_weeks():
    assert DATA_END == (months()[-1] + timedelta(days=31)).date().replace(day=1)  # the day after its last month
    assert REFERENCE_DATE == DATA_END + timedelta(days=35) == AS_OF


def test_the_passed_notice_deadlines_are_listed_in_red_with_the_tacit_wording(listed):
    passed = {i["contract"]: i for i in of_kind(listed, "notice deadline") if i["days_left"] < 0}
    assert {ref: i["days_left"] for ref, i in passed.items()} == {"SP-2023-021": -6, "ST-2024-003": -5,
                                                                 "IV-2022-005": -4}
    assert all(i["red"] and i["urgency"] == "overdue" and i["page"] == "contracts" for i in passed.values())
    assert passed["ST-2024-003"]["sentence"] == ("ST-2024-003: renews by itself on 01 Apr 2027 unless notice is "
                                                 "given by 01 Dec 2026 (passed 5 days ago).")
    assert not [i for i in of_kind(listed, "contract end") if i["contract"] in passed]  # tacit: it does not end


def test_the_credits_to_claim_are_listed_with_their_deadline_and_days_left(listed):
    claims = [(i["contract"], i["period"], i["amount"], i["currency"], i["due"], i["days_left"])
              for i in of_kind(listed, "credit to claim")]
    assert claims == [("IV-2022-005", "2026-10", "1562.00", "GBP", "2026-12-31", 25)]
    lapsed = [(i["contract"], i["period"], i["amount"], i["days_left"])
              for i in of_kind(listed, "claim deadline passed")]
    # NW-2025-014 2026-08: SL1 met 24x7 (99.9871 %) but missed in core hours (99.9583 % < 99.99 %): its allocation,
    # 40 % of the at-risk 12 % of GBP 48,000 = GBP 2,304.00, was due by 30 Oct (issue #28's core-hours tier)
    assert lapsed == [("HP-2024-009", "2026-07", "1485.20", -38), ("NW-2025-014", "2026-08", "2304.00", -37)]
    [disputed] = of_kind(listed, "disputed credit note")
    assert (disputed["contract"], disputed["period"]) == ("NW-2025-014", "2026-09")


def test_overdue_actions_and_contingency_tests_are_as_many_as_the_backlog_and_the_plans_say(demo, listed, capsys):
    out, _ = run(capsys, "list", "suppliers", "-w", demo, "--json")
    overdue = set()
    for supplier in json.loads(out):
        out, _ = run(capsys, "actions", "list", "-w", demo, "--supplier", supplier["name"], "--json",
                     "--as-of", AS_OF.isoformat())
        overdue |= {(supplier["name"], a["action"]) for a in json.loads(out) if a["overdue"]}
    ws = open_workspace(demo)
    with ws.unit_of_work() as uow:
        plans = uow.records.list(ContingencyPlan)
    ws.close()
    late_plans = {p.id for p in plans if p.last_tested is None
                  or p.last_tested + timedelta(days=p.test_interval_days) < AS_OF}
    actions = of_kind(listed, "overdue action")
    assert len(actions) == len(overdue) == 7
    assert {(i["supplier"], f"A-{i['record_id']}") for i in actions} == overdue
    assert {i["record_id"] for i in of_kind(listed, "contingency test overdue")} == late_plans
    assert len(late_plans) == 5


def test_the_incomplete_periods_are_last_month_of_every_measured_contract(demo, listed):
    ws = open_workspace(demo)
    with ws.unit_of_work() as uow:
        measured = {r.target_id for r in uow.records.list(MeasurementRule)}
        refs = {c.id: c.ref for c in uow.records.list(Contract)}
        with_rules = {refs[t.contract_id] for t in uow.records.list(ContractTarget) if t.id in measured}
    ws.close()
    incomplete = of_kind(listed, "incomplete period")
    assert {(i["contract"], i["period"]) for i in incomplete} == {(ref, "2026-11") for ref in with_rules}
    assert len(incomplete) == 7 and all(i["no_data"] and "no data imported for 2026-11 (last month)"
                                        in i["sentence"] for i in incomplete)


def test_missed_targets_early_warnings_and_root_causes_open_the_verification_page(listed):
    missed = [(i["contract"], i["period"]) for i in of_kind(listed, "target missed")]
    assert missed == [("IV-2022-005", "2026-10")]  # November has no data yet: October is the latest verdict
    assert all(i["page"] == "verification" and i["target_id"] for kind in ("target missed", "early warning",
                                                                           "root cause due")
               for i in of_kind(listed, kind))
    assert ("ST-2024-003", "2025-07") in {(i["contract"], i["period"]) for i in of_kind(listed, "root cause due")}


def test_the_list_is_sorted_by_urgency_and_amounts_are_strings(listed):
    ranks = ["overdue", "due soon", "to do", "watch"]
    order = [ranks.index(i["urgency"]) for i in listed["items"]]
    assert order == sorted(order)
    assert all(isinstance(i["amount"], str) for i in listed["items"] if i["amount"] is not None)
    assert listed["heat_map"]["months"][-1] == "2026-11" and len(listed["heat_map"]["months"]) == 12
    rows = {r["supplier"]: r["cells"] for r in listed["heat_map"]["suppliers"]}
    assert rows["Ironvault Data Centres"][-2:] == ["missed", "incomplete"]


def test_the_demo_is_read_as_of_its_reference_date_unless_told_otherwise(demo, capsys):
    out, err = run(capsys, "attention", "-w", demo, "--json")
    document = json.loads(out)
    assert (document["as_of"], document["reference_date"]) == ("2026-12-06", True)
    out, err = run(capsys, "attention", "-w", demo)
    assert "read as of its reference date 2026-12-06" in err and out.startswith("As of 2026-12-06")
    out, _ = run(capsys, "attention", "-w", demo, "--as-of", "2026-11-20", "--json")
    later = json.loads(out)
    assert (later["as_of"], later["reference_date"]) == ("2026-11-20", False)
    assert [i["days_left"] for i in of_kind(later, "notice deadline") if i["contract"] == "ST-2024-003"] == [11]


def test_an_ordinary_workspace_is_read_as_of_today(tmp_path, capsys):
    path = str(tmp_path / "mine.sltdesk")
    run(capsys, "new", path)
    document = json.loads(run(capsys, "attention", "-w", path, "--json")[0])
    assert document["reference_date"] is False and document["items"] == []
    assert document["as_of"] == datetime.now().astimezone().date().isoformat()
