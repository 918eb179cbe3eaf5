"""`sltdesk rules list|export|load`: measurement rules as data, all or nothing, each change audited, and a
changed rule changes the figure."""

from __future__ import annotations

import json

from edge_setup import OFFICE, REF, attainment, cli, cli_json, contract, csv_file, import_file

from models.workspace import open_workspace
from sltdesk.domain.register import MetricKind
from sltdesk.services.register import list_records

TICKETS = ["Ticket", "Priority", "Opened", "Resolved"]


def _workspace(tmp_path):
    """Mon 1 June 2026, 08:00–18:00 office hours: T-1 opened Friday 5 June 17:00, resolved Monday 8 June
    09:00 — 16 calendar hours, 2 business hours (17–18 Friday, 8–9 Monday)."""
    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90", hours=OFFICE,
                    rule={"source": "tickets", "priority": "P1", "limit_minutes": "240"}, name="P1 resolution")
    rows = [["T-1", "P1", "2026-06-05 17:00", "2026-06-08 09:00"]]
    import_file(path, "tickets", csv_file(tmp_path / "t.csv", TICKETS, rows), "--period", "2026-06")
    return path


def _audit(path, action: str) -> list[dict]:
    ws = open_workspace(path, user="alice")
    try:
        with ws.unit_of_work() as uow:
            return [e.after or e.before for e in uow.audit.entries_of("measurement_rule", action)]
    finally:
        ws.close()


def test_export_then_load_changes_nothing_and_a_changed_rule_changes_the_figure(tmp_path):
    path = _workspace(tmp_path)
    assert attainment(path, "2026-06")["met"] is False  # 16 h on the calendar clock: over 4 h
    out = tmp_path / "rules.json"
    assert cli("rules", "export", "-w", path, "--contract", REF, "--out", out)[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    [rule] = doc["rules"]
    assert (rule["target"], rule["source"], rule["limit_minutes"], rule["business_clock"]) == (
        "P1 resolution", "tickets", "240", False)
    assert cli("rules", "load", "-w", path, "--contract", REF, out)[0] == 0
    assert _audit(path, "update") == []  # the same rule: nothing to change, nothing audited

    rule["business_clock"] = True
    rule["pause_states"] = ["Awaiting Customer"]
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, text, err = cli("rules", "load", "-w", path, "--contract", REF, out)
    assert code == 0 and "1 rules of EDGE-1 set" in text, err
    figure = attainment(path, "2026-06")
    assert figure["met"] is True and "business minutes" in figure["explanation"]  # 2 business hours
    [entry] = _audit(path, "update")
    assert entry["target"] == "P1 resolution" and entry["business_clock"] is True
    listed = cli_json("rules", "list", "-w", path, "--contract", REF)
    assert listed["targets"][0]["rule"]["pause_states"] == ["Awaiting Customer"]


def test_every_problem_names_the_target_and_the_field_and_nothing_is_stored(tmp_path):
    path = _workspace(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [
        {"target": "P1 resolution", "source": "tickets", "limit_minutes": "240", "percentile": 101,
         "stop": "fixed", "business_clock": True},
        {"target": "Nobody", "source": "tickets"}]}), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, bad)
    assert code != 0
    assert "EDGE-1 P1 resolution: stop is one of responded, resolved, closed (got 'fixed')." in err
    assert "(2 more problems)" in err  # percentile, and the unknown target
    assert attainment(path, "2026-06")["met"] is False  # the old rule still holds: nothing was stored
    assert _audit(path, "update") == []


def test_a_ticket_rule_without_a_time_limit_is_refused(tmp_path):
    path = _workspace(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [{"target": "P1 resolution", "source": "tickets"}]}), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, bad)
    assert code != 0 and "EDGE-1 P1 resolution: limit_minutes is missing" in err


def test_the_preview_gives_the_latest_complete_month_under_the_edited_rule_beside_the_stored_one(tmp_path):
    from dataclasses import replace
    from datetime import UTC, datetime

    from sltdesk.domain.measurement import MeasurementRule
    from sltdesk.services.measurement_rules import preview_rule

    path = _workspace(tmp_path)
    ws = open_workspace(path, user="alice")
    try:
        [rule] = list_records(ws, MeasurementRule)
        july = int(datetime(2026, 7, 15, tzinfo=UTC).timestamp())
        assert preview_rule(ws, rule.target_id, rule, as_of=july) == "2026-06 under this rule: 0.0000 % — missed."
        office = replace(rule, business_clock=True)
        assert preview_rule(ws, rule.target_id, office, as_of=july) == (
            "2026-06 under this rule: 100.0000 % — met (the stored rule gives 0.0000 %).")
        june = int(datetime(2026, 6, 20, tzinfo=UTC).timestamp())
        assert preview_rule(ws, rule.target_id, office, as_of=june).startswith("No complete month in the last 24")
    finally:
        ws.close()
