"""`sltdesk actions export`: the demo's backlog read back from the Jira, ServiceNow and plain CSV files."""

from __future__ import annotations

import csv
import shutil
from datetime import date

import pytest

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.services.reviews import add_action, find_review

pytestmark = pytest.mark.slow
AS_OF = "2026-12-06"  # the demo's reference date


@pytest.fixture
def demo(raw_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    ws = open_workspace(path)
    try:  # a supplier's text that a spreadsheet would run as a formula
        review = find_review(ws, "PayFlow", "2026-09")
        add_action(ws, review.id, '=HYPERLINK("http://evil.example","Click")', owner="@ops", due_on=date(2027, 1, 15))
    finally:
        ws.close()
    return str(path)


def export(demo: str, tmp_path, form: str, *extra: str) -> tuple[list[str], list[dict[str, str]]]:
    out = tmp_path / f"backlog-{form}.csv"
    assert main(["actions", "export", "-w", demo, "--format", form, "--out", str(out), "--as-of", AS_OF,
                 *extra]) == 0
    with out.open(encoding="utf-8-sig" if form == "csv" else "utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_jira_file_has_exactly_the_importer_columns_and_reads_back(demo, tmp_path, capsys):
    headers, rows = export(demo, tmp_path, "jira")
    assert headers == ["Summary", "Description", "Issue Type", "Priority", "Due date", "Labels"]
    refs = sorted(row["Summary"].split(" ", 1)[0] for row in rows)
    ws = open_workspace(demo)
    try:
        from sltdesk.domain.reviews import ImprovementAction

        with ws.unit_of_work() as uow:
            backlog = [a for a in uow.records.list(ImprovementAction) if a.status.is_open]
    finally:
        ws.close()
    assert refs == sorted(a.ref for a in backlog) and len(rows) == len(backlog) == 11  # 7 raised, 3 automatic, 1 here
    auto = next(r for r in rows if "HP-2024-009 P1 response: missed 3 times" in r["Summary"])
    assert auto["Priority"] == "High" and auto["Issue Type"] == "Task" and auto["Due date"] == ""
    assert auto["Labels"] == "sltdesk HelpPoint-Services HP-2024-009 repeated-breaches"
    assert "Breaches: 2025-09, 2025-10, 2025-11 (opened automatically on repeated breaches)" in auto["Description"]
    evil = next(r for r in rows if "HYPERLINK" in r["Summary"])
    assert evil["Summary"].startswith("A-15 PayFlow: =HYPERLINK")  # not at the cell's start: stays text
    assert evil["Description"].startswith("'=HYPERLINK") and evil["Due date"] == "2027-01-15"
    assert evil["Priority"] == "Low"  # not overdue, no target
    overdue = next(r for r in rows if r["Summary"].startswith("A-5 "))
    assert overdue["Priority"] == "High" and "Status: open (overdue)" in overdue["Description"]
    assert all(len(r["Summary"]) <= 255 and not r["Summary"].startswith(("=", "+", "-", "@")) for r in rows)


def test_servicenow_file_has_exactly_the_task_columns_and_reads_back(demo, tmp_path, capsys):
    headers, rows = export(demo, tmp_path, "servicenow", "--supplier", "PayFlow")
    assert headers == ["short_description", "description", "priority", "due_date", "assignment_group"]
    assert {r["short_description"].split(":")[0].split(" ", 1)[1] for r in rows} == {"PayFlow"}
    evil = next(r for r in rows if "HYPERLINK" in r["short_description"])
    assert evil["assignment_group"] == "'@ops" and evil["priority"] == "4" and evil["due_date"] == "2027-01-15"
    assert all(len(r["short_description"]) <= 160 and r["priority"] in {"2", "3", "4"} for r in rows)
    headers, rows = export(demo, tmp_path, "servicenow", "--supplier", "PayFlow", "--assignment-group",
                           "Vendor management")
    assert {r["assignment_group"] for r in rows} == {"Vendor management"}


def test_plain_csv_has_every_field_of_an_action(demo, tmp_path, capsys):
    headers, rows = export(demo, tmp_path, "csv", "--all")
    from dataclasses import fields

    from sltdesk.domain.reviews import ImprovementAction

    assert {f.name for f in fields(ImprovementAction)} <= set(headers)
    auto = next(r for r in rows if r["automatic"] == "yes" and r["contract"] == "HP-2024-009")
    assert auto["breaches"] == "2025-09 2025-10 2025-11" and auto["auto_key"] == auto["target_id"] + ":2025-09"
    assert {r["status"] for r in rows} >= {"open", "done"}
