"""Services & mapping: business unit → service → end-to-end target → component → contract target,
coloured by coverage; the chain diagram, the components × suppliers matrix and the target's details."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace
from sltdesk.domain.mapping import Component, ComponentMapping
from sltdesk.domain.register import Contract, ContractTarget, Service, ServiceCalendar, Supplier
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError, ValidationError
from sltdesk.services import mapping as mapping_service
from sltdesk.services.coverage import ComponentCoverage, TargetCoverage, coverage_report, summary
from sltdesk.services.register import get_record, list_records, restore_record
from ui import dialogs
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.pages import mapping_detail
from ui.pages.base import Page
from ui.pages.mapping_diagram import STATUS_COLORS, STATUS_TINTS, ChainView
from ui.pages.mapping_views import KEY_ROLE, CoverageTree, SupplierMatrix
from ui.pages.register_page import by_id
from ui.style import section_heading
from ui.undo import VersionChain
from ui.unsaved import Edits, may_leave

_ENTITIES = {"end_to_end_target", "component", "component_mapping", "escalation_level", "contract_target",
             "contract", "supplier", "service", "business_unit", "service_calendar"}


@dataclass(frozen=True)
class MappingData:
    report: list[TargetCoverage]
    counts: dict[str, int]
    suppliers: list[Supplier]
    contracts: list[tuple[str, int]]  # "NW-2025-014 — Managed WAN (Northwind Networks)", id
    contract_targets: list[tuple[str, int, str]]  # label, id, metric
    calendars: list[tuple[str, int]]
    services: list[tuple[str, int]] = field(default_factory=list)


class MappingCommand(QUndoCommand):
    """An undoable mapping change: done once before it is pushed; undo/redo call the services again."""

    def __init__(self, ctx: WorkspaceContext, text: str, redo: Callable[[], object], undo: Callable[[], object]):
        super().__init__(text)
        self.ctx, self._redo, self._undo, self._first = ctx, redo, undo, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._step(self._redo)

    def undo(self) -> None:
        self._step(self._undo)

    def _step(self, action: Callable[[], object]) -> None:
        try:
            action()
        except SltDeskError as error:
            self.setObsolete(True)
            report_exception(error)
            return
        self.ctx.notify_changed("component_mapping")


class MappingPage(Page):
    title = "Services & mapping"

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = MappingData([], {}, [], [], [], [])
        self._wanted: tuple | None = None
        self._asking = False  # the unsaved-details question is open: tree changes meanwhile are ours
        self.counts_label = QLabel(wordWrap=True)  # above the tree: the buttons need the row
        self.counts_label.setObjectName("rowCount")
        self.new_target_button = QPushButton("New end-to-end target…")
        self.new_target_button.setToolTip("A target a service owes its business unit (Ctrl+N)")
        self.new_component_button = QPushButton("New component…")
        self.new_component_button.setToolTip("A responsibility boundary in the selected target's chain")
        self.edit_component_button = QPushButton("Edit component…")
        self.edit_component_button.setToolTip("Rename, move or reweight the selected component")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected component, or the selected end-to-end target once its "
                                      "chain is empty")
        self.assign_any_button = QPushButton("Assign a contract target…")
        self.assign_any_button.setToolTip("Say which contract target covers the selected component")
        for button in (self.new_target_button, self.new_component_button, self.edit_component_button,
                       self.delete_button, self.assign_any_button):
            ctx.gate(button, Permission.EDIT)
        self.new_target_button.clicked.connect(self.create_end_to_end_target)
        self.new_component_button.clicked.connect(self.create_component)
        self.assign_any_button.clicked.connect(self.assign_contract_target)
        self.edit_component_button.clicked.connect(self.edit_component)
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.new_target_button, self.new_component_button, self.edit_component_button,
                       self.assign_any_button, self.delete_button):
            self.actions_row.addWidget(button)
        self.tree = CoverageTree()
        self.tree.currentItemChanged.connect(self._on_selected)
        self.gap_bar = self._make_gap_bar()
        self.diagram = ChainView()
        self.chain_caption = QLabel(wordWrap=True)
        self.findings = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.matrix = SupplierMatrix()
        self.details = mapping_detail.TargetDetails()
        ctx.gate(self.details.save_button, Permission.EDIT)
        self.details.save_requested.connect(self.save_details)
        self.tabs = QTabWidget()
        chain = QWidget()
        chain_layout = QVBoxLayout(chain)
        chain_layout.addWidget(self.chain_caption)
        chain_layout.addWidget(self.diagram, 3)
        chain_layout.addWidget(section_heading("Findings"))
        chain_layout.addWidget(self.findings, 2)
        self.tabs.addTab(chain, "Chain")
        self.tabs.addTab(self.matrix, "Components × suppliers")
        self.tabs.addTab(self.details, "Target details")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.counts_label)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.gap_bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 870])
        self.body.addWidget(splitter, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> MappingData:
        report = coverage_report(ws)
        suppliers = by_id(list_records(ws, Supplier))
        contracts = by_id(list_records(ws, Contract))
        targets = by_id(list_records(ws, ContractTarget))
        return MappingData(
            report, summary(report), sorted(suppliers.values(), key=lambda s: s.name.casefold()),
            sorted((f"{c.ref} — {c.title} ({suppliers[c.supplier_id].name})", cid) for cid, c in contracts.items()),
            sorted((f"{contracts[t.contract_id].ref} · {t.name} ({t.metric.value} {t.comparison.value} "
                    f"{t.threshold:f} {t.unit})", tid, t.metric.value) for tid, t in targets.items()),
            sorted((c.name, cid) for cid, c in by_id(list_records(ws, ServiceCalendar)).items()),
            sorted((s.name, sid) for sid, s in by_id(list_records(ws, Service)).items()))

    def depends_on(self, entity: str) -> bool:
        return entity in _ENTITIES

    def show_data(self, data: MappingData | None) -> None:
        wanted = self._wanted or self.tree.current_key()
        self._wanted = None
        self.data = data or MappingData([], {}, [], [], [], [])
        counts = self.data.counts
        self.counts_label.setText(
            f"{counts.get('targets', 0)} end-to-end targets · {counts.get('gap', 0)} gap · "
            f"{counts.get('partial', 0)} partial · {counts.get('overlap', 0)} overlap · "
            f"{counts.get('shortfalls', 0)} shortfall" if counts else "")
        self.tree.fill(self.data.report)
        self.matrix.show_report(self.data.report, self.data.suppliers)
        if not self.select(wanted):
            first = next((t for t in self.data.report), None)
            self.select(("target", first.target_id) if first else None)

    def select(self, key: tuple | None) -> bool:
        """Make the tree item with this key current (showing its target); False when there is none."""
        if key is None:
            self._on_selected(None)
            return False
        item = self.tree.item_for(*key)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self._on_selected(item)
        return True

    def item_for(self, *key: Any) -> QTreeWidgetItem | None:
        return self.tree.item_for(*key)

    def current_target(self) -> TargetCoverage | None:
        key = self.tree.current_key()
        if not key or key[0] not in ("target", "component", "contract_target"):
            return None
        return next((t for t in self.data.report if t.target_id == key[1]), None)

    def current_component(self) -> ComponentCoverage | None:
        key = self.tree.current_key()
        target = self.current_target()
        if not key or not target or key[0] not in ("component", "contract_target"):
            return None
        return next((c for c in target.components if c.component_id == key[2]), None)

    # --- unsaved typing in the details ----------------------------------------------------------
    def pending_edits(self) -> list[Edits]:
        details = self.details
        return [Edits(what=lambda: f"the details of {details.coverage.name if details.coverage else 'the target'}",
                      dirty=lambda: details.dirty and details.coverage is not None, save=self.save_details_now,
                      discard=lambda: details.show_target(details.coverage))]

    def may_leave(self) -> bool:
        return self._asking or may_leave(self, self.pending_edits())

    def save_details_now(self) -> bool:
        """Store the details as typed; False (the message shown in the panel) when they cannot be stored."""
        if self.details.coverage is None:
            return False
        try:
            target, levels = self.details.read()
        except ValueError as error:
            self.details.show_error(str(error))
            return False
        return self.save_details(target, levels)

    def _leave_details(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> bool:
        """Another tree item was chosen with the details' typing unsaved: True to show it, False to stay."""
        assert self.details.coverage is not None  # asked only while the details hold typing for a target
        edited = self.details.coverage.target_id
        self._asking = True
        try:
            if may_leave(self, self.pending_edits()):
                self._wanted = item.data(0, KEY_ROLE) if item is not None else None  # a save reloads: stay there
                return True
            back = previous or self.tree.item_for("target", edited)
            if back is not None:
                self.tree.setCurrentItem(back)  # back where the user was
            return False
        finally:
            self._asking = False

    def _on_selected(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None = None, *_: object) -> None:
        if self._asking:
            return
        if self._typing_elsewhere(item) and not self._leave_details(item, previous):
            return
        target, edited = self.current_target() if item is not None else None, self.details.coverage
        self._show_target(target, keep_typing=self.details.dirty and target is not None and edited is not None
                          and target.target_id == edited.target_id)
        self._show_component(target, self.current_component() if item is not None else None)

    def _typing_elsewhere(self, item: QTreeWidgetItem | None) -> bool:
        """The details hold unsaved typing for another target than the one of `item`."""
        target, coverage = self.current_target() if item is not None else None, self.details.coverage
        return self.details.dirty and coverage is not None and getattr(target, "target_id", None) != coverage.target_id

    def _show_target(self, target: TargetCoverage | None, *, keep_typing: bool) -> None:
        """The chain, its caption and findings, the details (typing over a target whose list reloaded is kept)."""
        self.diagram.show_target(target)
        self.chain_caption.setText(_caption(target))
        self.findings.setText(_findings(target))
        if target is not self.details.coverage and not keep_typing:
            self.details.show_target(target)
        self.matrix.highlight(target)
        self.new_component_button.setEnabled(target is not None)
        self.delete_button.setEnabled(target is not None)

    def _show_component(self, target: TargetCoverage | None, component: ComponentCoverage | None) -> None:
        """The component's buttons, and the gap bar when nobody covers it."""
        for button in (self.edit_component_button, self.assign_any_button):
            button.setEnabled(component is not None)
        self.gap_bar.setVisible(component is not None and component.status.value == "gap")
        if component is not None and target is not None:
            self.gap_text.setText(f"Nobody is contractually responsible for '{component.name}' "
                                  f"({target.target}). Assign a contract target that covers it, or create one.")

    # --- actions ------------------------------------------------------------------------------
    def _make_gap_bar(self) -> QFrame:
        bar = QFrame()
        bar.setVisible(False)
        bar.setObjectName("gapBar")
        bar.setStyleSheet(f"QFrame#gapBar {{ background: {STATUS_TINTS['partial']}; border: 1px solid "
                          f"{STATUS_COLORS['gap']}; border-radius: 6px; }}")
        self.gap_text = QLabel(wordWrap=True)
        self.assign_button = QPushButton("Assign a contract target…")
        self.create_button = QPushButton("Create a contract target…")
        self.assign_button.clicked.connect(self.assign_contract_target)
        self.create_button.clicked.connect(self.create_contract_target)
        self.ctx.gate(self.assign_button, Permission.EDIT)
        self.ctx.gate(self.create_button, Permission.EDIT)
        layout = QVBoxLayout(bar)
        layout.addWidget(self.gap_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return bar

    def new_record(self) -> None:
        """Ctrl+N on this page: a new end-to-end target."""
        self.create_end_to_end_target()

    def _attempt(self, ask: Callable[[], Any], store: Callable[[Any], Any]) -> Any:
        """Ask (a dialog; None: cancelled), then store the answer; a refusal is shown as a warning. The stored
        record, or None."""
        try:
            answer = ask()
            return None if answer is None else store(answer)
        except ValidationError as error:
            dialogs.warn(self, " ".join(error.fields.values()))
        except (SltDeskError, ValueError) as error:
            dialogs.warn(self, str(error))
        return None

    def create_end_to_end_target(self) -> None:
        ws = self.ctx.workspace
        if ws is None:
            return
        stored = self._attempt(lambda: mapping_detail.new_end_to_end_target(self, self.data.services,
                                                                            self.data.calendars),
                               lambda new: mapping_service.create_target(ws, new))
        if stored is None:
            return
        self._push(f"Create end-to-end target {stored.name}", lambda: restore_record(ws, stored),
                   lambda: mapping_service.delete_target(ws, stored.id), ("target", stored.id))

    def create_component(self) -> None:
        target, ws = self.current_target(), self.ctx.workspace
        if target is None or ws is None:
            return dialogs.warn(self, "Select the end-to-end target the component belongs to first.")
        next_stage = max((c.stage for c in target.components), default=0) + 1
        stored = self._attempt(lambda: mapping_detail.new_component(self, target.name, next_stage),
                               lambda answer: mapping_service.save_component(ws, Component(target.target_id, *answer)))
        if stored is not None:
            self._push(f"Create component {stored.name}", lambda: restore_record(ws, stored),
                       lambda: mapping_service.delete_component(ws, stored.id),
                       ("component", target.target_id, stored.id))

    def _edited_component(self, ws: Any, target_name: str, before: Component) -> Component | None:
        """Ask for the component's new name, stage and weight and store them (None: cancelled or refused)."""
        return self._attempt(
            lambda: mapping_detail.new_component(self, target_name, before.stage, name=before.name,
                                                 weight=before.weight, title=f"Edit component {before.name}"),
            lambda answer: mapping_service.save_component(ws, dataclasses.replace(
                before, name=answer[0], stage=answer[1], weight=answer[2])))

    def edit_component(self) -> None:
        target, component, ws = self.current_target(), self.current_component(), self.ctx.workspace
        if target is None or component is None or ws is None:
            return dialogs.warn(self, "Select the component to edit first.")
        before = get_record(ws, Component, component.component_id)
        after = self._edited_component(ws, target.name, before)
        if after is None:
            return
        chain = VersionChain(lambda record: mapping_service.save_component(ws, record), after)
        self._push(f"Edit component {after.name}", lambda: chain.put(after), lambda: chain.put(before),
                   ("component", target.target_id, after.id))

    def delete_selected(self) -> None:
        """Delete the selected component, or the selected end-to-end target once it has no components."""
        target, component = self.current_target(), self.current_component()
        if target is None or self.ctx.workspace is None:
            return
        if component is not None:
            self._delete_component(target, component)
        elif target.components:
            dialogs.warn(self, f"{target.name} still has {len(target.components)} components; delete them first.")
        else:
            self._delete_target(target)

    def _delete_component(self, target: TargetCoverage, component: ComponentCoverage) -> None:
        ws = self.ctx.open_workspace()
        if dialogs.confirm(self, f"Delete component {component.name} of {target.name}? Its contract targets "
                                 "stay; only their assignment to it goes. You can undo this with Ctrl+Z.",
                           action="Delete") and (removed := self._stored(
                               lambda: mapping_service.remove_component(ws, component.component_id))):
            self._push(f"Delete component {removed.record.name}",
                       lambda: mapping_service.remove_component(ws, removed.record.id),
                       lambda: mapping_service.put_back_component(ws, removed), ("target", target.target_id))

    def _delete_target(self, target: TargetCoverage) -> None:
        ws = self.ctx.open_workspace()
        if dialogs.confirm(self, f"Delete end-to-end target {target.name}? You can undo this with Ctrl+Z.",
                           action="Delete") and (removed := self._stored(
                               lambda: mapping_service.remove_end_to_end_target(ws, target.target_id))):
            self._push(f"Delete end-to-end target {removed.record.name}",
                       lambda: mapping_service.remove_end_to_end_target(ws, removed.record.id),
                       lambda: mapping_service.put_back_end_to_end_target(ws, removed), ("none",))

    def _stored(self, store: Callable[[], Any]) -> Any:
        """The stored answer, or None with the refusal shown as a warning."""
        try:
            return store()
        except SltDeskError as error:
            dialogs.warn(self, str(error))
            return None

    def assign_contract_target(self) -> None:
        """Let a contract target (of the end-to-end target's metric first) claim the selected component."""
        target, component = self.current_target(), self.current_component()
        ws = self.ctx.workspace
        if target is None or component is None or ws is None:
            return
        choices = _ranked_choices(self.data.contract_targets, target.record.metric.value)
        stored = self._attempt(lambda: mapping_detail.choose_contract_target(self, choices),
                               lambda chosen: mapping_service.map_component(ws, component.component_id, chosen))
        if stored is not None:
            self._push(f"Assign a contract target to {component.name}", *_assignment(ws, stored),
                       ("component", target.target_id, component.component_id))

    def create_contract_target(self) -> None:
        """Close the selected gap with a new contract target (suggested from the end-to-end target), mapped onto it."""
        target, component = self.current_target(), self.current_component()
        ws = self.ctx.workspace
        if target is None or component is None or ws is None:
            return
        if stored := self._attempt(lambda: mapping_detail.new_contract_target(
                self, self.data.contracts, self.data.calendars, _suggested(target, component)),
                lambda new: mapping_service.create_contract_target_for(ws, component.component_id, new)):
            chain = _CreatedTarget(ws, stored)
            self._push(f"Create a contract target for {component.name}", chain.redo, chain.undo,
                       ("component", target.target_id, component.component_id))

    def _details_refused(self, error: SltDeskError) -> None:
        if isinstance(error, ValidationError):
            self.details.show_error(" ".join(error.fields.values()))
        else:
            dialogs.warn(self, str(error))

    def save_details(self, target: Any, levels: list) -> bool:
        coverage, ws = self.details.coverage, self.ctx.workspace
        if coverage is None or ws is None:
            return False
        try:
            stored, _levels = mapping_service.save_target_details(ws, target, levels)
        except SltDeskError as error:
            self._details_refused(error)
            return False
        self._push_details(ws, stored, (target, levels), (coverage.record, list(coverage.escalation)))
        return True

    def _push_details(self, ws: Any, stored: Any, after: tuple, before: tuple) -> None:
        """Undo and redo of a details edit, each applied to the version the other stored."""
        self.details.set_dirty(False)
        chain = VersionChain(lambda record, path: mapping_service.save_target_details(ws, record, path), stored)
        self._push(f"Edit details of {after[0].name}", lambda: chain.put(*after), lambda: chain.put(*before),
                   ("target", after[0].id))

    def _push(self, text: str, redo: Callable[[], object], undo: Callable[[], object], select: tuple) -> None:
        self.ctx.undo_stack.push(MappingCommand(self.ctx, text, redo, undo))
        self._wanted = select
        self.ctx.notify_changed("component_mapping")


def _ranked_choices(contract_targets: list[tuple[str, int, str]], metric: str) -> list[tuple[str, int]]:
    """Contract targets of the end-to-end target's own metric first (the sort is stable: labels stay in order)."""
    return [(label, ct_id) for label, ct_id, their in sorted(contract_targets, key=lambda c: c[2] != metric)]


def _assignment(ws: SqlWorkspace, stored: ComponentMapping) -> tuple[Callable[[], object], Callable[[], object]]:
    """Redo and undo of a contract target's claim on a component."""
    return (lambda: mapping_service.map_component(ws, stored.component_id, stored.contract_target_id),
            lambda: mapping_service.unmap_contract_target(ws, stored.component_id, stored.contract_target_id))


def _suggested(target: TargetCoverage, component: ComponentCoverage) -> dict[str, Any]:
    """A new contract target's fields as the end-to-end target and the component suggest them."""
    record = target.record
    return {"metric": record.metric, "comparison": record.comparison, "unit": record.unit,
            "threshold": component.required, "period": record.measurement_period,
            "calendar": record.calendar_id, "name": f"{component.name} {record.metric.value}"}


class _CreatedTarget:
    """Undo and redo of a contract target created for a gap (undo remembers the target for redo)."""

    def __init__(self, ws: SqlWorkspace, mapping: ComponentMapping):
        self.ws, self.mapping = ws, mapping
        self.target: ContractTarget | None = None

    def undo(self) -> None:
        self.target = mapping_service.remove_created_contract_target(self.ws, self.mapping)

    def redo(self) -> None:
        assert self.target is not None  # redone after the undo that remembered it
        mapping_service.put_back_created_contract_target(self.ws, self.mapping, self.target)


def _caption(t: TargetCoverage | None) -> str:
    if t is None:
        return ""
    e = html.escape
    return (f"<b>{e(t.service)} › {e(t.name)}</b>: {e(t.target)} per {e(t.measurement_period)}, "
            f"{e(t.service_hours)}. Composition: {e(t.composition_rule)} ({e(t.composition_formula)}). "
            f"<b>{e(t.composition_note[:1].upper() + t.composition_note[1:])}</b>.")


def _findings(t: TargetCoverage | None) -> str:
    if t is None:
        return ""
    if not t.findings:
        return "Every component is covered, and the contracts compose to the target."
    return "<ul style='margin-left:-20px'>" + "".join(f"<li>{html.escape(f)}</li>" for f in t.findings) + "</ul>"


