"""The import wizard's mapping page says why each field has its column, and which columns were turned down."""

from __future__ import annotations

from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind
from tests.importfiles import write_csv
from ui.import_pages import why_text


def test_each_field_says_why_it_has_its_column(tmp_path):
    text = ("number,urgency,priority,opened_at,assignment_team,resolved_at\n"
            + "".join(f"INC{i},3,2,2026-06-0{i} 09:00,Team {i},2026-06-0{i} 11:00\n" for i in range(1, 6)))
    parsed = parse_file(write_csv(tmp_path / "t.csv", text), ImportOptions(kind=RecordKind.TICKETS))
    assert why_text(parsed, "priority") == "Column 'priority': exact header."
    assert why_text(parsed, "ticket_id") == "Column 'number': synonym."
    assert why_text(parsed, "assigned_at") == ("Column 'assignment_team' was not used for assigned_at: most of its "
                                               "values are not dates (e.g. 'Team 1').")
