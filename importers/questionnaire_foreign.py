"""Anyone else's questionnaire workbook -> one template with its answers, from one sheet or several.

Each sheet is read through its own header row and column mapping (suggested, or given). Sections come
from a section column, else from heading rows inside the table, else (with several sheets) from the
sheet's name, else from the id prefix (A&A-01.1 -> A&A). Weights: a number (0 = not scored) or
high/medium/low; a blank weight is not scored (weight 0, as HECVAT means it) unless `blank_weight`
says otherwise, and a warning counts them. Criticality words ("Critical Importance", "High",
"Required"...) make a question critical, so a No to it is a red flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from importers.questionnaire_layout import SheetChoice, choose_sheets, heading_of, survey_sheet
from importers.questionnaire_sheets import (
    QuestionnaireImportError,
    column_letter,
    find_header,
    iter_text_rows,
    sheet_visibility,
    suggest_mapping,
)
from importers.questionnaire_vocabulary import Criticalities, Vocabulary, parse_weight
from sltdesk.domain.questionnaires import (
    Answer,
    ImportFinding,
    Question,
    QuestionCriticality,
    QuestionnaireFile,
    QuestionnaireTemplate,
    Section,
    Severity,
    SheetRead,
    spreadsheet_plain,
)

Progress = Callable[[int, str], None]
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z&]*|\d+)(?=[-_.\s]?\d)")
MAX_ROW_FINDINGS = 50


@dataclass
class Collector:
    sheet: str
    findings: list[ImportFinding] = field(default_factory=list)
    row_findings: dict[Severity, int] = field(default_factory=dict)

    def add(self, severity: Severity, code: str, message: str, *, row: int | None = None, column: str = "") -> None:
        if row is not None:  # at most MAX_ROW_FINDINGS per severity: notes never crowd out warnings
            self.row_findings[severity] = self.row_findings.get(severity, 0) + 1
            if self.row_findings[severity] > MAX_ROW_FINDINGS:
                return
        self.findings.append(ImportFinding(severity, code, message, self.sheet, row, column))


@dataclass(frozen=True)
class ReadOptions:
    """How to read a foreign workbook: sheets (none: chosen), header row (one for all, or per sheet), mapping."""

    sheets: tuple[str, ...] = ()
    header_row: int | dict[str, int] | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary.with_overrides({}))
    criticalities: Criticalities = field(default_factory=lambda: Criticalities.with_overrides({}))
    blank_weight: Decimal | None = None  # None: not scored (0)


def read_foreign(book: Any, path: Path, sha: str, options: ReadOptions, report: Progress) -> QuestionnaireFile:
    """Read the given sheets, or the ones the workbook's layout suggests, into one template."""
    choice = _given(book, path, options.sheets) if options.sheets else _chosen(book, path, options)
    collect = Collector(choice.sheets[0])
    reader = _ForeignRows(options, collect, several=len(choice.sheets) > 1)
    read: list[SheetRead] = []
    for other in book.sheet_names:
        if other not in choice.sheets:
            collect.sheet = other
            collect.add(Severity.INFO, "sheet-skipped", f"Sheet '{other}' was skipped.")
    for position, sheet in enumerate(choice.sheets):
        collect.sheet = sheet
        header, headers = _header(book, sheet, options)
        columns = suggest_mapping(headers, options.mapping)
        if "question" not in columns:
            raise QuestionnaireImportError(f"No question column was recognised in row {header} of '{sheet}'; "
                                           "name it with --map question=COLUMN.")
        before = len(reader.questions)
        reader.start_sheet(sheet, columns, headers)
        for number, cells in iter_text_rows(book, sheet):
            if number > header:
                reader.add(number, cells)
                if number % 500 == 0:
                    report(min(95, (100 * position + number // 100) // len(choice.sheets)), f"Read {number:,} rows "
                           f"of {sheet}…")
        reader.end_sheet()
        read.append(SheetRead(sheet, header, {n: column_letter(i) for n, i in columns.items()},
                              len(reader.questions) - before))
    template = reader.template(path.stem, choice.sheets)
    report(100, f"Read {len(template.questions)} questions.")
    return QuestionnaireFile("foreign", path.name, sha, read[0].name, read[0].header_row, template,
                             tuple(reader.answers), tuple(collect.findings), mapping=read[0].mapping,
                             sheets=tuple(read), sheet_choice=choice.reason)


def _given(book: Any, path: Path, sheets: tuple[str, ...]) -> SheetChoice:
    for sheet in sheets:
        if sheet not in book.sheet_names:
            raise QuestionnaireImportError(f"{path.name} has no sheet '{sheet}'; its sheets are: "
                                           f"{', '.join(book.sheet_names)}.")
    return SheetChoice(tuple(dict.fromkeys(sheets)), "")


def _chosen(book: Any, path: Path, options: ReadOptions) -> SheetChoice:
    """The visible sheets of the layout with the most question-like rows; else the best header (as before)."""
    visible = sheet_visibility(book)
    header_row = options.header_row if isinstance(options.header_row, int) else None
    surveys = [survey_sheet(book, name, visible=visible.get(name, True), header_row=header_row,
                            mapping=options.mapping) for name in book.sheet_names]
    choice = choose_sheets(surveys)
    if choice is not None:
        return choice
    best = max((s for s in surveys if s.visible and s.header_row), key=lambda s: s.score, default=None)
    if best is None:
        raise QuestionnaireImportError(f"No sheet of {path.name} has a header row with a question column; "
                                       "choose the sheet with --sheet and the header row with --header-row.")
    return SheetChoice((best.name,), f"No sheet has question-like rows; sheet '{best.name}' has the header row "
                                     f"naming the most questionnaire columns (row {best.header_row}).")


def _header(book: Any, sheet: str, options: ReadOptions) -> tuple[int, list[str]]:
    """The sheet's header row (given for all sheets, given for this one, or found) and its cells."""
    given = options.header_row.get(sheet) if isinstance(options.header_row, dict) else options.header_row
    head_rows = dict(iter_text_rows(book, sheet, limit=given or 40))
    header = given or find_header(head_rows)[0]
    if header not in head_rows:
        raise QuestionnaireImportError(f"No header row with a question column was found on sheet '{sheet}'; "
                                       "give it with --header-row N (and --map question=COLUMN).")
    return header, list(head_rows[header])


class _ForeignRows:
    """Collects questions, sections and answers row by row, sheet by sheet."""

    def __init__(self, options: ReadOptions, collect: Collector, *, several: bool):
        self.options, self.collect, self.several = options, collect, several
        self.questions: list[dict] = []
        self.answers: list[Answer] = []
        self.columns: dict[str, int] = {}
        self.weighted = self.rated_criticality = False
        self.weight_cells = 0  # questions on sheets with a weight column
        self.unknown_criticality: dict[str, list[str]] = {}

    def start_sheet(self, sheet: str, columns: dict[str, int], headers: list[str]) -> None:
        self.sheet, self.columns, self.headers = sheet, columns, headers
        self.weighted |= "weight" in columns
        self.rated_criticality |= "criticality" in columns
        self.heading = ""
        self._pending: tuple[int, str, list[str]] | None = None  # a heading no question has followed yet
        self._last_section: tuple[str, str] = ("", "")  # (id prefix, section title)

    def end_sheet(self) -> None:
        self._settle_pending()

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return spreadsheet_plain(cells[index]) if index is not None and index < len(cells) else ""

    def add(self, number: int, cells: list[str]) -> None:
        heading = heading_of(cells, self.columns, self.headers)
        if heading:
            self._settle_pending()
            self._pending = (number, heading, cells)
            return
        text, code = self.cell(cells, "question"), self.cell(cells, "question_id")
        if not text:
            if code:
                self._settle_pending()
                self.collect.add(Severity.INFO, "not-a-question", f"Row {number} ('{code[:40]}') has no question "
                                 "text and was skipped.", row=number)
            return
        if self._pending is not None:
            self._use_pending(self._pending, has_id=bool(code))
        self._question(number, cells, text, code)

    def _use_pending(self, pending: tuple[int, str, list[str]], *, has_id: bool) -> None:
        """A short line without an id is a heading only when the question after it has an id."""
        number, title, cells = pending
        self._pending = None
        if not self.cell(cells, "question_id") and not has_id:
            self._question(number, cells, self.cell(cells, "question"), "")
            return
        self.heading = title
        self.collect.add(Severity.INFO, "section-heading", f"Row {number} ('{title[:60]}') is a section heading: "
                         "the questions below it are in that section.", row=number)

    def _settle_pending(self) -> None:
        """A heading no question with an id follows: words in the id column are skipped (a footer such as 'End of
        Standard'); a short line in the question column is a question after all."""
        if self._pending is None:
            return
        number, title, cells = self._pending
        self._pending = None
        if not self.cell(cells, "question_id"):
            self._question(number, cells, title, "")
            return
        self.collect.add(Severity.INFO, "not-a-question", f"Row {number} ('{title[:40]}') has no question "
                         "text and was skipped.", row=number)

    def _question(self, number: int, cells: list[str], text: str, code: str) -> None:
        code = self._unique(code or f"R{number}", number)
        self.weight_cells += "weight" in self.columns
        prefix = _prefix(code)
        title = self._title(self.cell(cells, "section"), prefix)
        raw = self.cell(cells, "answer")
        option = self.options.vocabulary.option(raw) if raw else None
        comment = self.cell(cells, "comment")
        if raw and option is None:
            self.collect.add(Severity.WARNING, "unknown-answer", f"Row {number}: answer '{raw[:40]}' to {code} is "
                             "not in the answer vocabulary; map it with --value answer:LABEL=SCORE. It counts as "
                             "unanswered.", row=number, column=column_letter(self.columns["answer"]))
            comment = f"(answered '{raw}') {comment}".strip()
        self.questions.append({"code": code, "prefix": prefix, "title": title, "text": text,
                               "where": f"{self.sheet} row {number}",
                               "weight": parse_weight(self.cell(cells, "weight"), self.collect, number)
                               if "weight" in self.columns else Decimal(1),  # a sheet without weights: all 1
                               "criticality": self._criticality(self.cell(cells, "criticality"), number)})
        self.answers.append(Answer(code, option.label if option else "", "", comment))

    def _criticality(self, text: str, number: int) -> QuestionCriticality:
        level = self.options.criticalities.level(text)
        if level is None:
            self.unknown_criticality.setdefault(text, []).append(f"{self.sheet} row {number}")
            return QuestionCriticality.STANDARD
        return level

    def _unique(self, code: str, number: int) -> str:
        taken = {q["code"] for q in self.questions}
        if code not in taken:
            return code
        n = 2
        while f"{code}#{n}" in taken:
            n += 1
        self.collect.add(Severity.WARNING, "duplicate-id", f"Question id {code} appears again on row {number}; "
                         f"this one is stored as {code}#{n}.", row=number)
        return f"{code}#{n}"

    def _title(self, given: str, prefix: str) -> str:
        """The section column (a blank cell continues the section above while the id prefix stays the same),
        else the heading above, else the sheet's name when there are several sheets."""
        if "section" in self.columns:
            last_prefix, last_title = self._last_section
            title = given or (last_title if prefix == last_prefix else "")
            self._last_section = (prefix, title)
            if title:
                return title
        return self.heading or (self.sheet if self.several else "")

    def _sections(self) -> tuple[list[str], dict[str, str]]:
        """Each question's section code, and code -> title: by section title, coded by its id prefix when the
        prefix and the title go together one to one; by id prefix (A&A-01.1 -> A&A) without titles."""
        titles = {q["title"] for q in self.questions if q["title"]}
        if not titles:
            codes = [q["prefix"] or "General" for q in self.questions]
            return codes, {c: c for c in dict.fromkeys(codes)}
        prefixes: dict[str, set[str]] = {}
        owners: dict[str, set[str]] = {}
        for q in self.questions:
            title = q["title"] or "General"
            prefixes.setdefault(title, set()).add(q["prefix"])
            owners.setdefault(q["prefix"], set()).add(title)
        code_of = {t: next(iter(p)) if len(p) == 1 and next(iter(p)) and len(owners[next(iter(p))]) == 1 else t
                   for t, p in prefixes.items()}
        codes = [code_of[q["title"] or "General"] for q in self.questions]
        return codes, {code_of[t]: t for t in dict.fromkeys(q["title"] or "General" for q in self.questions)}

    def _weights(self) -> list[Decimal]:
        """Each question's weight, blank ones by the stated rule, with a warning that counts them."""
        blank = [q["where"] for q in self.questions if q["weight"] is None]
        if not self.weighted or not blank:
            return [q["weight"] if q["weight"] is not None else Decimal(1) for q in self.questions]
        where, told = _rows(blank), self.options.blank_weight
        if len(blank) == self.weight_cells and told is None:
            rule = Decimal(1)
            self.collect.add(Severity.WARNING, "blank-weights", f"The weight column is blank on every question "
                             f"({len(blank)}): they are all weighted 1.")
        else:
            rule = told if told is not None else Decimal(0)
            meaning = "not scored (weight 0), as HECVAT means a blank weight" if rule == 0 else f"weighted {rule}"
            how = " (--blank-weight)" if told is not None else "; give --blank-weight 1 to count them at 1"
            self.collect.add(Severity.WARNING, "blank-weights", f"{len(blank)} of {self.weight_cells} weights "
                             f"were blank ({where}): those questions are {meaning}{how}.")
        return [q["weight"] if q["weight"] is not None else rule for q in self.questions]

    def _criticality_findings(self) -> None:
        for word, rows in self.unknown_criticality.items():
            self.collect.add(Severity.WARNING, "unknown-criticality", f"Criticality '{word[:40]}' ({_rows(rows)}) "
                             "is not a known word; read as standard. Map it with --value "
                             f"'criticality:{word[:40]}=critical' (or standard, minor).")
        if not self.rated_criticality:
            self.collect.add(Severity.WARNING, "no-criticality", "No criticality column was recognised, so no "
                             "question is critical and no answer raises a red flag; name the column with "
                             "--map criticality=COLUMN if there is one.")

    def template(self, stem: str, sheets: tuple[str, ...]) -> QuestionnaireTemplate:
        named = f"sheet '{sheets[0]}'" if len(sheets) == 1 else f"sheets {', '.join(sheets)}"
        if not self.questions:
            raise QuestionnaireImportError(f"No question was found on {named} below the header row; "
                                           "check --sheet, --header-row and --map question=COLUMN.")
        self.collect.sheet = sheets[0] if len(sheets) == 1 else ""
        self._criticality_findings()
        scale = self.options.vocabulary.scale(a.answer for a in self.answers)
        codes, titles = self._sections()
        questions = tuple(Question(code=q["code"], section=section, text=q["text"], scale=scale,
                                   weight=weight, criticality=q["criticality"])
                          for q, section, weight in zip(self.questions, codes, self._weights(), strict=True))
        sections = tuple(Section(code, title) for code, title in titles.items())
        title = sheets[0] if len(sheets) == 1 else f"{len(sheets)} sheets"
        return QuestionnaireTemplate(name=_slug(stem), title=f"{stem} — {title}", sections=sections,
                                     questions=questions, source=f"imported from {stem} ({named})")


def _rows(places: list[str], shown: int = 8) -> str:
    """'Organization row 5, row 9; Product row 7' for the first few places, then how many more."""
    by_sheet: dict[str, list[str]] = {}
    for place in places[:shown]:
        sheet, _, row = place.rpartition(" row ")
        by_sheet.setdefault(sheet, []).append(row)
    text = "; ".join(f"{sheet} row{'s' if len(rows) > 1 else ''} {', '.join(rows)}" for sheet, rows in by_sheet.items())
    return text + (f" and {len(places) - shown} more" if len(places) > shown else "")


def _prefix(code: str) -> str:
    match = _PREFIX.match(code)
    return match.group(1) if match else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.") or "questionnaire"
