"""Reading questionnaire workbooks safely: sheets, rows as text, header row and column suggestions.

python-calamine reads the cells a sheet really has (a declared dimension of a million rows costs
nothing); rows are streamed and reading stops after a long run of empty rows, so formatted but
empty rows down to row 1,048,576 cost neither time nor memory in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from importers.mapping import assign_columns
from importers.reading import column_index, column_letter, file_sha256  # noqa: F401 - re-exported
from sltdesk.errors import SltDeskError

EMPTY_RUN_LIMIT = 1000  # this many empty rows in a row end the sheet
HEADER_SEARCH_ROWS = 30
PREVIEW_ROWS = 40
FIELDS = ("question_id", "question", "section", "answer", "weight", "criticality", "comment")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "question_id": ("question id", "id", "ref", "reference", "no", "nr", "number", "#", "item", "item id",
                    "control id", "requirement id", "question no", "question number", "question ref", "new id",
                    "qid", "q id", "q no", "q #", "question #", "ques num", "ques #", "ref id", "reference id",
                    "ref no", "control ref", "control no", "control number", "control #", "item no", "item #",
                    "serial no", "s no", "sno", "id number", "identifier", "question identifier", "kennung"),
    "question": ("question", "questions", "question text", "control question", "requirement", "query",
                 "assessment question", "frage", "question description"),
    "section": ("section", "domain", "category", "area", "topic", "chapter", "domain title", "control domain",
                "process", "bereich"),
    "answer": ("answer", "response", "your answer", "reply", "antwort", "caiq answer", "csp caiq answer",
               "supplier answer", "vendor response", "level", "maturity level", "rating", "yes no"),
    "weight": ("weight", "weighting", "importance", "points", "gewicht", "score weight", "max points",
               "question weight"),
    "criticality": ("criticality", "priority", "critical", "severity", "mandatory", "critical importance",
                    "importance level", "required", "requirement level", "risk level", "risk rating", "tier",
                    "critical question", "must have", "kritikalitat"),
    "comment": ("comment", "comments", "notes", "remarks", "evidence", "explanation", "justification",
                "implementation description", "csp implementation description", "additional information"),
}


class QuestionnaireImportError(SltDeskError):
    """The workbook cannot be read as asked; the message says what to do."""


@dataclass(frozen=True)
class SheetPreview:
    name: str
    visible: bool
    rows: tuple[tuple[str, ...], ...]  # the first PREVIEW_ROWS rows as text, from sheet row 1
    header_row: int  # suggested, 1-based; 0 when nothing looks like a header
    score: int  # how many questionnaire fields the suggested header names
    question_rows: int = 0  # rows below the header that look like questions (the whole sheet)
    layout: tuple[tuple[str, str], ...] = ()  # (field, column letter) of the id, question and answer columns


def open_book(path: Path) -> Any:
    """Check the container, then open it with python-calamine; errors are sentences."""
    from python_calamine import CalamineError, CalamineWorkbook

    from importers.safety import check_xlsx_container

    if not path.is_file():
        raise QuestionnaireImportError(f"{path} does not exist; check the path.")
    try:
        check_xlsx_container(path)
        return CalamineWorkbook.from_path(str(path))
    except QuestionnaireImportError:
        raise
    except SltDeskError as error:  # the shared safety checks' refusal (UnsafeFileError), one sentence already
        raise QuestionnaireImportError(str(error)) from None
    except (CalamineError, OSError, ValueError) as error:
        raise QuestionnaireImportError(str(error) if "refused" in str(error) or path.name in str(error) else
                                       f"{path.name} cannot be read as a workbook ({error}).") from None


def sheet_visibility(book: Any) -> dict[str, bool]:
    from python_calamine import SheetVisibleEnum

    return {m.name: m.visible == SheetVisibleEnum.Visible for m in book.sheets_metadata}


def iter_text_rows(book: Any, sheet: str, *, limit: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(1-based row number, cells as text from column A) for the rows that hold something."""
    try:
        data = book.get_sheet_by_name(sheet)
    except Exception as error:  # calamine raises its own types per format
        raise QuestionnaireImportError(f"Sheet '{sheet}' cannot be read ({error}).") from None
    offset = (data.start or (0, 0))[1]
    empty_run = 0
    for index, row in enumerate(data.iter_rows()):
        if limit is not None and index >= limit:
            return
        cells = [""] * offset + [cell_text(c) for c in row]
        if not any(cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                return
            continue
        empty_run = 0
        yield index + 1, cells


def cell_text(value: Any) -> str:
    """A cell as the text a user sees: 3.0 -> '3', True -> 'Yes', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def previews(path: Path) -> list[SheetPreview]:
    """Every sheet with its first rows, a suggested header row and its question-like rows (for the wizard)."""
    from importers.questionnaire_layout import survey_sheet

    book = open_book(path)
    visible = sheet_visibility(book)
    return [survey_sheet(book, name, visible=visible.get(name, True)) for name in book.sheet_names]


def find_header(rows: Mapping[int, Sequence[str]]) -> tuple[int, int]:
    """(1-based header row, number of fields it names) among the first rows; (0, 0) when none does."""
    best, best_score = 0, 0
    for number in sorted(rows)[:HEADER_SEARCH_ROWS]:
        mapping = suggest_mapping(list(rows[number]))
        score = len(mapping) + (2 if "question" in mapping else 0)
        if "question" in mapping and score > best_score:
            best, best_score = number, score
    return best, best_score


def normalise(text: str) -> str:
    """'CSP CAIQ Answer (Optional)' -> 'csp caiq answer': accents, case, brackets and punctuation ignored."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9#]+", " ", re.sub(r"\([^)]*\)", " ", plain))
    return " ".join(plain.split())


def suggest_mapping(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """field -> 0-based column: the user's choices (header or letter; empty: none), then exact, then word matches."""
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(FIELDS))
    if unknown:
        raise QuestionnaireImportError(f"There is no field '{unknown[0]}' to map; the fields are: {', '.join(FIELDS)}.")
    chosen = {name: resolve_column(column, headers) for name, column in overrides.items() if column.strip()}
    normal = [normalise(h) if h else "" for h in headers]
    # "FIELD=" with no column: leave the field out
    return assign_columns(normal, [name for name in FIELDS if name not in overrides], chosen, _matches)


def _matches(header: str, name: str, *, exact: bool) -> bool:
    words = SYNONYMS[name] + (name.replace("_", " "),)
    if exact:
        return header in words
    padded = f" {header} "
    return any(len(w) > 2 and f" {w} " in padded for w in words)


def resolve_column(column: str, headers: list[str]) -> int:
    """A header text (any case) or a column letter such as 'C'."""
    wanted = normalise(column)
    for index, header in enumerate(headers):
        if header and normalise(header) == wanted:
            return index
    if re.fullmatch(r"[A-Za-z]{1,3}", column.strip()):
        return column_index(column.strip().upper())
    known = ", ".join(f"{column_letter(i)} '{h}'" for i, h in enumerate(headers) if h)
    raise QuestionnaireImportError(f"There is no column '{column}'; the columns are: {known}.")


