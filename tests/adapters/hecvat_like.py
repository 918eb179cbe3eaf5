"""A questionnaire shaped like HECVAT: an introduction, 7 question sheets with title rows above the header,
section-heading rows inside the table, a "Critical Importance" column and blank weights; plus a summary sheet
and a hidden scoring sheet. Everything the tests expect is derived from SPEC here, not from the importer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

HEADER = ["New ID", "Old ID", "Question", "Answer", "Additional Information", "Critical Importance", "Weight"]
SHEETS = ("Organization", "Product", "Infrastructure", "IT Accessibility", "Case-Specific", "AI", "Privacy")
CRITICALITY = ("Critical", "", "High", "Medium", "Required", "", "Low", "Critical Importance", "")
CRITICAL_WORDS = {"Critical", "High", "Required", "Critical Importance"}
WEIGHTS = ("3", "", "1", "2", "", "5", "1", "", "2", "4", "")  # "" = blank: not scored by default
ANSWERS = ("Yes", "No", "Yes", "N/A", "Yes", "No", "Yes", "Yes", "No", "Yes", "N/A", "Yes", "No")


@dataclass(frozen=True)
class Q:
    code: str
    sheet: str
    section: str  # the heading's title
    prefix: str
    text: str
    criticality: str
    weight: str
    answer: str


def spec() -> list[Q]:
    """42 questions: 7 sheets x 2 headings x 3 questions, with criticality, weight and a filled answer each."""
    questions, n = [], 0
    for s, sheet in enumerate(SHEETS):
        for h in range(2):
            prefix = f"{sheet.replace(' ', '').replace('-', '')[:3].upper()}{'ABCDEFG'[s]}{'XY'[h]}"
            for i in range(3):
                questions.append(Q(f"{prefix}-{i + 1:02d}", sheet, f"{sheet} topic {h + 1}", prefix,
                                   f"Do you maintain control {n} for {sheet.lower()} topic {h + 1}?",
                                   CRITICALITY[n % len(CRITICALITY)], WEIGHTS[n % len(WEIGHTS)],
                                   ANSWERS[n % len(ANSWERS)]))
                n += 1
    return questions


def hecvat_like(path: Path, *, answered: bool, drop: str = "", reword: str = "") -> Path:
    """The workbook; `drop` leaves one question out, `reword` changes one question's text."""
    book = openpyxl.Workbook()
    start = book.active
    start.title = "START HERE"
    start.append(["Higher Education Community Vendor Assessment Toolkit (like)"])
    start.append(["New ID", "Question"])  # an instructions table that looks like a header
    for field, how in (("Vendor name", "Enter the legal name of your company here"),
                       ("Product name", "Enter the product being assessed in this row"),
                       ("Contact e-mail", "Enter who answers questions about the answers")):
        start.append([field, how])
    by_sheet: dict[str, list[Q]] = {}
    for q in spec():
        by_sheet.setdefault(q.sheet, []).append(q)
    for s, (sheet, questions) in enumerate(by_sheet.items()):
        ws = book.create_sheet(sheet)
        ws.append([f"HECVAT-like — {sheet}"])
        ws.append(["Answer every question; explain No answers in Additional Information."])
        ws.append(HEADER)
        section = ""
        for q in questions:
            if q.section != section:
                section = q.section
                # most sheets put the title in the id column and repeat "Answer"; the last one writes it in the
                # question column alone
                ws.append([f" {section}", "", "", "Answer", "Additional Information"] if s < 6 else
                          ["", "", section])
            if q.code == drop:
                continue
            text = q.text.replace("Do you maintain", "Have you documented") if q.code == reword else q.text
            ws.append([q.code, f"OLD-{q.code}", text, q.answer if answered else None,
                       "see policy" if answered else None, q.criticality or None, q.weight or None])
    summary = book.create_sheet("Summary")
    summary.append(["Section", "Score"])
    for sheet in SHEETS:
        summary.append([sheet, "=0"])
    scoring = book.create_sheet("Scoring")
    scoring.sheet_state = "hidden"
    scoring.append(["New ID", "Question", "Answer", "Points"])
    for q in spec():
        scoring.append([q.code, f"={q.sheet!r}!C1", "", 1])
    book.save(path)
    return path
