"""A ServiceNow-shaped incident event log (36 columns, `?` for empty, day-first dates, `Awaiting …` states, some
incidents whose first row is already `Active`) keeps every incident: a null marker is an empty value, and an
optional field that cannot be read is left empty with one warning per column, never a rejected row."""

from __future__ import annotations

import csv
import random

from edge_setup import REF, attainment, cli_json, contract

from sltdesk.domain.register import MetricKind

COLUMNS = ["number", "incident_state", "sys_updated_on", "priority", "assigned_to", "assignment_group", "opened_at",
           "resolved_at", "closed_at", "short_description", "category", "subcategory", "caller_id", "location",
           "impact", "urgency", "contact_type", "reassignment_count", "reopen_count", "sys_mod_count",
           "made_sla", "knowledge", "u_symptom", "cmdb_ci", "problem_id", "rfc", "vendor", "caused_by",
           "close_code", "resolved_by", "closed_by", "opened_by", "sys_created_on", "sys_created_by",
           "sys_updated_by", "u_priority_confirmation"]


def _log(path, incidents: int = 40):
    rng = random.Random(5)
    rows = []
    for n in range(1, incidents + 1):
        states = ["New", "Active", "Awaiting User Info", "Active", "Resolved"]
        if n % 4 == 0:
            states = states[1:]  # the export starts after the ticket was taken up: first row already Active
        for k, state in enumerate(states):
            day = 2 + (n % 20)
            stamp = f"{day:02d}-06-2026 {9 + k:02d}:{rng.randrange(60):02d}:00"  # day-first, as the instance is set
            row = {c: "?" for c in COLUMNS}  # ServiceNow writes ? for every empty field
            row.update(number=f"INC{n:07d}", incident_state=state, sys_updated_on=stamp, priority="2 - High",
                       assignment_group=f"Group {50 + n % 7}", opened_at=f"{day:02d}-06-2026 09:00:00",
                       short_description=f"Printer {n} offline", impact="2 - Medium", urgency="2 - Medium",
                       reassignment_count=str(k), sys_mod_count=str(k + 1))
            if state == "Resolved":
                row["resolved_at"] = stamp
            rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_servicenow_event_log_keeps_every_incident(tmp_path):
    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90",
                    rule={"source": "tickets", "priority": "P2", "limit_minutes": "480",
                          "pause_states": ("Awaiting User Info",)})
    log = _log(tmp_path / "incident_log.csv")
    report = cli_json("import", "ticket-events", log, "-w", path, "--contract", REF, "--dayfirst",
                      "--timezone", "UTC", "--period", "2026-06", "--map", "ticket_id=number",
                      "--map", "state=incident_state", "--map", "changed_at=sys_updated_on")
    assert report["rows_rejected"] == 0, {k: v for k, v in report.items() if k != "findings"}
    codes = {f["code"] for f in report["findings"]}
    assert "null-marker" in codes
    figure = attainment(path, "2026-06")
    assert figure["counts"]["tickets"] == 40
