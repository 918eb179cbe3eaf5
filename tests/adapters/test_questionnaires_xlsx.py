"""The fillable questionnaire workbook: export, fill programmatically, import back."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from importers.questionnaires import read_questionnaire
from models.workspace import open_workspace
from reports.questionnaire_xlsx import write_fillable
from sltdesk.cli import main
from sltdesk.domain.questionnaires import FILLABLE_HEADER_ROW, FILLABLE_META_SHEET, Question, Section, yes_no_scale
from sltdesk.domain.register import Supplier
from sltdesk.services.questionnaires import builtin_template
from sltdesk.services.register import create_record

ANSWER, EVIDENCE, COMMENT, QUESTION, ID = "H", "I", "J", "C", "B"


@pytest.fixture
def template():
    return dataclasses.replace(builtin_template(), version=1)


def _fill(path: Path, answers: dict[int, str], **cells: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Questionnaire"]
    for index, answer in answers.items():
        row = FILLABLE_HEADER_ROW + 1 + index
        sheet[f"{ANSWER}{row}"] = answer
        sheet[f"{EVIDENCE}{row}"] = f"evidence {index}"
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)


def test_the_workbook_locks_questions_offers_dropdowns_and_hides_its_key(tmp_path, template):
    path = write_fillable(template, supplier="PayFlow", out=tmp_path / "q.xlsx", today=date(2026, 3, 1))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Instructions", "Questionnaire", FILLABLE_META_SHEET]
    assert book[FILLABLE_META_SHEET].sheet_state == "veryHidden"
    sheet = book["Questionnaire"]
    first = FILLABLE_HEADER_ROW + 1
    assert sheet.protection.sheet is True
    assert sheet[f"{QUESTION}{first}"].protection.locked is True and sheet[f"{ID}{first}"].protection.locked
    assert not sheet[f"{ANSWER}{first}"].protection.locked and not sheet[f"{EVIDENCE}{first}"].protection.locked
    assert sheet.column_dimensions["K"].hidden and sheet[f"K{first}"].value == "INC-01"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and validation.formula1.startswith('"0 – Absent,1 – Initial')
    assert set(str(validation.sqref).split()) == {f"{ANSWER}{row}" for row in range(first, first + 40)}
    assert sheet[f"E{first}"].value.startswith("0 – Absent: No ticketing tool")


def test_the_round_trip_reproduces_the_answers_and_evidence(tmp_path, template):
    path = write_fillable(template, supplier="PayFlow", out=tmp_path / "q.xlsx", today=date(2026, 3, 1))
    given = {i: ["0", "1 – Initial", "2", "3 – Defined", "4", "5 – Optimising", "N/A"][i % 7] for i in range(38)}
    _fill(path, given, C3="2026-03-20")
    parsed = read_questionnaire(path)
    assert parsed.origin == "sltdesk" and parsed.supplier_name == "PayFlow"
    assert parsed.completed_on == date(2026, 3, 20) and parsed.template.fingerprint == template.fingerprint
    labels = {o.label.split(" – ")[0]: o.label for o in template.questions[0].scale.options}
    for index, answer in given.items():
        assert parsed.answers[index].answer == labels[answer.split(" – ")[0]]
        assert parsed.answers[index].evidence == f"evidence {index}"
    assert [a.answer for a in parsed.answers[38:]] == ["", ""]
    assert [f.code for f in parsed.findings] == []


def test_a_tampered_question_text_and_id_are_warned_about(tmp_path, template):
    path = write_fillable(template, supplier="PayFlow", out=tmp_path / "q.xlsx", today=date(2026, 3, 1))
    row = FILLABLE_HEADER_ROW + 3
    _fill(path, {2: "3"}, **{f"{QUESTION}{row}": "Do you have a major incident process? (simplified)",
                             f"{ID}{row + 1}": "INC-4"})
    parsed = read_questionnaire(path)
    warnings = {(f.code, f.row) for f in parsed.findings}
    assert ("text-changed", row) in warnings and ("id-changed", row + 1) in warnings
    assert parsed.answers[2].answer == "3 – Defined"  # the answer stays on the question its key names


def test_formula_looking_text_from_an_imported_template_stays_text(tmp_path, template):
    hostile = dataclasses.replace(template, sections=(Section("X", "=cmd|'/c calc'!A1"),), questions=(
        Question("=1+1", "X", '=HYPERLINK("http://evil.example","click")', yes_no_scale()),))
    path = write_fillable(hostile, supplier="@supplier", out=tmp_path / "h.xlsx", today=date(2026, 3, 1))
    sheet = openpyxl.load_workbook(path)["Questionnaire"]
    cells = [sheet.cell(FILLABLE_HEADER_ROW + 1, c) for c in (1, 2, 3)]
    assert all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    parsed = read_questionnaire(path)
    assert parsed.template.questions[0].code == "=1+1" and parsed.supplier_name == "@supplier"
    assert [f.code for f in parsed.findings if f.severity != "info"] == []


def test_the_cli_writes_the_template_and_imports_the_filled_file_as_an_assessment(tmp_path, capsys):
    ws_path = str(tmp_path / "w.sltdesk")
    ws = open_workspace(ws_path, create=True)
    create_record(ws, Supplier(name="PayFlow"))
    ws.close()
    out = tmp_path / "payflow.xlsx"
    assert main(["questionnaire", "template", "-w", ws_path, "--supplier", "PayFlow", "--out", str(out)]) == 0
    assert "40 questions in 8 sections, for PayFlow" in capsys.readouterr().out
    _fill(out, {i: "4" for i in range(40)} | {0: "N/A", 39: ""})
    assert main(["import", "questionnaire", str(out), "-w", ws_path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["origin"] == "sltdesk" and doc["template"]["new"] is False and doc["unanswered"] == ["SUB-05"]
    assert (doc["assessment"]["answered"], doc["assessment"]["overall"]) == (39, "0.8000")
    assert main(["questionnaire", "list", "-w", ws_path, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["templates"][0]["questions"] == 40 and listed["assessments"][0]["supplier"] == "PayFlow"
    assert Decimal(listed["assessments"][0]["overall"]) == Decimal("0.8")
