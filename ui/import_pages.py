"""The mapping and findings pages of the raw-data import wizard (ui.import_wizard puts them together)."""

from __future__ import annotations

import math
import re
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget, QWizardPage

from importers.presets import NONE, PRESETS
from importers.reading import column_letter
from sltdesk.domain.raw import FIELDS, FieldSpec, Finding, ParsedImport, RecordKind, Severity
from ui.import_file_pages import wizard_of
from ui.import_jobs import ImportChoices, Parsed
from ui.import_views import (
    ERROR_STYLE,
    BusyBar,
    FindingsPanel,
    PreviewTable,
    is_calendar,
    source_preview,
    stored_preview,
)
from ui.style import section_heading

# A column letter past the last column any workbook can have (XFD): mapping a field to it maps the field to
# nothing, in a form the importer and the saved profile both understand (`--map note=ZZZ` on the CLI).
UNMAPPED = "ZZZ"
NOTE_STYLE = "color: #475467;"
_DATE_ORDERS = ((None, "Choose the order…"), (True, "Day first — 03/04/2026 is 3 April"),
                (False, "Month first — 03/04/2026 is March 4"))
_BLOCKING = ("missing-column", "unknown-column", "ambiguous-dates")


def why_text(parsed, name: str) -> str:
    """Why a field has its column (exact header, synonym, partial name, chosen) and the columns turned down."""
    why = parsed.mapping_why.get(name)
    lines = [f"Column '{parsed.mapping[name]}': {why}." if why and name in parsed.mapping else ""]
    lines += [f.message[0].upper() + f.message[1:] + "." for f in parsed.findings
              if f.code == "type-check" and f" for {name}:" in f.message]
    return "\n".join(line for line in lines if line)


class MappingPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Which column holds what?")
        self.setSubTitle("Suggested from the header names (in several languages); fields marked * are required. "
                         "Each change reads the file again and updates the rows below.")
        self.preset = QComboBox()
        self.preset.addItem("Detect from the header row", "")
        for preset in PRESETS:
            self.preset.addItem(f"{preset.title} ({preset.name})", preset.name)
        self.preset.addItem("No preset: suggest from the header names", NONE)
        self.preset.activated.connect(self._on_preset)
        self.preset_why = QLabel(wordWrap=True,
                                 textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preset_why.setStyleSheet(NOTE_STYLE)
        presets = QHBoxLayout()
        presets.setContentsMargins(0, 0, 0, 0)
        preset_label = QLabel("&Preset:")
        preset_label.setBuddy(self.preset)
        presets.addWidget(preset_label)
        presets.addWidget(self.preset)
        presets.addStretch(1)
        self.fields_box = QWidget()
        self.grid = QGridLayout(self.fields_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.combos: dict[str, QComboBox] = {}
        self._kind: RecordKind | None = None
        self.dates = QWidget(visible=False)
        self.dayfirst = QComboBox()
        for value, text in _DATE_ORDERS:
            self.dayfirst.addItem(text, value)
        self.dayfirst.activated.connect(self._on_dayfirst)
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates_label = QLabel("Every text date could be day-first or month-first — &dates are written:")
        dates_label.setStyleSheet(ERROR_STYLE)
        dates_label.setBuddy(self.dayfirst)
        dates.addWidget(dates_label)
        dates.addWidget(self.dayfirst)
        dates.addStretch(1)
        self.calendar_note = QLabel(wordWrap=True)
        self.calendar_note.setVisible(False)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(False)
        self.preview_heading = QLabel()
        self.preview_heading.setObjectName("sectionHeading")
        self.preview = PreviewTable()
        self.busy = BusyBar()
        layout = QVBoxLayout(self)
        layout.addLayout(presets)
        layout.addWidget(self.preset_why)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.calendar_note)
        layout.addWidget(self.dates)
        layout.addWidget(self.problem)
        layout.addWidget(self.preview_heading)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.busy)

    def show_parsed(self, result: Parsed, choices: ImportChoices) -> None:
        parsed = result.parsed
        calendar = is_calendar(parsed)
        self.fields_box.setVisible(not calendar)
        self.calendar_note.setVisible(calendar)
        self.calendar_note.setText("An iCalendar file has fixed fields: " + ", ".join(
            f"{name.replace('_', ' ')} ← {prop}" for name, prop in parsed.mapping.items()) + ".")
        self._show_preset(parsed, choices.preset, calendar)
        self._build(parsed.kind)
        for spec in FIELDS[parsed.kind]:
            _fill(self.combos[spec.name], spec, parsed.mapping.get(spec.name), parsed.headers)
            self.combos[spec.name].setToolTip(why_text(parsed, spec.name))
        ambiguous = any(f.code == "ambiguous-dates" for f in parsed.findings)
        self.problem.setVisible(parsed.fatal)
        self.problem.setText(f"Nothing can be stored yet: {blocking_message(parsed)}" if parsed.fatal else "")
        self.dates.setVisible(ambiguous or choices.dayfirst is not None)
        self.dayfirst.setCurrentIndex([v for v, _ in _DATE_ORDERS].index(choices.dayfirst))
        columns, rows = stored_preview(parsed, choices.timezone)
        self.preview_heading.setText(f"The first {len(rows)} of {parsed.rows_accepted:,} accepted rows as they will "
                                     f"be stored — times in {choices.timezone} and in UTC")
        self.preview.set_table(columns, rows)

    def _show_preset(self, parsed: ParsedImport, chosen: str, calendar: bool) -> None:
        """The preset the file was read with and why (detected from which headers), the choice current."""
        self.preset.setEnabled(not calendar)
        self.preset.setCurrentIndex(max(0, self.preset.findData(chosen)))
        found = next((p for p in PRESETS if p.name == parsed.preset), None)
        self.preset.setItemText(0, "Detect from the header row" + (f" — found: {found.title}" if found and not chosen
                                                                    else " — none found" if not chosen else ""))
        if calendar:
            self.preset_why.setText("")
        elif found:
            self.preset_why.setText(f"Read as {found.title} — {parsed.preset_why}. Its columns, priorities, null "
                                    "markers and date order are used unless you choose otherwise below.")
        else:
            self.preset_why.setText("No preset: no tool's header fingerprint was found, so the columns are suggested "
                                    "from their names." if chosen != NONE else
                                    "No preset, as chosen: the columns are suggested from their names.")

    def mapping_shown(self) -> dict[str, str]:
        """field -> the text of the chosen item (what the user sees; tests read it)."""
        return {name: combo.currentText() for name, combo in self.combos.items()}

    def isComplete(self) -> bool:
        return wizard_of(self).ready()

    def _build(self, kind: RecordKind) -> None:
        """One labelled combo per canonical field, in two columns (rebuilt when the kind changes)."""
        if kind == self._kind:
            return
        self._kind = kind
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos.clear()
        specs = FIELDS[kind]
        half = math.ceil(len(specs) / 2)
        for position, spec in enumerate(specs):
            combo = QComboBox(minimumContentsLength=18)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.activated.connect(lambda _index, name=spec.name: self._on_pick(name))
            label = QLabel(f"{spec.label}{' *' if spec.required else ''}")
            label.setBuddy(combo)
            if spec.required:
                label.setStyleSheet("font-weight: 600;")
            row, column = position % half, 2 * (position // half)
            self.grid.addWidget(label, row, column)
            self.grid.addWidget(combo, row, column + 1)
            self.combos[spec.name] = combo
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        chain = [*self.combos.values(), self.dayfirst, self.preview]  # Tab goes down the fields, then on
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _on_pick(self, name: str) -> None:
        wizard = wizard_of(self)
        if wizard.choices is None:
            return
        chosen = self.combos[name].currentData()
        mapping = dict(wizard.choices.mapping)
        if chosen is None:
            mapping.pop(name, None)
        else:
            mapping[name] = chosen
        wizard.change(mapping=mapping)

    def _on_preset(self, _index: int) -> None:
        wizard_of(self).change(preset=self.preset.currentData())

    def _on_dayfirst(self, _index: int) -> None:
        wizard_of(self).change(dayfirst=self.dayfirst.currentData())


def _fill(combo: QComboBox, spec: FieldSpec, mapped: str | None, headers: list[str]) -> None:
    """The file's columns, with the one the parse used current; item data is what the importer is told."""
    combo.blockSignals(True)
    combo.clear()
    mapped_text = mapped or ""
    from_title = mapped_text.startswith(("title row", "--"))
    if from_title:
        combo.addItem(f"from {mapped}" if mapped_text.startswith("title") else "from the chosen period", None)
    elif spec.required:
        combo.addItem("(choose a column)", None)
    else:
        combo.addItem("(not in the file)", UNMAPPED)
    repeated = Counter(headers)
    for index, header in enumerate(headers):
        letter = column_letter(index)
        combo.addItem(f"{letter}: {header}" if header else f"{letter} (no header)",
                      header if header and repeated[header] == 1 else letter)
    current = 0
    if mapped and not from_title and mapped != UNMAPPED:
        found = next((i for i, h in enumerate(headers) if h == mapped), None)
        if found is None:
            found = next((i for i in range(len(headers)) if column_letter(i) == mapped), None)
        current = 0 if found is None else found + 1
    combo.setCurrentIndex(current)
    combo.blockSignals(False)


class FindingsPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("What the checks found")
        self.setSubTitle("Rows with errors are rejected and left out of the import; warnings and notes are kept with "
                         "the batch. Double-click a finding to see its row in the file.")
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("sectionHeading")
        self.fatal = QLabel(wordWrap=True)
        self.fatal.setStyleSheet(ERROR_STYLE)
        self.fatal.setVisible(False)
        self.findings = FindingsPanel()
        self.findings.finding_activated.connect(self.jump_to)
        self.source = PreviewTable()
        self.where = QLabel(wordWrap=True)
        self.where.setStyleSheet(NOTE_STYLE)
        self.busy = BusyBar()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.addWidget(section_heading("The file as read: the header and the first rows, numbered as in the "
                                               "sheet"))
        lower_layout.addWidget(self.source, 1)
        lower_layout.addWidget(self.where)
        splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        splitter.addWidget(self.findings)
        splitter.addWidget(lower)
        splitter.setSizes([300, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.fatal)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.busy)

    def show_parsed(self, result: Parsed) -> None:
        parsed = result.parsed
        self.summary.setText(f"{parsed.rows_read:,} rows read: {parsed.rows_accepted:,} accepted, "
                             f"{parsed.rows_rejected:,} rejected (left out of the import).")
        self.fatal.setText(fatal_reason(parsed))
        self.fatal.setVisible(parsed.fatal)
        self.findings.set_findings(parsed.findings)
        self.source.set_table(*source_preview(parsed))
        self.where.clear()

    def jump_to(self, finding: Finding) -> None:
        """Show the finding's row in the source table, or say why it cannot be shown."""
        shown = self.source.table_model().rowCount() - 1
        if finding.row is None:
            self.where.setText("This finding is about a whole column or the file, not one row.")
        elif self.source.select_row_number(finding.row):
            self.where.setText(f"Row {finding.row} of '{finding.sheet}': {finding.message}")
        else:
            self.where.setText(f"Row {finding.row} is not among the first {max(shown, 0)} rows shown here; "
                               f"open the file at row {finding.row} to see it.")

    def isComplete(self) -> bool:
        wizard = wizard_of(self)
        return wizard.ready() and wizard.latest is not None and not wizard.latest.parsed.fatal


def blocking_message(parsed: ParsedImport) -> str:
    """The importer's sentence for why the file cannot go in (without the CLI option it names)."""
    blocking = _blocking(parsed)
    return _without_cli_hint(blocking.message) if blocking else "the file cannot be imported."


def fatal_reason(parsed: ParsedImport) -> str:
    """Why nothing can be imported from the file as it is, and what to do about it."""
    if not parsed.fatal:
        return ""
    blocking = _blocking(parsed)
    hint = {"ambiguous-dates": " Go Back and choose whether the dates are written day first or month first.",
            "missing-column": " Go Back and choose the column for each field marked *."}
    return (f"Nothing can be imported from this file as it is: {blocking_message(parsed)}"
            + hint.get(blocking.code if blocking else "", "") + " Finish stays disabled until this is resolved.")


def _blocking(parsed: ParsedImport) -> Finding | None:
    return next((f for f in parsed.findings if f.code in _BLOCKING), None) or next(
        (f for f in parsed.findings if f.severity is Severity.ERROR), None)


def _without_cli_hint(message: str) -> str:
    """The importer's sentences end with the CLI option to use; the wizard says what to do instead."""
    return re.sub(r"[;.]?\s*(choose with|Map them with) --.*$", ".", message)
