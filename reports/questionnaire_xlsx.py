"""The fillable questionnaire workbook: instructions, locked questions, answer dropdowns, evidence notes.

A very hidden sheet carries the template (name, version, fingerprint and its full content) so that
the import recognises the file and notices changed question ids or texts. Untrusted text never
becomes a formula (spreadsheet_safe).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sltdesk.domain.questionnaires import (
    FILLABLE_COLUMNS,
    FILLABLE_COMPLETED_CELL,
    FILLABLE_FORMAT,
    FILLABLE_HEADER_ROW,
    FILLABLE_HEADERS,
    FILLABLE_MARKER,
    FILLABLE_META_SHEET,
    FILLABLE_SHEET,
    Question,
    QuestionnaireTemplate,
    ScaleKind,
    spreadsheet_safe,
    template_to_plain,
)
from sltdesk.rules.scoring import LEVELS

WIDTHS = {"section": 22, "id": 10, "question": 60, "guidance": 40, "options": 48, "evidence_requested": 11,
          "criticality": 11, "answer": 22, "evidence": 40, "comment": 30, "key": 10}
HEADER_FILL = PatternFill("solid", fgColor="1F4E8C")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
JSON_CHUNK = 30_000  # a cell holds at most 32,767 characters
WRAP = Alignment(wrap_text=True, vertical="top")


def write_fillable(template: QuestionnaireTemplate, *, supplier: str, out: str | Path, today: date) -> Path:
    """Write the workbook a supplier fills in; returns its path."""
    book = Workbook()
    first = book.active
    if not isinstance(first, Worksheet):  # never: a new workbook opens on its one worksheet
        raise TypeError("a new workbook has no worksheet")
    _instructions(first, template, supplier, today)
    _questions(book.create_sheet(FILLABLE_SHEET), template, supplier)
    _meta(book.create_sheet(FILLABLE_META_SHEET), template, supplier)
    book.active = 1
    path = Path(out)
    book.save(path)
    return path


def _instructions(ws: Worksheet, template: QuestionnaireTemplate, supplier: str, today: date) -> None:
    ws.title = "Instructions"
    ws.column_dimensions["A"].width = 110
    lines = [
        (spreadsheet_safe(template.title), Font(size=16, bold=True)),
        (spreadsheet_safe(f"Supplier: {supplier}  ·  template {template.name} version {template.version}  ·  "
                          f"prepared {today.isoformat()}"), Font(italic=True)),
        ("", None),
        (spreadsheet_safe(template.description), None),
        ("", None),
        ("How to fill in this workbook", Font(bold=True, size=12)),
        (f"1. Open the sheet '{FILLABLE_SHEET}'. Question cells are locked; only the yellow cells can be edited.",
         None),
        ("2. Choose an answer for every question from the dropdown in the Answer column. Levels 0-5 describe "
         "today's practice; the Answer options column says what each level means for that question. "
         "Choose N/A only when the practice does not apply to the services you provide to us.", None),
        ("3. Where 'Evidence requested' says yes, name the document, report or export you can show in "
         "'Evidence notes'. Use 'Comment' for anything else we should know.", None),
        (f"4. Enter the date you completed the answers in cell {get_column_letter(FILLABLE_COMPLETED_CELL[1])}"
         f"{FILLABLE_COMPLETED_CELL[0]} of '{FILLABLE_SHEET}' and return the workbook as it is: "
         "do not rename sheets, insert rows or change the questions.", None),
        ("", None),
        ("How the answers are scored", Font(bold=True, size=12)),
        ("Each answer is rated 0..1 (level n = n/5, Yes = 1, No = 0). Unanswered and N/A questions are left out. "
         "A section's score is the weighted mean of its questions, the overall score the weighted mean of the "
         "sections. Critical questions answered No or at level 0-1 are listed as red flags.", None),
        ("Maturity level from the overall score: " + "; ".join(
            f"{level} {name} from {lowest * 100:.0f} %" for lowest, level, name in reversed(LEVELS)) + ".", None),
        ("", None),
        ("Sections", Font(bold=True, size=12)),
    ]
    lines += [(spreadsheet_safe(f"{s.title} (weight {s.weight}): {s.description}".rstrip(": ")), None)
              for s in template.sections]
    for row, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
    ws.protection.sheet = True


def _questions(ws: Worksheet, template: QuestionnaireTemplate, supplier: str) -> None:
    col = {name: i + 1 for i, name in enumerate(FILLABLE_COLUMNS)}
    ws.cell(row=1, column=1, value=spreadsheet_safe(f"{template.title} — {supplier}")).font = Font(size=14,
                                                                                                   bold=True)
    ws.cell(row=2, column=1, value=f"Template {template.name} version {template.version}; answer in the yellow "
            "cells (see the Instructions sheet).").font = Font(italic=True)
    row, column = FILLABLE_COMPLETED_CELL
    ws.cell(row=row, column=column - 1, value="Completed on (YYYY-MM-DD)").font = Font(bold=True)
    _editable(ws.cell(row=row, column=column))
    for i, header in enumerate(FILLABLE_HEADERS, start=1):
        cell = ws.cell(row=FILLABLE_HEADER_ROW, column=i, value=header)
        cell.font, cell.fill, cell.alignment = Font(bold=True, color="FFFFFF"), HEADER_FILL, WRAP
    sections = {s.code: s.title for s in template.sections}
    validations: dict[tuple[str, ...], DataValidation] = {}
    for index, q in enumerate(template.questions):
        r = FILLABLE_HEADER_ROW + 1 + index
        values = {"section": sections.get(q.section, q.section), "id": q.code, "question": q.text,
                  "guidance": q.guidance, "options": _options_text(q),
                  "evidence_requested": "yes" if q.evidence_requested else "",
                  "criticality": q.criticality.value, "key": q.code}
        for name, value in values.items():
            ws.cell(row=r, column=col[name], value=spreadsheet_safe(value)).alignment = WRAP
        for name in ("answer", "evidence", "comment"):
            _editable(ws.cell(row=r, column=col[name]))
        _validation(ws, validations, q).add(ws.cell(row=r, column=col["answer"]))
    for name, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(col[name])].width = width
    ws.column_dimensions[get_column_letter(col["key"])].hidden = True
    ws.freeze_panes = ws.cell(row=FILLABLE_HEADER_ROW + 1, column=col["question"] + 1).coordinate
    ws.protection.sheet = True
    ws.protection.formatRows = False  # suppliers may make rows taller to read long descriptors
    ws.protection.formatColumns = False


def _options_text(q: Question) -> str:
    if q.scale.kind is ScaleKind.MATURITY:
        return "\n".join(f"{o.label}: {o.description}" for o in q.scale.options if o.score is not None)
    return " / ".join(o.label for o in q.scale.options)


def _validation(ws: Worksheet, known: dict[tuple[str, ...], DataValidation], q: Question) -> DataValidation:
    labels = q.scale.labels
    if labels not in known:
        listed = ",".join(label.replace(",", " ").replace('"', "'") for label in labels)
        known[labels] = DataValidation(type="list", formula1=f'"{listed[:250]}"', allow_blank=True,
                                       showErrorMessage=True, errorTitle="Not an option",
                                       error="Choose one of the options in the list.",
                                       promptTitle="Answer", prompt="Choose from the list.")
        ws.add_data_validation(known[labels])
    return known[labels]


def _editable(cell) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL
    cell.alignment = WRAP


def _meta(ws: Worksheet, template: QuestionnaireTemplate, supplier: str) -> None:
    content = json.dumps(template_to_plain(template), ensure_ascii=False, sort_keys=True)
    rows = [("marker", FILLABLE_MARKER), ("format", FILLABLE_FORMAT), ("template", template.name),
            ("version", str(template.version)), ("fingerprint", template.fingerprint), ("supplier", supplier),
            ("sheet", FILLABLE_SHEET), ("header_row", str(FILLABLE_HEADER_ROW))]
    rows += [("template_json", content[i:i + JSON_CHUNK]) for i in range(0, len(content), JSON_CHUNK)]
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=key)
        cell = ws.cell(row=r, column=2, value=spreadsheet_safe(value) if key != "template_json" else value)
        cell.data_type = "s"  # JSON text is never a formula, even if it starts with "{" or "="
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
