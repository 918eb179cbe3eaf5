"""Mapping that checks types: an exact header beats a synonym, a column whose values are not of the field's
type is not suggested for it, and `--map FIELD=` leaves a field unmapped."""

from __future__ import annotations

from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind
from tests.importfiles import write_csv

HEADER = "number,urgency,priority,opened_by,opened_at,assignment_team,resolved_at\n"
ROWS = "".join(f"INC{i},3 - Low,2 - High,Admin {i},2026-06-0{i} 09:00,Team 5{i},2026-06-0{i} 11:00\n"
               for i in range(1, 6))


def parse(tmp_path, *mapping):
    path = write_csv(tmp_path / "incidents.csv", HEADER + ROWS)
    return parse_file(path, ImportOptions(kind=RecordKind.TICKETS, timezone="UTC", mapping=tuple(mapping)))


def test_the_field_s_own_name_beats_a_synonym_and_a_group_is_never_a_time(tmp_path):
    result = parse(tmp_path)
    assert result.mapping["priority"] == "priority"  # not 'urgency', which comes first
    assert result.mapping["ticket_id"] == "number" and result.mapping["opened_at"] == "opened_at"
    assert "assigned_at" not in result.mapping  # 'assignment_team' holds 'Team 51', not times
    [note] = [f for f in result.findings if f.code == "type-check"]
    assert note.message == ("column 'assignment_team' was not used for assigned_at: most of its values are not "
                            "dates (e.g. 'Team 51')")
    assert result.rows_rejected == 0 and len(result.frame) == 5


def test_an_explicit_map_does_not_push_a_required_field_onto_a_column_of_the_wrong_type(tmp_path):
    result = parse(tmp_path, ("resolved_at", "opened_at"))
    # opened_at's own column is taken: 'opened_by' (names, not times) is refused, so the file says what is missing
    assert result.fatal and "No column found for opened_at" in result.findings[-1].message
    assert any(f.code == "type-check" and "'opened_by' was not used for opened_at" in f.message
               for f in result.findings)


def test_map_field_to_nothing_leaves_it_unmapped(tmp_path):
    result = parse(tmp_path, ("resolved_at", ""))
    assert "resolved_at" not in result.mapping and not result.fatal
    assert set(result.frame.columns) >= {"ticket_id", "opened_at"}


def test_the_import_says_why_each_column_was_chosen(tmp_path):
    from edge_setup import REF, cli_json, contract

    from sltdesk.domain.register import MetricKind

    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90",
                    rule={"source": "tickets", "limit_minutes": "240"})
    csv = write_csv(tmp_path / "incidents.csv", HEADER + ROWS)
    report = cli_json("import", "tickets", csv, "-w", path, "--contract", REF, "--dry-run",
                      "--map", "resolved_at=G")
    why = {c["field"]: (c["column"], c["why"]) for c in report["columns"]}
    assert why["priority"] == ("priority", "exact header")
    assert why["ticket_id"] == ("number", "synonym")
    assert why["resolved_at"] == ("resolved_at", "chosen by column letter (--map or the profile)")
    assert any(f["code"] == "type-check" and "assignment_team" in f["message"] for f in report["findings"])
