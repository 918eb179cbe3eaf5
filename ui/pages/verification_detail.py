"""The drill-down of one cell: how the figure was computed, its counts, the exclusions and the evidence rows."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import places_for, signed
from sltdesk.rules.cell_states import cell_state
from sltdesk.rules.evidence_tables import EvidenceTable
from sltdesk.services.ports import Workspace
from sltdesk.services.verification import Computation, cell_evidence
from ui.help import figure_link, link_opener
from ui.pages.verification_evidence import EvidencePanel
from ui.pages.verification_grid import FOREGROUND
from ui.pages.verification_text import figure_text, met_text, symbol
from ui.table_model import RIGHT, Column
from ui.table_panel import TablePanel

SHOWN_SPANS = 4  # calibration: how many disagreeing spans are listed
MAX_EXCLUSIONS_HEIGHT = 150  # about five exclusions; more scroll


@dataclass(frozen=True)
class DrillData:
    """What a drill-down loads off the GUI thread."""

    row: int
    column: int
    evidence: EvidenceTable | None
    calibration: str = ""


def drill(ws: Workspace, computation: Computation, row: int, column: int) -> DrillData:
    """Runs on a worker: the rows behind one figure and, for sample targets, the outage-log calibration."""
    found = cell_evidence(ws, computation, row, column)
    calibration = calibration_text(found.calibration, found.zone) if found.calibration is not None else ""
    return DrillData(row, column, found.table, calibration)


def calibration_text(found, zone) -> str:
    """'Vendor's outage log 5 min, our samples 10 min, both 5 min; only in samples: 18 Jan 14:05–14:10.'"""
    def spans(pairs) -> str:
        shown = [f"{datetime.fromtimestamp(a, UTC).astimezone(zone):%d %b %H:%M}–"
                 f"{datetime.fromtimestamp(b, UTC).astimezone(zone):%H:%M}" for a, b in pairs[:SHOWN_SPANS]]
        more = f" and {len(pairs) - SHOWN_SPANS} more" if len(pairs) > SHOWN_SPANS else ""
        return ", ".join(shown) + more
    text = (f"Calibration — vendor's outage log {found.outage_minutes:g} min down, our samples "
            f"{found.sample_minutes:g} min, both {found.both_minutes:g} min.")
    if found.only_in_outages:
        text += f" Only in the log: {spans(found.only_in_outages)}."
    if found.only_in_samples:
        text += f" Only in the samples: {spans(found.only_in_samples)}."
    return text


def exclusion_columns() -> list[Column]:
    return [
        Column("Excluded because", "reason", tooltip=True),
        Column("Kind", "kind"),
        Column("Minutes", "minutes", display=lambda e: f"{e.minutes:,f}" if e.minutes else "", align=RIGHT),
        Column("Tickets", "tickets", display=lambda e: f"{e.tickets:,}" if e.tickets else "", align=RIGHT),
        Column("Reference", "reference"),
    ]


def counts_text(counts: dict[str, Decimal | int]) -> str:
    parts = []
    for name, value in counts.items():
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
        parts.append(f"{name.replace('_', ' ')} {shown}")
    return " · ".join(parts)


class DrillDown(QWidget):
    """The selected cell, explained: verdicts side by side, explanation, counts, exclusions, evidence."""

    mark_requested = Signal(object)  # the incomplete result whose period the user marks complete as imported

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: AttainmentResult | None = None
        self.title = QLabel("Select a cell of the grid")
        self.title.setObjectName("sectionHeading")
        self.mark_button = QPushButton("Mark the period complete as imported…")
        self.mark_button.setToolTip("The vendor confirmed there is no more data: judge the period on what is "
                                    "imported, with the target's missing-data policy for the rest (audited).")
        self.mark_button.clicked.connect(lambda: self.mark_requested.emit(self.result))
        self.verdict = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.explanation = QLabel(wordWrap=True)
        self.counts = QLabel(wordWrap=True)
        self.counts.setObjectName("rowCount")
        self.calibration = QLabel(wordWrap=True)
        self.help_link = QLabel(textFormat=Qt.TextFormat.RichText)  # "What's this figure?" → the guide
        self.help_link.linkActivated.connect(link_opener(self))
        for label in (self.verdict, self.explanation, self.counts, self.calibration):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exclusions = TablePanel(exclusion_columns(), stretch=0)
        self.exclusions.filter.hide()
        self.exclusions.count.hide()
        self.exclusions_heading = QLabel("Exclusions")
        self.exclusions_heading.setObjectName("sectionHeading")
        self.evidence = EvidencePanel()
        self.evidence_heading = QLabel("Evidence")
        self.evidence_heading.setObjectName("sectionHeading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.verdict, self.explanation, self.help_link, self.mark_button, self.counts,
                       self.calibration,
                       self.exclusions_heading, self.exclusions, self.evidence_heading):
            layout.addWidget(widget)
        layout.setAlignment(self.mark_button, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.evidence, 1)
        self.show_result(None)

    def show_result(self, result: AttainmentResult | None) -> None:
        """The figures of the cell at once; the evidence follows from the background (show_evidence)."""
        self.result = result
        self.calibration.hide()
        self.mark_button.setVisible(result is not None and result.completeness == "incomplete")
        self.help_link.setText("" if result is None else figure_link(
            result.metric, incomplete=result.completeness == "incomplete"))
        if result is None:
            self.title.setText("Select a cell of the grid (arrows move, Enter drills down)")
            for label in (self.verdict, self.explanation, self.counts):
                label.setText("")
            self.exclusions.set_rows([])
            self.exclusions.hide()
            self.evidence.show_table(None)
            return
        state = cell_state(result)
        waiting = result.completeness in ("incomplete", "in progress")
        self.title.setText(f"{result.target} · {result.period} — {result.completeness if waiting else state.value}")
        self.verdict.setText(_verdict_html(result, FOREGROUND[state]))
        self.explanation.setText(result.explanation + (f". Error budget: {result.error_budget}."
                                                       if result.error_budget else "")
                                 + "".join(f"\nEarly warning: {w}." for w in result.warnings))
        self.counts.setText(counts_text(result.counts))
        self.exclusions.set_rows(list(result.exclusions))
        self.exclusions.setVisible(bool(result.exclusions))
        view = self.exclusions.view
        self.exclusions.setFixedHeight(min(view.horizontalHeader().sizeHint().height() + 6 + len(
            result.exclusions) * view.verticalHeader().defaultSectionSize(), MAX_EXCLUSIONS_HEIGHT))
        self.exclusions_heading.setText(f"Exclusions ({len(result.exclusions)})" if result.exclusions
                                        else "Exclusions — nothing was excluded")
        self.evidence_heading.setText("Evidence — loading…")
        self.evidence.show_table(None)

    def show_evidence(self, data: DrillData) -> None:
        self.evidence.show_table(data.evidence)
        table = data.evidence
        self.evidence_heading.setText(f"Evidence: {len(table.rows):,} {table.kind}" if table else
                                      "Evidence — none: this target has no measurement rule or no data")
        self.calibration.setText(data.calibration)
        self.calibration.setVisible(bool(data.calibration))


def _verdict_html(result: AttainmentResult, color: str) -> str:
    ours = (f'Ours <b style="color:{color}">{figure_text(result.achieved, result)}</b> '
            f"({met_text(result.met)}; target {symbol(result.comparison)} {result.threshold:f} {result.unit})")
    if result.threshold_note:
        ours += f" · {html.escape(result.threshold_note)}"
    if result.tier is not None:
        tier = result.tier
        ours += (f" · {html.escape(tier.target)} <b>{figure_text(tier.achieved, tier)}</b> ({met_text(tier.met)}; "
                 f"target {symbol(tier.comparison)} {tier.threshold:f} {tier.unit})")
    if result.reported is None:
        return ours + " · the vendor reported nothing for this period"
    vendor = f"vendor reported <b>{result.reported:f}</b> ({met_text(result.reported_met)})"
    difference = f"difference {signed(result.difference, places=places_for(result.unit))}" \
        if result.difference is not None else ""
    flip = ' · <b style="color:#b3261e">⚠ “met” flips</b>' if result.met_flips else ""
    return " · ".join(p for p in (ours, vendor, difference) if p) + flip
