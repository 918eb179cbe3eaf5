"""How the selected contract target is measured: the measurement-rule editor under the target form, with the
latest complete month's figure under the rule as it is being edited (computed in the background)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from sltdesk.domain.measurement import Budgeting, MeasurementRule, MissingData, Source
from sltdesk.domain.money import Rounding
from sltdesk.domain.register import ContractTarget, MetricKind
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError, StaleRecordError, ValidationError
from sltdesk.rules.measurement_rules import RESPONSES, STARTS, STOPS, lacks_time_limit, rule_field_errors
from sltdesk.services.measurement_rules import preview_rule
from sltdesk.services.register import list_records
from ui import dialogs
from ui.context import WorkspaceContext
from ui.forms import ChoiceEditor, DecimalEditor, Editor, FormErrors, IntEditor, RecordForm, TextEditor, enum_choices
from ui.undo import remove_record, save_record
from ui.unsaved import Edits
from ui.workers import run_in_background

YES_NO = [("no", False), ("yes", True)]
COMMON = ("source", "service", "maintenance_notice_days", "report_name", "compare_places", "compare_rounding",
          "seasons", "tier_calendar", "tier_threshold", "tier_pricing")
BY_SOURCE = {
    Source.TICKETS: ("priority", "stop", "start", "limit_minutes", "percentile", "business_clock", "pause_states",
                     "initial_states", "response_on"),
    Source.OUTAGES: ("weighted_by_impact",),
    Source.SAMPLES: ("limit_minutes", "percentile", "error_limit_percent", "missing_data", "budgeting",
                     "interval_seconds", "probe"),
}
PREVIEW_DELAY_MS = 400


class StatesEditor(Editor):
    """Event-log states separated by ';' (Awaiting Customer; On Hold)."""

    def __init__(self, placeholder: str) -> None:
        self.widget: QLineEdit = QLineEdit(placeholderText=placeholder)

    def get(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.strip() for p in self.widget.text().split(";") if p.strip()))

    def set(self, value: Any) -> None:
        self.widget.setText("; ".join(value or ()))

    def changed_signal(self) -> Any:
        return self.widget.textChanged


class OptionalDecimalEditor(DecimalEditor):
    """A number that may be left empty (None): a core-hours tier's threshold."""

    def get(self) -> Decimal | None:
        return super().get() if self.widget.text().strip() else None


def rule_fields() -> list[tuple[str, str, Editor]]:
    return [
        ("source", "Measured &from", ChoiceEditor(enum_choices(Source))),
        ("priority", "Priority", TextEditor(placeholder="P1; empty: every priority", max_length=40)),
        ("stop", "Clock stops at", ChoiceEditor([(s, s) for s in STOPS])),
        ("start", "Clock starts at", ChoiceEditor([(s, s) for s in STARTS])),
        ("limit_minutes", "Limit (min / ms)", DecimalEditor()),
        ("percentile", "Percentile", IntEditor(minimum=1, maximum=100)),
        ("business_clock", "Business clock", ChoiceEditor(YES_NO)),
        ("pause_states", "Pause states", StatesEditor("Awaiting Customer; On Hold")),
        ("initial_states", "Initial states", StatesEditor("empty: New; Unassigned")),
        ("response_on", "Responded means", ChoiceEditor([(r, r) for r in RESPONSES])),
        ("weighted_by_impact", "Weighted by impact", ChoiceEditor(YES_NO)),
        ("error_limit_percent", "Error limit %", DecimalEditor()),
        ("missing_data", "Missing data", ChoiceEditor(enum_choices(MissingData))),
        ("budgeting", "Budgeting", ChoiceEditor(enum_choices(Budgeting))),
        ("interval_seconds", "Interval", IntEditor(minimum=1, maximum=86_400, suffix=" s")),
        ("probe", "Probe", TextEditor(placeholder="empty: every probe")),
        ("service", "Service filter", TextEditor(placeholder="empty: every service")),
        ("maintenance_notice_days", "Maintenance notice", IntEditor(minimum=0, maximum=3650, suffix=" days")),
        ("report_name", "Name in vendor report", TextEditor()),
        ("compare_places", "Contract rounds to",
         ChoiceEditor([("(compared exactly)", None)] + [(f"{n} decimals", n) for n in range(0, 11)])),
        ("compare_rounding", "Rounding", ChoiceEditor(enum_choices(Rounding))),
        ("seasons", "Seasons", TextEditor(placeholder="15 Nov-15 Jan: 99.95; empty: one threshold all year")),
        ("tier_calendar", "Core-hours calendar", TextEditor(placeholder="empty: no core-hours tier")),
        ("tier_threshold", "Core-hours threshold", OptionalDecimalEditor()),
        ("tier_pricing", "Tiers priced (unless the clause says)",
         ChoiceEditor([("each tier separately", "each"), ("the worse of the two", "worse")])),
    ]


class RuleEditor(QWidget):
    """The rule of one contract target: edit, save (undoable, audited), remove, and preview the figure."""

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.target: ContractTarget | None = None
        self.before: MeasurementRule | None = None
        self.form = RecordForm("How it is measured", rule_fields())
        self.form.delete_button.setText("Remove rule…")
        self.form.save_requested.connect(self.save)
        ctx.gate(self.form.save_button, Permission.EDIT)
        ctx.gate(self.form.delete_button, Permission.EDIT)
        self.form.revert_button.clicked.connect(self.revert)
        self.form.delete_requested.connect(self.remove)
        self.preview = QLabel(wordWrap=True)
        self.preview.setObjectName("muted")
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._compute_preview)
        self._asked = 0  # the preview last asked for; older answers are dropped
        for editor in self.form.editors.values():
            editor.changed_signal().connect(self._edited)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        layout.addWidget(self.preview)
        self.show_target(None)

    # --- the target shown --------------------------------------------------------------------
    def show_target(self, target: ContractTarget | None) -> None:
        self.target = target
        rule = None
        if target is not None and target.id is not None and self.ctx.workspace is not None:
            rule = next((r for r in list_records(self.ctx.workspace, MeasurementRule) if r.target_id == target.id),
                        None)
        self.before = rule
        self.setEnabled(target is not None and target.id is not None)
        shown = rule or MeasurementRule(target_id=(target.id or 0) if target else 0, source=_default_source(target))
        self.form.load({f.name: getattr(shown, f.name) for f in dataclasses.fields(shown)},
                       heading="How it is measured" if rule else "How it is measured (no rule yet: not measured)")
        self.form.delete_button.setEnabled(rule is not None)
        self._show_fields()
        self.preview.setText("" if target is None else "Preview: computing…")
        self._schedule()

    def _show_fields(self) -> None:
        source = Source(self.form.editors["source"].get())
        wanted = set(COMMON) | set(BY_SOURCE.get(source, ()))
        for name in self.form.editors:
            self.form.show_field(name, name in wanted)

    # --- editing -------------------------------------------------------------------------------
    def edited_rule(self) -> MeasurementRule:
        """The rule as the form shows it; raises FormErrors / ValidationError with a message per field."""
        target = self.target
        assert target is not None and target.id is not None  # the editor is enabled for a stored target only
        values = self.form.read()
        for name, kind in (("source", Source), ("missing_data", MissingData), ("budgeting", Budgeting),
                           ("compare_rounding", Rounding)):
            values[name] = kind(values[name])  # a combo box hands an enumeration back as its text
        rule = MeasurementRule(target_id=target.id, **values, id=self.before.id if self.before else None,
                               version=self.before.version if self.before else 1)
        errors = rule_field_errors(rule)
        if lacks_time_limit(rule.source, rule.limit_minutes,
                            cycle_time=target.metric is MetricKind.CYCLE_TIME_PERCENTILE):
            errors.setdefault("limit_minutes", "A ticket target needs its time limit in minutes (more than 0).")
        if errors:
            raise ValidationError(errors)
        return rule

    def save(self) -> bool:
        if self.target is None or self.ctx.workspace is None:
            return False
        try:
            stored = save_record(self.ctx, self.before, self.edited_rule())
        except (SltDeskError, FormErrors) as error:
            self._refused(error)
            return False
        self._show_stored(stored)
        return True

    def _show_stored(self, stored: MeasurementRule) -> None:
        self.before = stored
        self.form.load({f.name: getattr(stored, f.name) for f in dataclasses.fields(stored)},
                       heading="How it is measured")
        self.form.delete_button.setEnabled(True)

    def _refused(self, error: SltDeskError | FormErrors) -> None:
        """Field errors beside the fields; a stale rule offers to reload; anything else in a sentence."""
        if isinstance(error, (ValidationError, FormErrors)):
            self.form.show_errors(error.fields)
        elif isinstance(error, StaleRecordError):  # someone else changed the rule since the form showed it
            if dialogs.offer_reload(self, str(error)):
                self.show_target(self.target)
        else:
            dialogs.warn(self, str(error))

    def revert(self) -> None:
        self.show_target(self.target)

    def pending_edits(self) -> Edits:
        """The rule's unsaved typing, for the question asked before it would be dropped."""
        return Edits(what=lambda: f"how {self.target.name if self.target else 'the target'} is measured",
                     dirty=lambda: self.form.dirty and self.isEnabled(), save=self.save, discard=self.revert)

    def remove(self) -> None:
        if self.before is None or self.target is None or self.ctx.workspace is None or not dialogs.confirm(
                self, f"Remove how {self.target.name} is measured? It will have no figure until it gets a rule "
                      "again. You can undo this with Ctrl+Z.", action="Remove"):
            return
        try:
            remove_record(self.ctx, self.before)
        except SltDeskError as error:
            dialogs.warn(self, str(error))
            return
        self.show_target(self.target)

    def _edited(self, *_: object) -> None:
        self._show_fields()
        self._schedule()

    # --- preview -------------------------------------------------------------------------------
    def _schedule(self) -> None:
        if self.target is not None:
            self._timer.start()

    def _compute_preview(self) -> None:
        rule = self._rule_to_preview()
        if rule is None or self.target is None:
            return
        self._asked += 1
        self.preview.setText("Preview: computing…")
        run_in_background(preview_rule, self.ctx.workspace, self.target.id, rule,
                          on_done=partial(self._show_preview, self._asked),
                          on_error=partial(self._preview_failed, self._asked))

    def _rule_to_preview(self) -> MeasurementRule | None:
        """The rule as typed, when there is a target to preview it on; the fields' problems said instead."""
        if self.target is None or self.ctx.workspace is None:
            return None
        try:
            return self.edited_rule()
        except (ValidationError, FormErrors) as error:
            self.preview.setText("Preview: fix the fields first — " + " ".join(error.fields.values()))
            return None

    def _preview_failed(self, asked: int, error: BaseException) -> None:
        self._show_preview(asked, f"cannot compute it ({error}).")

    def _show_preview(self, asked: int, text: str) -> None:
        if asked == self._asked:
            self.preview.setText(f"Preview: {text}")


def _default_source(target: ContractTarget | None) -> Source:
    if target is None:
        return Source.OUTAGES
    if target.metric in (MetricKind.RESPONSE_TIME, MetricKind.RESOLUTION_TIME, MetricKind.CYCLE_TIME_PERCENTILE):
        return Source.TICKETS
    return Source.SAMPLES if target.metric is not MetricKind.AVAILABILITY else Source.OUTAGES
