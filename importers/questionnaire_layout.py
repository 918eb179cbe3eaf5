"""Which sheets of a workbook hold the questions, and which rows inside them are section headings.

A sheet is surveyed once: its first rows (for the wizard), its header row and how many rows below
it look like questions (a text of three words or more; with an id column, beside an id-like code).
The automatic choice takes the visible sheets that share the best header layout (the columns of the
id, the question and the answer) and together hold the most question-like rows: one sheet for a
CAIQ, the seven question sheets of a HECVAT. A row that names a section instead of asking (an id
cell holding words, e.g. ` Documentation | | Answer`) is a heading; its title names the questions below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from importers.questionnaire_sheets import (
    PREVIEW_ROWS,
    SheetPreview,
    column_letter,
    find_header,
    iter_text_rows,
    suggest_mapping,
)
from sltdesk.domain.questionnaires import spreadsheet_plain

LAYOUT_FIELDS = ("question_id", "question", "answer")
HEADING_MAX_WORDS = 10


@dataclass(frozen=True)
class SheetChoice:
    """The sheets chosen (in workbook order) and why, in a sentence."""

    sheets: tuple[str, ...]
    reason: str


def looks_like_id(code: str) -> bool:
    """'A&A-01.1', 'DOCU-01', '1.2.3', 'Q12': one token with a digit in it."""
    code = code.strip()
    return bool(code) and len(code) <= 30 and len(code.split()) == 1 and any(c.isdigit() for c in code)


def question_like(code: str, text: str, *, has_id_column: bool) -> bool:
    """A row that reads as a question: three words or more, and an id-like code when the sheet has an id column."""
    if len(text.split()) < 3:
        return False
    return looks_like_id(code) if has_id_column else True


def heading_of(cells: list[str], columns: dict[str, int], headers: list[str]) -> str:
    """The section title a row names, or "": words in the id cell and no question text (` Documentation | |
    Answer`), or a short line in the question cell with no id whose other cells only repeat the header."""
    def cell(name: str) -> str:
        index = columns.get(name)
        return spreadsheet_plain(cells[index]).strip() if index is not None and index < len(cells) else ""

    code, text = cell("question_id"), cell("question")
    if code and not text and not looks_like_id(code):
        return code if _title_like(code) else ""
    if text and not code and "question_id" in columns and _title_like(text):
        others = {c.strip().casefold() for i, c in enumerate(cells) if c.strip() and i != columns["question"]}
        repeated = {h.strip().casefold() for h in headers if h.strip()}
        if others <= repeated:
            return text
    return ""


def _title_like(text: str) -> bool:
    return len(text.split()) <= HEADING_MAX_WORDS and not text.rstrip().endswith(("?", ".", ":")) \
        and not text.startswith(("©", "(c)", "Copyright"))


def survey_sheet(book: Any, name: str, *, visible: bool, header_row: int | None = None,
                 mapping: dict[str, str] | None = None) -> SheetPreview:
    """One pass over a sheet: its first rows, its header row and how many rows below it look like questions."""
    rows: list[tuple[str, ...]] = []
    header, score = 0, 0
    columns: dict[str, int] = {}
    question_rows = 0
    for number, cells in iter_text_rows(book, name):
        if number <= PREVIEW_ROWS:
            rows.extend(() for _ in range(number - 1 - len(rows)))
            rows.append(tuple(cells))
            continue
        if not header:
            header, score, columns = _header(rows, header_row, mapping)
        question_rows += _is_question(cells, columns)
    if not header:
        header, score, columns = _header(rows, header_row, mapping)
    question_rows += sum(_is_question(list(r), columns) for r in rows[header:]) if header else 0
    layout = tuple((f, column_letter(columns[f])) for f in LAYOUT_FIELDS if f in columns)
    return SheetPreview(name, visible, tuple(rows), header, score, question_rows if header else 0, layout)


def _header(rows: list[tuple[str, ...]], header_row: int | None,
            mapping: dict[str, str] | None) -> tuple[int, int, dict[str, int]]:
    """(header row, score, columns) among the first rows; the header row given wins."""
    numbered = dict(enumerate(rows, start=1))
    if header_row:
        found = numbered.get(header_row, ())
        columns = _columns(list(found), mapping)
        return (header_row, len(columns), columns) if "question" in columns else (0, 0, {})
    header, score = find_header(numbered)
    return (header, score, _columns(list(rows[header - 1]), mapping)) if header else (0, 0, {})


def _columns(headers: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    try:
        return suggest_mapping(headers, mapping)
    except Exception:  # a mapping this sheet cannot take: the sheet is simply not a candidate
        return {}


def _is_question(cells: list[str], columns: dict[str, int]) -> bool:
    if "question" not in columns:
        return False
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""
    return question_like(cell("question_id"), cell("question"), has_id_column="question_id" in columns)


def choose_sheets(surveys: list[SheetPreview]) -> SheetChoice | None:
    """The visible sheets sharing the header layout with the most question-like rows; None when no sheet has any."""
    groups: dict[tuple[tuple[str, str], ...], list[SheetPreview]] = {}
    for s in surveys:
        if s.visible and s.header_row and s.question_rows:
            groups.setdefault(s.layout, []).append(s)
    if not groups:
        return None
    best = max(groups.values(), key=lambda g: (sum(s.question_rows for s in g), max(s.score for s in g)))
    total = sum(s.question_rows for s in best)
    columns = ", ".join(f"{field.replace('_', ' ')} in {letter}" for field, letter in best[0].layout)
    if len(best) == 1:
        why = f"sheet '{best[0].name}' has the most question-like rows ({total}; header on row " \
              f"{best[0].header_row}: {columns})"
    else:
        why = f"{len(best)} visible sheets share the header layout ({columns}) and hold the most question-like " \
              f"rows together ({total}: " + ", ".join(f"{s.name} {s.question_rows}" for s in best) + ")"
    others = [f"{s.name} {s.question_rows}" for s in surveys if s not in best and s.visible and s.question_rows]
    empty = [f"'{s.name}'" for s in surveys if s.visible and not s.question_rows]
    hidden = [f"'{s.name}'" for s in surveys if not s.visible]
    if others:
        why += "; fewer on " + ", ".join(others)
    if empty:
        why += "; none on " + ", ".join(empty)
    if hidden:
        why += "; hidden sheets skipped: " + ", ".join(hidden)
    return SheetChoice(tuple(s.name for s in best), why[0].upper() + why[1:] + ".")
