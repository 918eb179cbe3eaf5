"""Questionnaires over several sheets (HECVAT-like): one template, headings as sections, criticality, blank
weights, filled copies attached to their template; and a CAIQ-shaped workbook still read as before."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from importers.questionnaires import read_questionnaire
from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.register import Supplier
from sltdesk.services.register import create_record
from tests.adapters.hecvat_like import CRITICAL_WORDS, SHEETS, hecvat_like, spec


def run(*args: str, capsys) -> tuple[int, dict, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip().startswith("{") else {"text": out}, err


@pytest.fixture
def ws_path(tmp_path) -> str:
    path = tmp_path / "w.sltdesk"
    ws = open_workspace(path, create=True)
    create_record(ws, Supplier(name="Campus Cloud"))
    ws.close()
    return str(path)


def expected_overall(questions, *, blank: int = 0) -> Decimal:
    """Worked from SPEC: per heading, the weighted mean of Yes = 1 / No = 0 (N/A left out, a blank weight
    counting `blank`); overall = the plain mean of the sections that have any weight; half-even to 4 places."""
    sections: dict[str, list[tuple[Fraction, int]]] = {}
    for q in questions:
        if q.answer != "N/A":
            sections.setdefault(q.section, []).append((Fraction(q.weight or blank), 1 if q.answer == "Yes" else 0))
    means = [sum(w * r for w, r in pairs) / sum(w for w, _ in pairs) for pairs in sections.values()
             if sum(w for w, _ in pairs)]
    overall = sum(means) / len(means)
    return (Decimal(overall.numerator) / Decimal(overall.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)


def test_seven_sheets_with_titles_headings_criticality_and_blank_weights_import_as_one_template(tmp_path, ws_path,
                                                                                                capsys):
    book = hecvat_like(tmp_path / "HECVAT like.xlsx", answered=False)
    code, doc, err = run("import", "questionnaire", str(book), "-w", ws_path, "--as-template", "hecvat-like",
                         "--json", capsys=capsys)
    questions = spec()
    assert code == 0 and err == ""
    t = doc["template"]
    assert (t["questions"], len(t["sections"])) == (42, 14)
    assert t["critical"] == sum(1 for q in questions if q.criticality in CRITICAL_WORDS) == 19
    assert t["not_scored"] == sum(1 for q in questions if not q.weight) == 15
    assert [(s["code"], s["title"], s["questions"]) for s in t["sections"][:3]] == [
        ("ORGAX", "Organization topic 1", 3), ("ORGAY", "Organization topic 2", 3), ("PROBX", "Product topic 1", 3)]
    assert [s["name"] for s in doc["sheets"]] == list(SHEETS) and {s["header_row"] for s in doc["sheets"]} == {3}
    assert doc["sheets"][0]["mapping"] == {"question_id": "A", "question": "C", "answer": "D", "comment": "E",
                                           "criticality": "F", "weight": "G"}
    choice = doc["sheet_choice"]
    assert choice["automatic"] and choice["reason"].startswith("7 visible sheets share the header layout")
    assert "none on 'START HERE', 'Summary'" in choice["reason"] and "hidden sheets skipped: 'Scoring'" in \
        choice["reason"]
    blank = [f for f in doc["findings"] if f["code"] == "blank-weights"]
    assert len(blank) == 1 and blank[0]["severity"] == "warning" and blank[0]["message"].startswith(
        "15 of 42 weights were blank (Organization rows 6, 10;")
    headings = [(f["sheet"], f["row"]) for f in doc["findings"] if f["code"] == "section-heading"]
    assert len(headings) == 14 and headings[:2] == [("Organization", 4), ("Organization", 8)]


def test_a_filled_copy_scores_with_its_red_flags(tmp_path, ws_path, capsys):
    book = hecvat_like(tmp_path / "campus.xlsx", answered=True)
    code, doc, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--supplier", "Campus Cloud",
                       "--as-template", "hecvat-like", "--json", capsys=capsys)
    questions = spec()
    a = doc["assessment"]
    assert code == 0 and Decimal(a["overall"]) == expected_overall(questions) == Decimal("0.6071")
    flagged = [q.code for q in questions if q.criticality in CRITICAL_WORDS and q.answer == "No"]
    assert [f["question"] for f in a["red_flags"]] == flagged and len(flagged) == 7
    assert (a["answered"], a["not_applicable"], a["total"]) == (42, 6, 42)


def test_blank_weight_1_counts_blank_weights_and_the_warning_says_so(tmp_path, ws_path, capsys):
    book = hecvat_like(tmp_path / "campus.xlsx", answered=True)
    code, doc, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--supplier", "Campus Cloud",
                       "--as-template", "hecvat-like", "--blank-weight", "1", "--json", capsys=capsys)
    assert code == 0 and doc["template"]["not_scored"] == 0
    assert Decimal(doc["assessment"]["overall"]) == expected_overall(spec(), blank=1) == Decimal("0.5811")
    blank = next(f for f in doc["findings"] if f["code"] == "blank-weights")
    assert "those questions are weighted 1 (--blank-weight)" in blank["message"]


def test_a_copy_with_one_question_removed_and_one_reworded_attaches_to_the_template_with_a_warning(
        tmp_path, ws_path, capsys):
    blank = hecvat_like(tmp_path / "HECVAT like.xlsx", answered=False)
    assert run("import", "questionnaire", str(blank), "-w", ws_path, "--as-template", "hecvat-like",
               capsys=capsys)[0] == 0
    copy = hecvat_like(tmp_path / "Campus Cloud answers.xlsx", answered=True, drop="PROBX-02", reword="AIFY-01")
    code, doc, _ = run("import", "questionnaire", str(copy), "-w", ws_path, "--supplier", "Campus Cloud", "--json",
                       capsys=capsys)
    t = doc["template"]
    assert code == 0 and (t["name"], t["version"], t["new"], t["attached"]) == ("hecvat-like", 1, False, True)
    assert t["differences"] == {"added": [], "removed": ["PROBX-02"], "reworded": ["AIFY-01"]}
    warning = next(f for f in doc["findings"] if f["code"] == "template-attached")
    assert warning["severity"] == "warning" and "1 question removed (PROBX-02), 1 reworded (AIFY-01)" in \
        warning["message"] and "--as-template" in warning["message"]
    assert doc["unanswered"] == ["PROBX-02"] and doc["assessment"]["total"] == 42
    remaining = [q for q in spec() if q.code != "PROBX-02"]
    assert Decimal(doc["assessment"]["overall"]) == expected_overall(remaining)
    code, listed, _ = run("questionnaire", "list", "-w", ws_path, "--json", capsys=capsys)
    assert [(x["name"], x["version"]) for x in listed["templates"]] == [("hecvat-like", 1)]


def test_as_template_makes_a_new_template_from_a_copy_that_differs(tmp_path, ws_path, capsys):
    blank = hecvat_like(tmp_path / "HECVAT like.xlsx", answered=False)
    run("import", "questionnaire", str(blank), "-w", ws_path, "--as-template", "hecvat-like", capsys=capsys)
    copy = hecvat_like(tmp_path / "trimmed.xlsx", answered=False, drop="PROBX-02")
    code, doc, _ = run("import", "questionnaire", str(copy), "-w", ws_path, "--as-template", "hecvat-trimmed",
                       "--json", capsys=capsys)
    assert code == 0 and (doc["template"]["name"], doc["template"]["new"], doc["template"]["questions"]) == (
        "hecvat-trimmed", True, 41)


def test_chosen_sheets_and_a_criticality_word_mapped_by_value(tmp_path, ws_path, capsys):
    book = hecvat_like(tmp_path / "h.xlsx", answered=True)
    wb = openpyxl.load_workbook(book)
    wb["Product"]["F5"] = "Key control"  # PROBX-01's criticality, a word the vocabulary does not know
    wb.save(book)
    code, doc, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--sheet", "Organization", "--sheet",
                       "Product", "--as-template", "two", "--dry-run", "--json", capsys=capsys)
    assert code == 0 and [s["name"] for s in doc["sheets"]] == ["Organization", "Product"]
    assert doc["template"]["questions"] == 12 and doc["sheet_choice"] == {"automatic": False, "reason": "as given"}
    unknown = next(f for f in doc["findings"] if f["code"] == "unknown-criticality")
    assert "'Key control' (Product row 5)" in unknown["message"]
    critical = doc["template"]["critical"]
    code, doc, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--sheet", "Organization", "--sheet",
                       "Product", "--value", "criticality:Key control=critical", "--as-template", "two",
                       "--dry-run", "--json", capsys=capsys)
    assert code == 0 and doc["template"]["critical"] == critical + 1
    assert "unknown-criticality" not in {f["code"] for f in doc["findings"]}


def test_several_sheets_are_refused_for_raw_data_and_a_bad_criticality_value_is_one_sentence(tmp_path, ws_path,
                                                                                             capsys):
    book = hecvat_like(tmp_path / "h.xlsx", answered=False)
    code, _, err = run("import", "tickets", str(book), "-w", ws_path, "--sheet", "AI", "--sheet", "Product",
                       capsys=capsys)
    assert code != 0 and "--sheet is given once for 'tickets'" in err
    code, _, err = run("import", "questionnaire", str(book), "-w", ws_path, "--value", "criticality:Key=urgent",
                       capsys=capsys)
    assert code != 0 and "must be critical, standard or minor" in err and len(err.strip().splitlines()) == 1


def test_a_short_line_without_an_id_is_a_question_unless_questions_with_ids_follow_it(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["ID", "Question", "Answer"])
    ws.append(["", "Network security", ""])  # a heading: the next question has an id
    ws.append(["NET-01", "Is the network segmented by function?", "Yes"])
    ws.append(["", "Describe your backup policy", "No"])  # answered: never a heading
    ws.append(["", "List your subprocessors", ""])  # no id, and neither has the next one: a question
    ws.append(["", "Name your data centres and their regions", ""])
    book.save(tmp_path / "mixed.xlsx")
    parsed = read_questionnaire(tmp_path / "mixed.xlsx")
    assert [q.text for q in parsed.template.questions] == [
        "Is the network segmented by function?", "Describe your backup policy", "List your subprocessors",
        "Name your data centres and their regions"]
    assert {s.title for s in parsed.template.sections} == {"Network security"}


# --- a CAIQ-shaped workbook (the real CAIQ's terms forbid redistribution, so it is built here) ----------------

CAIQ_DOMAINS = (("A&A", "Audit & Assurance", 8), ("AIS", "Application & Interface Security", 11),
                ("BCR", "Business Continuity Management", 18), ("CCC", "Change Control", 11),
                ("CEK", "Cryptography, Encryption & Key Management", 23), ("DCS", "Datacenter Security", 23),
                ("DSP", "Data Security and Privacy", 24), ("GRC", "Governance, Risk and Compliance", 9),
                ("HRS", "Human Resources", 20), ("IAM", "Identity & Access Management", 21),
                ("IPY", "Interoperability & Portability", 8), ("IVS", "Infrastructure & Virtualization Security", 14),
                ("LOG", "Logging and Monitoring", 18), ("SEF", "Security Incident Management", 11),
                ("STA", "Supply Chain Management", 15), ("TVM", "Threat & Vulnerability Management", 12),
                ("UEM", "Universal Endpoint Management", 15))
CAIQ_ANSWERS = ("Yes", "Yes", "No", "NA", "Yes", "No", "Yes")


def caiq_shaped(path: Path) -> Path:
    """An introduction (with a 'Question ID' / 'Assessment Question' glossary), then 261 Yes/No/NA questions
    with ids like A&A-01.1 under a title row, the domain title in column L, and a footer."""
    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "Introduction"
    intro.append(["v4.0.3", "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v4.0.3"])
    for line in ("Introduction", "Each question is described using the following attributes:", "Question ID",
                 "The question identifiers.", "Assessment Question", "The description of the question.",
                 "CSP CAIQ Answer", "The CSP must respond with Yes, No or NA next to each question."):
        intro.append([line])
    sheet = book.create_sheet("CAIQv4.0.3")
    sheet.append(["v4.0.3", "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v4.0.3"])
    sheet.append(["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
                  "CSP Implementation Description (Optional/Recommended)",
                  "CSC Responsibilities (Optional/Recommended)", None, None, "CCM Control ID",
                  "CCM Control Specification", "CCM Control Title", "CCM Domain Title"])
    n = 0
    for code, title, count in CAIQ_DOMAINS:
        for i in range(count):
            sheet.append([f"{code}-{i // 2 + 1:02d}.{i % 2 + 1}", f"Are {title.lower()} measures {i} in place?",
                          CAIQ_ANSWERS[n % len(CAIQ_ANSWERS)], "CSP-owned", None, None, None, None,
                          f"{code}-{i // 2 + 1:02d}", f"Establish {title.lower()} control {i}.",
                          f"{title} control {i // 2 + 1}", title])
            n += 1
    sheet.append(["End of Standard"])
    sheet.append(["© Copyright 2024 Cloud Security Alliance - All rights reserved."])
    book.save(path)
    return path


def test_a_caiq_shaped_workbook_still_imports_as_before(tmp_path, ws_path, capsys):
    book = caiq_shaped(tmp_path / "CAIQ.xlsx")
    code, doc, _ = run("import", "questionnaire", str(book), "-w", ws_path, "--supplier", "Campus Cloud",
                       "--as-template", "caiq", "--json", capsys=capsys)
    assert code == 0 and (doc["sheet"], doc["header_row"]) == ("CAIQv4.0.3", 2)
    assert doc["mapping"] == {"question_id": "A", "question": "B", "answer": "C", "comment": "E", "section": "L"}
    assert doc["template"]["questions"] == 261
    assert [(s["code"], s["title"], s["questions"]) for s in doc["template"]["sections"]] == list(CAIQ_DOMAINS)
    assert doc["sheet_choice"]["reason"].startswith("Sheet 'CAIQv4.0.3' has the most question-like rows (261;")
    answers = [CAIQ_ANSWERS[n % len(CAIQ_ANSWERS)] for n in range(261)]
    assert doc["assessment"]["not_applicable"] == answers.count("NA")
    # every weight 1: each domain's share of Yes among its Yes/No, then the plain mean of the 17 domains
    means, n = [], 0
    for _code, _title, count in CAIQ_DOMAINS:
        given = [a for a in answers[n:n + count] if a != "NA"]
        means.append(Fraction(given.count("Yes"), len(given)))
        n += count
    overall = sum(means) / len(means)
    assert Decimal(doc["assessment"]["overall"]) == (Decimal(overall.numerator) / Decimal(overall.denominator)
                                                     ).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
    assert {f["row"] for f in doc["findings"] if f["code"] == "not-a-question"} == {264, 265}
    assert [f["code"] for f in doc["findings"] if f["severity"] == "warning"] == ["no-criticality"]


def test_a_sheet_without_a_weight_column_weighs_its_questions_1_not_as_blank_weights(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Governance"
    first.append(["ID", "Question", "Answer", "Weight"])
    first.append(["GOV-01", "Is there a security policy?", "Yes", 3])
    first.append(["GOV-02", "Is the policy reviewed every year?", "No", None])
    second = book.create_sheet("Operations")
    second.append(["ID", "Question", "Answer"])
    second.append(["OPS-01", "Are backups tested every quarter?", "Yes"])
    book.save(tmp_path / "two.xlsx")
    parsed = read_questionnaire(tmp_path / "two.xlsx")
    assert [s.name for s in parsed.sheets] == ["Governance", "Operations"]
    assert [(q.code, q.weight) for q in parsed.template.questions] == [
        ("GOV-01", Decimal(3)), ("GOV-02", Decimal(0)), ("OPS-01", Decimal(1))]
    assert [f.message for f in parsed.findings if f.code == "blank-weights"] == [
        "1 of 2 weights were blank (Governance row 3): those questions are not scored (weight 0), as HECVAT means "
        "a blank weight; give --blank-weight 1 to count them at 1."]


def test_a_weight_column_blank_on_every_row_weighs_every_question_1_with_a_warning(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer", "Weight"])
    book.active.append(["GOV-01", "Is there a security policy?", "Yes", None])
    book.active.append(["GOV-02", "Is the policy reviewed every year?", "No", None])
    book.save(tmp_path / "unweighted.xlsx")
    parsed = read_questionnaire(tmp_path / "unweighted.xlsx")
    assert [q.weight for q in parsed.template.questions] == [Decimal(1), Decimal(1)]
    assert [f.message for f in parsed.findings if f.code == "blank-weights"] == [
        "The weight column is blank on every question (2): they are all weighted 1."]
    told = read_questionnaire(tmp_path / "unweighted.xlsx", blank_weight=Decimal(0))
    assert [q.weight for q in told.template.questions] == [Decimal(0), Decimal(0)]
