"""The improvement backlog as files a ticketing tool imports: Jira's CSV importer, a ServiceNow import set
transformed into the `task` table, or a plain CSV with every field.

- Jira: "Import data from a CSV file" (Atlassian,
  https://support.atlassian.com/jira-cloud-administration/docs/import-data-from-a-csv-file/ ; for users,
  https://support.atlassian.com/jira-software-cloud/docs/create-issues-using-the-csv-importer/). One header row,
  comma-separated, UTF-8; each column is mapped to a Jira field in the importer's wizard, so the headers are the
  fields' own names. Dates are written yyyy-MM-dd (give that date format in the wizard); labels cannot hold
  spaces, so each cell's labels are separated by spaces.
- ServiceNow: a CSV data source loads an import set table whose columns are generated from the header row, and a
  transform map copies them to the target table ("Import sets key concepts",
  https://www.servicenow.com/docs/csh?topicname=c_ImportSetsKeyConcepts.html ; "Transform maps",
  https://www.servicenow.com/docs/bundle/xanadu-integrate-applications/page/script/server-scripting/concept/c_CreatingNewTransformMaps.html).
  The headers are the element names of the Task [task] table ("Working with the Task table",
  https://servicenow-prod.fluidtopics.net/r/yokohama/platform-administration/table-administration-and-data-management/c_TaskTable.html),
  so the transform map maps them one to one; priority is the task's 1 (Critical) – 5 (Planning) value.

Text is data, as in every other export: a cell starting with = + - @ (or tab, CR, LF, ') gets a leading ' so a
spreadsheet never evaluates it (reports.pack_xlsx.safe_text).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from reports.pack_xlsx import safe_text
from sltdesk.domain.reviews import ImprovementAction
from sltdesk.domain.serial import to_plain
from sltdesk.services.action_export import BacklogLine

JIRA_HEADERS = ("Summary", "Description", "Issue Type", "Priority", "Due date", "Labels")
SERVICENOW_HEADERS = ("short_description", "description", "priority", "due_date", "assignment_group")
# csv: what the action is known by and where it belongs, then every field of the record (a field added later too)
CSV_HEADERS = ("ref", "supplier", "contract", "target", "overdue", "priority", "automatic",
               *(f.name for f in fields(ImprovementAction)))
JIRA_PRIORITY = {1: "Highest", 2: "High", 3: "Medium", 4: "Low"}
SUMMARY_LIMIT = 255  # Jira's Summary field
SHORT_LIMIT = 160  # the task table's short_description
FORMATS = ("jira", "servicenow", "csv")


def write_backlog(path: str | Path, lines: Sequence[BacklogLine], *, form: str, assignment_group: str = "") -> Path:
    """Write the lines in one of FORMATS: UTF-8 (csv: with a BOM, so Excel reads the accents; the importers get
    plain UTF-8, whose first header would otherwise begin with the BOM)."""
    if form not in FORMATS:
        raise ValueError(f"the format is one of {', '.join(FORMATS)}")
    headers, rows = {"jira": (JIRA_HEADERS, [_jira(line) for line in lines]),
                     "servicenow": (SERVICENOW_HEADERS, [_servicenow(line, assignment_group) for line in lines]),
                     "csv": (CSV_HEADERS, [_every_field(line) for line in lines])}[form]
    target = Path(path)
    with target.open("w", encoding="utf-8-sig" if form == "csv" else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([[safe_text(cell) for cell in row] for row in rows])
    return target


def summary(line: BacklogLine, limit: int) -> str:
    text = " ".join(f"{line.action.ref} {line.supplier}: {line.action.text}".split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def description(line: BacklogLine) -> str:
    a = line.action
    parts = [a.text, "", f"Supplier: {line.supplier}"]
    if line.target:
        parts.append(f"Target: {line.contract} {line.target}")
    if a.breaches:
        parts.append(f"Breaches: {', '.join(a.breaches)} (opened automatically on repeated breaches)")
    elif a.breach_period:
        parts.append(f"Breach: {a.breach_period}")
    parts += [f"Owner: {a.owner or 'not named'}", f"Status: {a.status.value}" + (" (overdue)" if line.overdue else "")]
    if a.note:
        parts.append(f"Note: {a.note}")
    parts.append(f"SLT Desk action {a.ref}")
    return "\n".join(parts)


def labels(line: BacklogLine) -> str:
    found = ["sltdesk", _label(line.supplier), _label(line.contract)] + (["repeated-breaches"]
                                                                        if line.action.automatic else [])
    return " ".join(dict.fromkeys(label for label in found if label))


def _label(text: str) -> str:
    return "-".join(text.split())


def _jira(line: BacklogLine) -> list[str]:
    due = line.action.due_on.isoformat() if line.action.due_on else ""
    return [summary(line, SUMMARY_LIMIT), description(line), "Task", JIRA_PRIORITY[line.priority], due, labels(line)]


def _servicenow(line: BacklogLine, group: str) -> list[str]:
    due = line.action.due_on.isoformat() if line.action.due_on else ""
    return [summary(line, SHORT_LIMIT), description(line), str(line.priority), due, group or line.action.owner]


def _every_field(line: BacklogLine) -> list[str]:
    plain = to_plain(line.action)
    a = line.action
    values = {"ref": a.ref, "supplier": line.supplier, "contract": line.contract, "target": line.target,
              "overdue": "yes" if line.overdue else "no", "priority": str(line.priority),
              "automatic": "yes" if a.automatic else "no"}
    return [values[h] if h in values else _plain_text(plain.get(h)) for h in CSV_HEADERS]


def _plain_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)
