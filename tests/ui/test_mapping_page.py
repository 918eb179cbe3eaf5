"""The Services & mapping page on a small portfolio: tree colours, chain diagram, matrix, gap actions, details."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from models.workspace import open_workspace
from sltdesk.domain.mapping import Component, EndToEndTarget, EscalationLevel
from sltdesk.domain.register import (
    BusinessUnit,
    ChargesPeriod,
    Contract,
    ContractTarget,
    MetricKind,
    Service,
    Supplier,
)
from sltdesk.services import mapping as mapping_service
from sltdesk.services.register import create_record, list_records
from ui.context import WorkspaceContext
from ui.pages import mapping_detail
from ui.pages.mapping import MappingPage
from ui.pages.mapping_diagram import STATUS_COLORS
from ui.workers import wait_for_workers


@pytest.fixture
def portfolio(tmp_path) -> dict:
    """Web shop availability 99.9 %: hosting (99.95 %, Stratus) then a payment gateway nobody covers."""
    path = tmp_path / "mapping.sltdesk"
    ws = open_workspace(path, create=True, user="tester")
    unit = create_record(ws, BusinessUnit("Digital Commerce"))
    service = create_record(ws, Service("Online order fulfilment", unit.id))
    stratus = create_record(ws, Supplier("Stratus Hosting"))
    payflow = create_record(ws, Supplier("PayFlow"))
    hosting = create_record(ws, Contract("ST-2024-003", stratus.id, "IaaS", date(2024, 4, 1), date(2027, 3, 31), "EUR",
                                         Decimal("31500.00")))
    gateway = create_record(ws, Contract("PF-2025-007", payflow.id, "Gateway", date(2025, 2, 1), date(2028, 1, 31),
                                         "EUR", Decimal("12000.00")))
    vm = create_record(ws, ContractTarget(hosting.id, "Availability VM", MetricKind.AVAILABILITY, Decimal("99.95")))
    psp = create_record(ws, ContractTarget(gateway.id, "Availability", MetricKind.AVAILABILITY, Decimal("99.9")))
    target = mapping_service.create_target(ws, EndToEndTarget(service.id, 0, "Web shop availability",
                                                               MetricKind.AVAILABILITY, Decimal("99.9")))
    first = mapping_service.save_component(ws, Component(target.id, "Web shop hosting", 1))
    gap = mapping_service.save_component(ws, Component(target.id, "Payment gateway", 2))
    mapping_service.map_component(ws, first.id, vm.id)
    ws.close()
    return {"path": path, "target": target.id, "hosting": first.id, "gap": gap.id, "psp": psp.id,
            "gateway": gateway.id}


@pytest.fixture
def page(qtbot, portfolio, messages):
    ctx = WorkspaceContext()
    page = MappingPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        ctx.set_workspace(open_workspace(portfolio["path"]))
    yield page
    wait_for_workers()
    ctx.set_workspace(None)


def _reload(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.loaded, timeout=5000):
        action()


def test_the_tree_runs_from_business_unit_to_contract_target_coloured_by_status(page, portfolio):
    unit = page.tree.topLevelItem(0)
    service = unit.child(0)
    target = service.child(0)
    assert (unit.text(0), service.text(0), target.text(0)) == ("Digital Commerce", "Online order fulfilment",
                                                               "Web shop availability")
    hosting, gap = target.child(0), target.child(1)
    assert (hosting.text(0), hosting.text(1), hosting.text(2)) == ("1  Web shop hosting", "covered", "99.95 %")
    assert hosting.child(0).text(0) == "ST-2024-003 · Availability VM"
    assert (gap.text(1), gap.childCount()) == ("gap", 0)
    assert gap.foreground(0).color().name() == STATUS_COLORS["gap"]
    assert hosting.foreground(0).color().name() == STATUS_COLORS["covered"]
    assert target.text(1) == "gap" and target.text(2) == "not composable"


def test_the_chain_diagram_draws_the_gap_as_an_empty_red_block(page, portfolio):
    page.select(("target", portfolio["target"]))
    blocks = page.diagram.blocks
    assert set(blocks) == {"Web shop hosting", "Payment gateway"}
    gap = blocks["Payment gateway"]
    assert gap.pen().style() == Qt.PenStyle.DashLine and gap.pen().color().name() == STATUS_COLORS["gap"]
    assert gap.brush().style() == Qt.BrushStyle.NoBrush
    assert blocks["Web shop hosting"].brush().style() == Qt.BrushStyle.SolidPattern
    assert page.diagram.result_text == "—: cannot be composed"


def test_the_matrix_puts_each_component_under_the_supplier_that_covers_it(page):
    headers = [page.matrix.horizontalHeaderItem(c).text() for c in range(page.matrix.columnCount())]
    assert headers == ["End-to-end target", "Component", "PayFlow", "Stratus\nHosting"]
    assert page.matrix.rowCount() == 2
    assert page.matrix.item(0, 3).text() == "ST-2024-003\nAvailability VM"
    assert page.matrix.item(1, 1).text() == "Payment gateway\ngap" and page.matrix.item(1, 2) is None


def test_assigning_a_contract_target_to_a_gap_covers_it_and_undo_brings_the_gap_back(qtbot, page, portfolio,
                                                                                       monkeypatch):
    assert page.select(("component", portfolio["target"], portfolio["gap"]))
    assert page.gap_bar.isVisibleTo(page) and "Payment gateway" in page.gap_text.text()
    offered = []
    monkeypatch.setattr(mapping_detail, "choose_contract_target",
                        lambda _parent, choices: offered.extend(choices) or portfolio["psp"])
    _reload(qtbot, page, page.assign_contract_target)
    assert [label for label, _ in offered][0].startswith("PF-2025-007 · Availability")
    gateway = page.item_for("component", portfolio["target"], portfolio["gap"])
    assert gateway.text(1) == "covered" and page.tree.currentItem() is gateway
    target = page.item_for("target", portfolio["target"])
    # 0.9995 × 0.999 = 0.9985005: short of 99.9 % by 0.05 points
    assert (target.text(1), target.text(2)) == ("short", "99.85005 %")
    assert not page.gap_bar.isVisibleTo(page)
    _reload(qtbot, page, page.ctx.undo_stack.undo)
    assert page.item_for("component", portfolio["target"], portfolio["gap"]).text(1) == "gap"


def test_creating_a_contract_target_for_a_gap_stores_and_maps_it(qtbot, page, portfolio, monkeypatch):
    page.select(("component", portfolio["target"], portfolio["gap"]))
    seen = {}

    def fill_in(_parent, contracts, calendars, suggested):
        seen.update(suggested)
        return ContractTarget(portfolio["gateway"], "Gateway availability", suggested["metric"], Decimal("99.98"))

    monkeypatch.setattr(mapping_detail, "new_contract_target", fill_in)
    _reload(qtbot, page, page.create_contract_target)
    assert seen["threshold"] == Decimal("99.949988")  # what the gap would need at an equal share: √0.999
    gateway = page.item_for("component", portfolio["target"], portfolio["gap"])
    assert (gateway.text(1), gateway.text(2)) == ("covered", "99.98 %")
    assert gateway.child(0).text(0) == "PF-2025-007 · Gateway availability"
    status = lambda: page.item_for("component", portfolio["target"], portfolio["gap"]).text(1)  # noqa: E731
    for step, expected in ((page.ctx.undo_stack.undo, "gap"), (page.ctx.undo_stack.redo, "covered"),
                           (page.ctx.undo_stack.undo, "gap")):
        _reload(qtbot, page, step)
        assert status() == expected


def test_assumptions_and_the_escalation_path_are_edited_in_the_details_panel(qtbot, page, portfolio):
    page.select(("target", portfolio["target"]))
    details = page.details
    details.data_owner.setText("Priya Natarajan")
    details.volume.setText("18,000")
    details.volume_unit.setText("orders per day")
    details.dependencies.setPlainText("Stratus Hosting\nPayFlow")
    details.add_level()
    for column, value in enumerate(("Duty manager", "On-call", "Open a P1", "Phone", "15", "Confirm; Open P1")):
        details.levels.item(0, column).setText(value)
    _reload(qtbot, page, details.save_button.click)
    ws = open_workspace(portfolio["path"])
    try:
        stored = list_records(ws, EndToEndTarget)[0]
        levels = list_records(ws, EscalationLevel)
    finally:
        ws.close()
    assert (stored.data_owner, stored.expected_volume, stored.third_party_dependencies) == \
        ("Priya Natarajan", Decimal(18000), ("Stratus Hosting", "PayFlow"))
    assert [(lv.level, lv.role, lv.minutes_to_escalate, lv.remediation_steps) for lv in levels] == \
        [(1, "Duty manager", 15, ("Confirm", "Open P1"))]
    assert stored.measurement_period is ChargesPeriod.MONTH  # untouched fields stay as they were
    _reload(qtbot, page, page.ctx.undo_stack.undo)
    assert page.details.data_owner.text() == "" and page.details.levels.rowCount() == 0


def test_an_unreadable_time_to_escalate_is_shown_beside_the_table_and_nothing_is_saved(qtbot, page, portfolio):
    page.select(("target", portfolio["target"]))
    page.details.add_level()
    page.details.levels.item(0, 0).setText("Duty manager")
    page.details.levels.item(0, 4).setText("a quarter hour")
    page.details.save_button.click()
    assert page.details.error.text() == "Level 1: the time to escalate is a whole number of minutes."
    assert page.ctx.undo_stack.count() == 0


def test_the_main_window_lists_the_page(qtbot, window):
    titles = [p.title for p in window.pages]
    assert "Services & mapping" in titles


def _answer_dialog(qtbot, fill) -> None:
    """Fill the next modal dialog as a user would, then press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    def act():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        fill(dialog)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, act)


def test_an_end_to_end_target_with_two_components_is_created_undoably_and_audited(qtbot, page, portfolio):
    from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

    from sltdesk.services.audit import recent_audit

    def target(dialog):
        dialog.findChild(QLineEdit, "name").setText("Checkout availability")
        dialog.findChild(QLineEdit, "threshold").setText("99.5")
        metric = dialog.findChild(QComboBox, "metric")
        metric.setCurrentIndex(metric.findData(MetricKind.AVAILABILITY))

    _answer_dialog(qtbot, target)
    _reload(qtbot, page, page.create_end_to_end_target)
    ws = open_workspace(portfolio["path"])
    try:
        [created] = [t for t in list_records(ws, EndToEndTarget) if t.name == "Checkout availability"]
    finally:
        ws.close()
    assert (created.threshold, created.metric) == (Decimal("99.5"), MetricKind.AVAILABILITY)
    assert page.select(("target", created.id))
    for name, stage in (("Shop front", 1), ("Payments", 2)):
        def component(dialog, name=name, stage=stage):
            dialog.findChild(QLineEdit, "name").setText(name)
            assert dialog.findChild(QSpinBox, "stage").value() == stage  # the next stage is offered
        _answer_dialog(qtbot, component)
        _reload(qtbot, page, page.create_component)
        assert page.select(("target", created.id))
    ws = open_workspace(portfolio["path"])
    try:
        components = [(c.name, c.stage) for c in list_records(ws, Component) if c.target_id == created.id]
        audit = [(e.action, e.entity) for e in recent_audit(ws)[:3]]
    finally:
        ws.close()
    assert components == [("Shop front", 1), ("Payments", 2)]
    assert audit == [("create", "component"), ("create", "component"), ("create", "end_to_end_target")]
    assert page.item_for("target", created.id).childCount() == 2
    _reload(qtbot, page, page.ctx.undo_stack.undo)
    assert page.item_for("target", created.id).childCount() == 1


def test_a_component_is_edited_and_deleted_with_its_assignment_and_undo_brings_both_back(qtbot, page, portfolio,
                                                                                         messages):
    from PySide6.QtWidgets import QLineEdit, QSpinBox

    assert page.select(("component", portfolio["target"], portfolio["hosting"]))

    def rename(dialog):
        assert dialog.findChild(QLineEdit, "name").text() == "Web shop hosting"
        dialog.findChild(QLineEdit, "name").setText("Shop hosting")
        dialog.findChild(QSpinBox, "stage").setValue(3)

    _answer_dialog(qtbot, rename)
    _reload(qtbot, page, page.edit_component)
    hosting = page.item_for("component", portfolio["target"], portfolio["hosting"])
    assert hosting.text(0).endswith("Shop hosting") and hosting.text(1) == "covered"
    assert page.select(("component", portfolio["target"], portfolio["hosting"]))
    _reload(qtbot, page, page.delete_selected)
    assert page.item_for("component", portfolio["target"], portfolio["hosting"]) is None
    assert messages[-1][0] == "confirm"
    _reload(qtbot, page, page.ctx.undo_stack.undo)
    back = page.item_for("component", portfolio["target"], portfolio["hosting"])
    assert back is not None and back.text(1) == "covered"  # its contract target is assigned again
    assert page.select(("target", portfolio["target"]))
    page.delete_selected()
    assert messages[-1] == ("warn", "Web shop availability still has 2 components; delete them first.")


def test_an_end_to_end_target_without_components_is_deleted_and_undo_restores_it(qtbot, page, portfolio, messages):
    from PySide6.QtWidgets import QLineEdit

    _answer_dialog(qtbot, lambda d: (d.findChild(QLineEdit, "name").setText("Spare"),
                                     d.findChild(QLineEdit, "threshold").setText("99")))
    _reload(qtbot, page, page.create_end_to_end_target)
    ws = open_workspace(portfolio["path"])
    try:
        [spare] = [t for t in list_records(ws, EndToEndTarget) if t.name == "Spare"]
    finally:
        ws.close()
    assert page.select(("target", spare.id))
    _reload(qtbot, page, page.delete_selected)
    assert page.item_for("target", spare.id) is None
    _reload(qtbot, page, page.ctx.undo_stack.undo)
    assert page.item_for("target", spare.id) is not None


def test_a_target_without_a_name_is_refused_with_the_reason_and_nothing_is_stored(qtbot, page, portfolio, messages):
    from PySide6.QtWidgets import QLineEdit

    _answer_dialog(qtbot, lambda d: d.findChild(QLineEdit, "threshold").setText("99"))
    page.create_end_to_end_target()
    assert messages[-1] == ("warn", "Enter a name.")
    ws = open_workspace(portfolio["path"])
    try:
        assert [t.name for t in list_records(ws, EndToEndTarget)] == ["Web shop availability"]
    finally:
        ws.close()
