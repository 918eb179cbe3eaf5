"""Mapping presets: each shipped preset is detected on its own fixture (a header row copied from a real export,
see tests/fixtures/presets/README.md) and on no other, and a ServiceNow-shaped event log goes in through its
preset with no mapping options, losing no incident."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from edge_setup import REF, attainment, cli, cli_json, contract

from importers.pipeline import parse_file
from importers.presets import PRESETS, detect, matches
from models.workspace import open_workspace
from sltdesk.domain.raw import ImportOptions, RecordKind
from sltdesk.domain.register import MetricKind
from sltdesk.services.imports import load_profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "presets"
OWN = {"servicenow-incidents": "servicenow_incidents.csv", "servicenow-event-log": "servicenow_event_log.csv",
       "uptimerobot-logs": "uptimerobot_logs.csv"}
EVENT_LOG = ["number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count", "made_sla",
             "caller_id", "opened_by", "opened_at", "sys_created_by", "sys_created_at", "sys_updated_by",
             "sys_updated_at", "contact_type", "location", "category", "subcategory", "u_symptom", "cmdb_ci", "impact",
             "urgency", "priority", "assignment_group", "assigned_to", "knowledge", "u_priority_confirmation",
             "notify", "problem_id", "rfc", "vendor", "caused_by", "closed_code", "resolved_by", "resolved_at",
             "closed_at"]


def _header(name: str) -> list[str]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_every_shipped_preset_has_a_fixture():
    assert {p.name for p in PRESETS} == set(OWN)


@pytest.mark.parametrize("fixture", sorted(OWN.values()))
def test_each_fixture_is_detected_as_its_own_preset_and_as_no_other(fixture):
    headers = _header(fixture)
    own = next(name for name, file in OWN.items() if file == fixture)
    assert {p.name for p in PRESETS if matches(p, headers)} == {own}
    assert detect(headers).name == own
    preset = next(p for p in PRESETS if p.name == own)
    parsed = parse_file(FIXTURES / fixture, ImportOptions(kind=preset.kind))
    assert (parsed.preset, parsed.fatal, parsed.rows_rejected) == (own, False, 0)
    assert parsed.preset_why == "detected: the header row holds its columns " + ", ".join(
        f"'{h.split('|')[0]}'" for h in preset.fingerprint)


def test_each_fixture_header_row_is_the_one_its_readme_names_with_page_and_date():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for preset in PRESETS:
        first_line = (FIXTURES / OWN[preset.name]).read_text(encoding="utf-8").splitlines()[0]
        section = readme.split(f"`{OWN[preset.name]}`", 1)[1].split("\n## ", 1)[0]
        assert f"\n{first_line}\n" in section, preset.name
        assert preset.source in section and "Retrieved: 2026-12-06" in section, preset.name


def _servicenow_log(path: Path, incidents: int = 40) -> Path:
    """An event log in the shape of ServiceNow's incident audit export: 36 columns, `?` for empty, day-first dates
    without leading zeros (every day 1–12, so only the preset can say the order), '2 - High' priorities, and every
    fourth incident whose first row is already Active."""
    rows = []
    for n in range(1, incidents + 1):
        day = 1 + n % 12
        states = ["New", "Active", "Awaiting User Info", "Active", "Resolved", "Closed"][(n % 4 == 0):]
        for k, state in enumerate(states):
            row = dict.fromkeys(EVENT_LOG, "?")
            row.update(number=f"INC{n:07d}", incident_state=state, active="false" if state == "Closed" else "true",
                       sys_mod_count=str(k), priority="2 - High", impact="2 - Medium", urgency="2 - Medium",
                       opened_at=f"{day}/6/2026 08:00", sys_updated_at=f"{day}/6/2026 {9 + k:02d}:{n % 60:02d}",
                       category=f"Category {n % 5}", assignment_group=f"Group {50 + n % 7}",
                       resolved_at=f"{day}/6/2026 {9 + len(states) - 2:02d}:{n % 60:02d}")
            rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=EVENT_LOG)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _workspace(tmp_path: Path) -> Path:
    return contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90",
                    rule={"source": "tickets", "priority": "P2", "limit_minutes": "480",
                          "pause_states": ("Awaiting User Info",)})


def test_a_servicenow_event_log_imports_through_its_preset_with_no_mapping_options(tmp_path):
    path = _workspace(tmp_path)
    log = _servicenow_log(tmp_path / "incident_event_log.csv")
    report = cli_json("import", "tickets", log, "-w", path, "--contract", REF, "--timezone", "UTC",
                      "--period", "2026-06")
    assert report["preset"]["name"] == "servicenow-event-log"
    assert report["kind"] == "ticket-events" and report["rows_rejected"] == 0
    assert report["rows_accepted"] == 30 * 6 + 10 * 5  # every update of every incident
    columns = {c["field"]: (c["column"], c["why"]) for c in report["columns"]}
    assert columns["state"] == ("incident_state", "preset servicenow-event-log")
    assert columns["changed_at"] == ("sys_updated_at", "preset servicenow-event-log")
    figure = attainment(path, "2026-06")
    assert figure["counts"]["tickets"] == 40  # day-first: 3/6/2026 is 3 June, so every incident is in June


def test_without_the_preset_the_same_log_needs_the_date_order_given(tmp_path):
    path = _workspace(tmp_path)
    log = _servicenow_log(tmp_path / "incident_event_log.csv")
    code, _out, err = cli("import", "ticket-events", log, "-w", path, "--contract", REF, "--timezone", "UTC",
                          "--preset", "none")
    assert code == 1
    assert "every text date could be day-first or month-first" in err


def test_a_profile_saved_after_a_preset_starts_the_next_file_from_it(tmp_path):
    """The second export lacks sys_mod_count, so its header is no fingerprint; the supplier's profile remembers
    the preset, and the file goes in without options."""
    path = _workspace(tmp_path)
    cli_json("import", "tickets", _servicenow_log(tmp_path / "may.csv", incidents=8), "-w", path, "--contract", REF,
             "--timezone", "UTC", "--profile", "desk")
    ws = open_workspace(path)
    try:
        saved = load_profile(ws, supplier_id=1, kind=RecordKind.TICKETS, name="desk")
    finally:
        ws.close()
    assert saved["preset"] == "servicenow-event-log"
    second = tmp_path / "june.csv"
    with _servicenow_log(tmp_path / "full.csv", incidents=12).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)]
    for row in rows:
        row["number"] = row["number"].replace("INC", "INX")
        del row["sys_mod_count"]
    with second.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in EVENT_LOG if c != "sys_mod_count"])
        writer.writeheader()
        writer.writerows(rows)
    code, _out, err = cli("import", "tickets", second, "-w", path, "--contract", REF, "--timezone", "UTC",
                          "--profile", "other", "--dry-run")
    assert code == 1 and "event log" in err  # a new profile: no preset, and the file is refused as tickets
    report = cli_json("import", "tickets", second, "-w", path, "--contract", REF, "--timezone", "UTC",
                      "--profile", "desk")
    assert report["preset"] == {"name": "servicenow-event-log",
                                "why": "chosen by name; the header row lacks its columns 'sys_mod_count'"}
    assert (report["kind"], report["rows_rejected"], report["stored"]) == ("ticket-events", 0, 12)


def test_uptimerobot_down_events_become_outages_ending_after_their_duration():
    parsed = parse_file(FIXTURES / "uptimerobot_logs.csv", ImportOptions(kind=RecordKind.OUTAGES))
    frame = parsed.frame
    assert frame["source_row"].tolist() == [4, 6, 9]  # the Down rows, numbered as in the file
    assert frame["service"].astype(str).tolist() == ["Checkout API", "Checkout API", "Landing page"]
    assert ((frame["end"] - frame["start"]) // 60).tolist() == [26, 65, 12]
    assert frame["start"].iloc[0] == 1773108840  # 2026-03-10 02:14:00 UTC
    left_out = next(f for f in parsed.findings if f.code == "rows-left-out")
    assert left_out.message.startswith("6 rows are no records") and "5 'Up', 1 'Started'" in left_out.message


def test_the_servicenow_list_preset_reads_priorities_and_numeric_states(tmp_path):
    parsed = parse_file(FIXTURES / "servicenow_incidents.csv", ImportOptions(kind=RecordKind.TICKETS))
    assert parsed.frame["priority"].astype(str).tolist() == ["P3", "P2", "P1", "P4", "P3", "P2"]
    assert "assigned_at" not in parsed.mapping  # the preset knows assignment_group is no time: nothing turned down
    assert not [f for f in parsed.findings if f.code == "type-check"]
    raw_values = tmp_path / "values.csv"
    raw_values.write_text("number,opened_at,short_description,caller_id,priority,state,sys_updated_on\n"
                          "INC1,2026-03-02 08:00:00,Mail,Abel,3,6,2026-03-02 09:00:00\n"
                          "INC2,2026-03-02 09:00:00,VPN,Fred,1,2,2026-03-02 10:00:00\n", encoding="utf-8")
    parsed = parse_file(raw_values, ImportOptions(kind=RecordKind.TICKETS))
    assert parsed.frame["status"].astype(str).tolist() == ["Resolved", "In Progress"]
    assert parsed.frame["priority"].astype(str).tolist() == ["P3", "P1"]


def test_a_column_the_user_maps_wins_over_the_preset():
    parsed = parse_file(FIXTURES / "servicenow_incidents.csv", ImportOptions(
        kind=RecordKind.TICKETS, mapping=(("category", "assignment_group"),)))
    assert parsed.mapping["category"] == "assignment_group"
    assert parsed.mapping_why["category"] == "chosen by header (--map or the profile)"
    assert parsed.mapping_why["priority"] == "preset servicenow-incidents"


def test_a_preset_for_other_records_or_an_unknown_name_is_refused_with_a_sentence(tmp_path):
    path = _workspace(tmp_path)
    code, _out, err = cli("import", "outages", FIXTURES / "servicenow_event_log.csv", "-w", path, "--contract", REF,
                          "--preset", "servicenow-event-log", "--dry-run")
    assert code == 1
    assert "The preset servicenow-event-log reads ticket-events, not outages" in err
    code, _out, err = cli("import", "tickets", FIXTURES / "servicenow_event_log.csv", "-w", path, "--contract", REF,
                          "--preset", "zendesk")
    assert code == 2 and "There is no preset 'zendesk'; the presets are: servicenow-incidents" in err


def test_presets_list_names_each_preset_with_its_fingerprint():
    code, out, _err = cli("presets", "list")
    assert code == 0
    for preset in PRESETS:
        assert f"{preset.name}" in out and ", ".join(preset.fingerprint).replace("|", " or ") in out
    assert "needs a real export" in out and "Zendesk tickets" in out
    code, out, _err = cli("presets", "list", "--json")
    document = json.loads(out)  # one JSON document
    assert [(p["name"], p["fingerprint"]) for p in document["presets"]] == [
        ("servicenow-incidents", ["number", "short_description", "caller_id", "state", "sys_updated_on"]),
        ("servicenow-event-log", ["number", "incident_state", "sys_updated_at|sys_updated_on", "sys_mod_count"]),
        ("uptimerobot-logs", ["Event", "Monitor", "Date-Time", "Reason", "Duration (in mins.)"])]
    assert document["presets"][1]["null_markers"] == ["?"] and document["presets"][1]["dayfirst"] is True


def test_an_instance_export_naming_the_update_time_sys_updated_on_is_the_same_event_log(tmp_path):
    """The 36-column log of tests/adapters/test_servicenow_log.py (the instance's own field names), which needed
    three --map options and --dayfirst, goes in with none."""
    from test_servicenow_log import _log

    path = _workspace(tmp_path)
    report = cli_json("import", "ticket-events", _log(tmp_path / "incident_log.csv"), "-w", path, "--contract", REF,
                      "--timezone", "UTC", "--period", "2026-06")
    assert report["preset"]["name"] == "servicenow-event-log" and "'sys_updated_on'" in report["preset"]["why"]
    assert report["rows_rejected"] == 0
    assert attainment(path, "2026-06")["counts"]["tickets"] == 40
