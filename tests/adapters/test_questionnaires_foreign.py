"""Foreign questionnaires: CAIQ-shaped workbooks by CLI options alone; big and hostile workbooks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from importers.questionnaire_sheets import QuestionnaireImportError
from importers.questionnaires import read_questionnaire
from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.register import Supplier
from sltdesk.services.register import create_record

DOMAINS = {"A&A": "Audit & Assurance", "AIS": "Application & Interface Security", "BCR": "Business Continuity",
           "IAM": "Identity & Access Management"}
ANSWERS = ["Yes", "No", "NA", "Yes", "yes"]


def caiq_like(path: Path, *, answered: bool) -> Path:
    """An introduction sheet, then a question sheet: a title row, the header on row 2, 20 questions, a footer."""
    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "Introduction"
    intro.append(["v4.0.3", "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE"])
    intro.append(["This tab explains the questionnaire. Question ID Question Answer"])
    sheet = book.create_sheet("CAIQv4.0.3")
    sheet.append(["v4.0.3", "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE"])
    sheet.append(["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
                  "CSP Implementation Description (Optional/Recommended)", "CCM Control ID", "CCM Domain Title"])
    n = 0
    for prefix, title in DOMAINS.items():
        for i in range(5):
            answer = ANSWERS[n % 5] if answered else None
            sheet.append([f"{prefix}-0{i // 2 + 1}.{i % 2 + 1}", f"Is control {n} of {title} in place?", answer,
                          "CSP-owned", f"note {n}" if answered else None, f"{prefix}-0{i // 2 + 1}",
                          title if i == 0 else None])
            n += 1
    sheet.append(["End of Standard"])
    sheet.append(["© Copyright 2024 Someone"])
    book.save(path)
    return path


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws_path(tmp_path) -> str:
    path = tmp_path / "w.sltdesk"
    ws = open_workspace(path, create=True)
    create_record(ws, Supplier(name="Stratus Hosting"))
    ws.close()
    return str(path)


def test_a_caiq_shaped_workbook_imports_as_a_template_with_sections_from_id_prefixes(tmp_path, ws_path, capsys):
    book = caiq_like(tmp_path / "caiq.xlsx", answered=False)
    code, out, err = run("import", "questionnaire", str(book), "-w", ws_path, "--sheet", "CAIQv4.0.3",
                         "--header-row", "2", "--map", "question_id=A", "--map", "question=B", "--map", "answer=C",
                         "--map", "section=", "--as-template", "caiq-like", "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["template"]["name"] == "caiq-like" and doc["template"]["questions"] == 20
    assert [(s["code"], s["questions"]) for s in doc["template"]["sections"]] == [
        ("A&A", 5), ("AIS", 5), ("BCR", 5), ("IAM", 5)]
    assert doc["assessment"] is None
    assert doc["mapping"] == {"question_id": "A", "question": "B", "answer": "C", "comment": "E"}  # E suggested
    assert {f["row"] for f in doc["findings"] if f["code"] == "not-a-question"} == {23, 24}


def test_with_the_domain_column_mapped_sections_keep_the_prefix_as_code_and_the_domain_as_title(tmp_path):
    parsed = read_questionnaire(caiq_like(tmp_path / "caiq.xlsx", answered=False), sheet="CAIQv4.0.3",
                                header_row=2, mapping={"question_id": "A", "question": "B", "section": "G"})
    assert [(s.code, s.title) for s in parsed.template.sections] == list(DOMAINS.items())
    assert parsed.template.question("AIS-02.1").section == "AIS"


def test_the_question_sheet_header_and_columns_are_found_without_options(tmp_path):
    parsed = read_questionnaire(caiq_like(tmp_path / "caiq.xlsx", answered=True))
    assert (parsed.sheet, parsed.header_row) == ("CAIQv4.0.3", 2)
    assert parsed.mapping == {"question_id": "A", "question": "B", "answer": "C", "comment": "E", "section": "G"}
    assert [a.answer for a in parsed.answers[:5]] == ["Yes", "No", "N/A", "Yes", "Yes"]
    assert parsed.answers[0].comment == "note 0"


def test_filled_answers_become_an_assessment_scored_with_na_left_out(tmp_path, ws_path, capsys):
    book = caiq_like(tmp_path / "caiq.xlsx", answered=True)
    code, out, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--supplier", "Stratus Hosting",
                       "--as-template", "caiq-like", "--json", capsys=capsys)
    assessment = json.loads(out)["assessment"]
    assert code == 0 and (assessment["answered"], assessment["not_applicable"], assessment["total"]) == (20, 4, 20)
    assert assessment["overall"] == "0.7500"  # 12 Yes of 16 applicable, every question and section weighted 1
    code, out, _ = run("questionnaire", "score", "-w", ws_path, "--supplier", "Stratus Hosting", "--json",
                       capsys=capsys)
    assert code == 0 and json.loads(out)["overall"] == "0.7500" and json.loads(out)["level"] == 4


def test_a_filled_copy_of_an_imported_questionnaire_is_read_against_that_template(tmp_path, ws_path, capsys):
    blank = caiq_like(tmp_path / "caiq.xlsx", answered=False)
    assert run("import", "questionnaire", str(blank), "-w", ws_path, "--as-template", "caiq-like",
               capsys=capsys)[0] == 0
    filled = caiq_like(tmp_path / "CAIQ Stratus filled.xlsx", answered=True)
    code, out, _ = run("import", "questionnaire", str(filled), "-w", ws_path, "--supplier", "Stratus Hosting",
                       "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and doc["template"]["name"] == "caiq-like" and doc["template"]["version"] == 1
    assert "template-matched" in {f["code"] for f in doc["findings"]}
    assert doc["assessment"]["overall"] == "0.7500"
    code, out, _ = run("questionnaire", "list", "-w", ws_path, "--json", capsys=capsys)
    assert [t["name"] for t in json.loads(out)["templates"]] == ["caiq-like"]  # no second copy of the questions


def test_unknown_answer_words_are_reported_and_can_be_mapped_to_scores(tmp_path, ws_path, capsys):
    book = caiq_like(tmp_path / "caiq.xlsx", answered=True)
    wb = openpyxl.load_workbook(book)
    wb["CAIQv4.0.3"]["C3"] = "Partially, in rollout"
    wb.save(book)
    parsed = read_questionnaire(book)
    assert [f.row for f in parsed.findings if f.code == "unknown-answer"] == [3]
    assert parsed.answers[0].answer == "" and "Partially, in rollout" in parsed.answers[0].comment
    mapped = read_questionnaire(book, values={"Partially, in rollout": "0.25"})
    assert mapped.answers[0].answer == "Partially, in rollout"
    code, _, err = run("import", "questionnaire", str(book), "-w", ws_path, "--value", "answer:Maybe=7",
                       capsys=capsys)
    assert code == 1 and "must be between 0 and 1" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--map", "colour=A"], "There is no field 'colour'"),
    (["--map", "question=Z9"], "There is no column 'Z9'"),
    (["--sheet", "Nope"], "has no sheet 'Nope'"),
])
def test_mapping_mistakes_get_one_sentence(tmp_path, ws_path, capsys, args, message):
    book = caiq_like(tmp_path / "caiq.xlsx", answered=False)
    code, out, err = run("import", "questionnaire", str(book), "-w", ws_path, *args, capsys=capsys)
    assert code != 0 and out == "" and message in err and "Traceback" not in err


def _declare(path: Path, sheet_part: str, ref: str, *, bottom_cell: bool = False) -> None:
    """Rewrite one sheet's <dimension> (and optionally add a real empty-text cell on row 1,048,576)."""
    data = {}
    with zipfile.ZipFile(path) as archive:
        for item in archive.infolist():
            data[item.filename] = archive.read(item)
    xml = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", f'<dimension ref="{ref}"/>'.encode(), data[sheet_part])
    if bottom_cell:
        xml = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="D1048576" t="inlineStr"><is><t></t></is>'
                                           b"</c></row></sheetData>")
    data[sheet_part] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data.items():
            archive.writestr(name, content)


def big_workbook(path: Path) -> Path:
    """A title sheet, a hidden scoring sheet with formulas, and the questions on a sheet declaring 1,048,576 rows."""
    book = openpyxl.Workbook()
    book.active.title = "Title"
    book.active["A1"] = "Supplier security questionnaire 2026"
    scoring = book.create_sheet("Scoring")
    scoring.sheet_state = "hidden"
    scoring.append(["Question", "Answer", "Points"])
    for row in range(2, 60):
        scoring.append([f"=Questions!A{row + 1}", f"=Questions!C{row + 1}", f'=IF(B{row}="Yes",1,0)'])
    questions = book.create_sheet("Questions")
    questions.append(["Acme questionnaire — please answer every question"])
    questions.append(["Ref", "Question", "Response", "Comments"])
    for n in range(200):
        questions.append([f"GOV-{n:03d}", f"Question number {n}?", "Yes" if n % 3 else "No", ""])
    book.save(path)
    return path


MEASURE = """
import json, pathlib, re, resource, sys, time
started = time.perf_counter()
from importers.questionnaires import read_questionnaire
parsed = read_questionnaire(sys.argv[1])
status = pathlib.Path("/proc/self/status")  # VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak
match = re.search(r"VmHWM:\\s+(\\d+) kB", status.read_text()) if status.exists() else None
peak = int(match.group(1)) if match else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - started, "sheet": parsed.sheet,
                  "questions": len(parsed.template.questions), "answered": parsed.answered, "peak_mb": peak / 1024}))
"""


@pytest.mark.parametrize("bottom_cell", [False, True], ids=["declared", "real-cell-on-last-row"])
def test_a_sheet_declaring_a_million_rows_imports_quickly_with_bounded_memory(tmp_path, bottom_cell):
    path = big_workbook(tmp_path / "big.xlsx")
    _declare(path, "xl/worksheets/sheet3.xml", "A1:D1048576", bottom_cell=bottom_cell)
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True)
    measured = json.loads(result.stdout)
    assert (measured["sheet"], measured["questions"], measured["answered"]) == ("Questions", 200, 200)
    assert measured["seconds"] < 3.0
    assert measured["peak_mb"] < 300  # the interpreter and libraries take ~85 MB; 1,048,576 Python rows far more


def test_a_sheet_declaring_all_16384_columns_of_a_million_rows_is_refused_at_once(tmp_path):
    path = big_workbook(tmp_path / "wide.xlsx")
    _declare(path, "xl/worksheets/sheet3.xml", "A1:XFD1048576")
    with pytest.raises(QuestionnaireImportError, match="refused"):
        read_questionnaire(path)


def test_a_workbook_with_a_dtd_is_refused_before_parsing(tmp_path):
    path = caiq_like(tmp_path / "dtd.xlsx", answered=False)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["xl/workbook.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + re.sub(
        rb"^<\?xml[^>]*\?>", b"", parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(QuestionnaireImportError, match="DTD"):
        read_questionnaire(path)


def test_a_renamed_pdf_gets_a_sentence(tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"%PDF-1.7 not a workbook")
    with pytest.raises(QuestionnaireImportError, match="PDF"):
        read_questionnaire(path)
