"""Contract targets: what each contract promises, and the form of the selected target."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.register import ChargesPeriod, Comparison, Contract, ContractTarget, MetricKind, ServiceCalendar
from sltdesk.services.register import list_records
from sltdesk.services.views import target_rows
from ui.forms import ChoiceEditor, DateEditor, DecimalEditor, Editor, NotesEditor, TextEditor, enum_choices
from ui.pages.negotiation import NegotiationPanel
from ui.pages.register_page import RegisterData, RegisterPage, by_id
from ui.pages.target_rule import RuleEditor
from ui.table_model import Column
from ui.unsaved import Edits


class TargetsPage(RegisterPage):
    title = "Targets"
    kind = ContractTarget
    noun = "target"
    stretch = 5  # the calendar takes the spare width, and gives it up first, so the target's name stays whole

    @staticmethod
    def load(ws: SqlWorkspace) -> RegisterData:
        records = by_id(list_records(ws, ContractTarget))
        lookups = {"contracts": sorted(list_records(ws, Contract), key=lambda c: c.ref),
                   "calendars": sorted(list_records(ws, ServiceCalendar), key=lambda c: c.name)}
        return RegisterData(target_rows(ws), records, lookups)

    def depends_on(self, entity: str) -> bool:
        return entity in ("contract", "contract_target", "service_calendar", "measurement_rule")

    def details(self) -> QWidget:
        """How the selected target is measured, and its Negotiation panel, under its form."""
        self.rule_editor = RuleEditor(self.ctx)
        self.negotiation = NegotiationPanel(self.ctx)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self.rule_editor, "&Measurement")
        self.detail_tabs.addTab(self.negotiation, "Ne&gotiation")
        return self.detail_tabs

    def _load_form(self, record: Any) -> None:
        super()._load_form(record)
        editing = self.rule_editor.target
        if self.rule_editor.form.dirty and editing is not None and editing.id == record.id:
            self.rule_editor.target = record  # the list reloaded under unsaved rule typing: keep it
        else:
            self.rule_editor.show_target(record)
        self.negotiation.show_target(record)

    def pending_edits(self) -> list[Edits]:
        """The rule's typing first: saving the target's form shows its stored rule again."""
        return [self.rule_editor.pending_edits(), *super().pending_edits()]

    def _show_row(self, row: Any | None) -> None:
        super()._show_row(row)
        if self.before is None:
            self.rule_editor.show_target(None)
            self.negotiation.show_target(None)

    def columns(self) -> list[Column]:
        return [
            Column("Contract", "contract"),
            Column("Target", "name"),
            Column("Metric", "metric"),
            Column("Rule", lambda r: r.threshold, display=lambda r: f"{r.comparison} {r.threshold:f} {r.unit}"),
            Column("Period", "measurement_period"),
            Column("Calendar", "calendar", tooltip=True),
        ]

    def fields(self) -> list[tuple[str, str, Editor]]:
        return [
            ("contract_id", "&Contract",
             ChoiceEditor(empty_message="Create the contract first, on the Contracts page.")),
            ("name", "&Name", TextEditor(placeholder="e.g. Core network availability")),
            ("metric", "&Metric", ChoiceEditor(enum_choices(MetricKind))),
            ("comparison", "C&omparison", ChoiceEditor([(f"{c.value}  ({c.name.lower().replace('_', ' ')})", c)
                                                        for c in Comparison])),
            ("threshold", "&Threshold", DecimalEditor()),
            ("unit", "&Unit", TextEditor(placeholder="% or min or h", max_length=20)),
            ("measurement_period", "Measured &per", ChoiceEditor(enum_choices(ChargesPeriod))),
            ("calendar_id", "Ca&lendar", ChoiceEditor()),
            ("description", "&Description", NotesEditor(lines=3)),
            ("review_by", "&Review by", DateEditor(optional=True)),
            ("reviewed_on", "Last re&viewed", DateEditor(optional=True)),
            ("expected_volume", "Expected v&olume", DecimalEditor(optional=True)),
            ("volume_margin", "Volume mar&gin %", DecimalEditor(optional=True)),
        ]

    def apply_lookups(self, lookups: dict[str, Any]) -> None:
        contracts = [(f"{c.ref} — {c.title}", c.id) for c in lookups.get("contracts", [])]
        calendars = [("(around the clock)", None)] + [(c.name, c.id) for c in lookups.get("calendars", [])]
        self.form.choice("contract_id").set_choices(contracts)
        self.form.choice("calendar_id").set_choices(calendars)

    def new_values(self) -> dict[str, Any]:
        first_contract = self.form.choice("contract_id").widget.itemData(0)
        return {"contract_id": first_contract, "name": "", "metric": MetricKind.AVAILABILITY,
                "comparison": Comparison.AT_LEAST, "threshold": None, "unit": "%",
                "measurement_period": ChargesPeriod.MONTH, "calendar_id": None, "description": "",
                "review_by": None, "reviewed_on": None, "expected_volume": None, "volume_margin": None}
