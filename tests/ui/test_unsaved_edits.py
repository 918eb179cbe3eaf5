"""Leaving a form with unsaved typing asks: Save stores it and goes on, Discard goes on without storing, Cancel
stays with the typing intact and the edited row selected (pytest-qt; the question's answer is patched)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QCloseEvent

from models.workspace import open_workspace
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import Contract
from sltdesk.services.register import list_records
from ui.workers import wait_for_workers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_mapping_page import page as mapping_page  # noqa: F401
from test_mapping_page import portfolio  # noqa: F401

CORE, HOSTING = "NW-2025-014", "ST-2024-003"
ASKED = "You have changed contract NW-2025-014 without saving. Save the changes?"


def _titles(path) -> dict[str, str]:
    ws = open_workspace(path)
    try:
        return {c.ref: c.title for c in list_records(ws, Contract)}
    finally:
        ws.close()


@pytest.fixture
def contracts(qtbot, window):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.ref == CORE)
    page.form.editors["title"].widget.setText("Core network, renegotiated")
    assert page.form.dirty
    return page


def test_cancel_keeps_the_typing_and_the_edited_row_selected(contracts, messages, workspace_file):
    messages.unsaved = "cancel"
    assert contracts.table.select(lambda row: row.ref == HOSTING)  # the user clicks another contract
    assert messages == [("unsaved", ASKED)]
    assert contracts.table.current().ref == CORE and contracts.before.ref == CORE
    assert contracts.form.editors["title"].widget.text() == "Core network, renegotiated" and contracts.form.dirty
    assert _titles(workspace_file)[CORE] == "Core network services"


def test_discard_shows_the_other_row_and_stores_nothing(qtbot, contracts, messages, workspace_file):
    messages.unsaved = "discard"
    assert contracts.table.select(lambda row: row.ref == HOSTING)
    assert messages == [("unsaved", ASKED)]
    assert contracts.before.ref == HOSTING and contracts.form.editors["title"].widget.text() == "Managed hosting"
    assert not contracts.form.dirty
    assert _titles(workspace_file)[CORE] == "Core network services"
    assert contracts.table.select(lambda row: row.ref == CORE)  # back: the stored title, no question
    assert contracts.form.editors["title"].widget.text() == "Core network services" and len(messages) == 1


def test_save_stores_the_typing_then_shows_the_row_chosen(qtbot, contracts, messages, workspace_file):
    messages.unsaved = "save"
    with qtbot.waitSignal(contracts.loaded, timeout=5000):  # the list reloads after the save
        assert contracts.table.select(lambda row: row.ref == HOSTING)
    assert _titles(workspace_file)[CORE] == "Core network, renegotiated"
    assert contracts.table.current().ref == HOSTING and contracts.before.ref == HOSTING
    assert not contracts.form.dirty and contracts.ctx.undo_stack.count() == 1


def test_a_save_refused_by_validation_stays_on_the_row_with_the_message(qtbot, contracts, messages,
                                                                        workspace_file):
    messages.unsaved = "save"
    contracts.form.editors["title"].widget.setText("")
    assert contracts.table.select(lambda row: row.ref == HOSTING)
    assert contracts.table.current().ref == CORE and contracts.form.error_text("title") == "Enter a title."
    assert _titles(workspace_file)[CORE] == "Core network services"


def test_switching_page_by_the_view_menu_or_sidebar_asks_first(qtbot, window, contracts, messages,
                                                              workspace_file):
    messages.unsaved = "cancel"
    targets = window.pages.index(window.targets)
    view_action = next(a for a in window.actions() if a.text() == "Targets")
    view_action.trigger()  # Ctrl+4
    assert window.current_page() is contracts and window.sidebar.currentRow() == window.pages.index(contracts)
    assert contracts.form.dirty and len(messages) == 1
    messages.unsaved = "save"
    window.sidebar.setCurrentRow(targets)
    assert window.current_page() is window.targets
    assert _titles(workspace_file)[CORE] == "Core network, renegotiated"


def test_opening_another_workspace_asks_and_cancel_keeps_this_one(qtbot, window, contracts, messages, tmp_path):
    messages.unsaved = "cancel"
    before = window.ctx.workspace
    assert not window.open_location(str(tmp_path / "other.sltdesk"), create=True)
    assert window.ctx.workspace is before and contracts.form.dirty
    messages.unsaved = "discard"
    assert window.open_location(str(tmp_path / "other.sltdesk"), create=True)
    assert window.ctx.workspace is not before and len(messages) == 2


def test_closing_the_window_asks_cancel_keeps_it_open_save_stores(qtbot, window, contracts, messages,
                                                                 workspace_file):
    messages.unsaved = "cancel"
    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted() and window.ctx.workspace is not None and contracts.form.dirty
    messages.unsaved = "save"
    assert window.close()
    wait_for_workers()
    assert _titles(workspace_file)[CORE] == "Core network, renegotiated"


def test_a_stale_save_from_the_question_offers_reload_and_stays(qtbot, contracts, messages, workspace_file,
                                                               monkeypatch):
    from dataclasses import replace

    from sltdesk.services.register import update_record
    from ui import dialogs

    offers = []
    monkeypatch.setattr(dialogs, "offer_reload", lambda _p, text: offers.append(text) or False)
    bob = open_workspace(workspace_file, user="bob")
    update_record(bob, replace(next(c for c in list_records(bob, Contract) if c.ref == CORE), owner="B. Bobson"))
    bob.close()
    messages.unsaved = "save"
    assert contracts.table.select(lambda row: row.ref == HOSTING)
    assert len(offers) == 1 and "changed by bob" in offers[0]
    assert contracts.table.current().ref == CORE and contracts.form.dirty  # Cancel on the refusal: typing kept
    assert _titles(workspace_file)[CORE] == "Core network services"


def test_the_target_rule_editor_asks_before_another_target_is_shown(qtbot, window, messages, workspace_file):
    from decimal import Decimal

    from sltdesk.domain.register import ContractTarget, MetricKind
    from sltdesk.services.register import create_record

    ws = window.ctx.workspace
    core = next(c for c in list_records(ws, Contract) if c.ref == CORE)
    create_record(ws, ContractTarget(core.id, "Core latency", MetricKind.AVAILABILITY, Decimal("99.5")))
    page = window.targets
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.name == "Core availability")
    rule = page.rule_editor.form
    rule.editors["report_name"].widget.setText("WAN availability")
    assert rule.dirty and not page.form.dirty
    messages.unsaved = "cancel"
    assert page.table.select(lambda row: row.name == "Core latency")
    assert messages[-1] == ("unsaved", "You have changed how Core availability is measured without saving. "
                                       "Save the changes?")
    assert page.table.current().name == "Core availability"
    assert rule.editors["report_name"].widget.text() == "WAN availability" and rule.dirty
    messages.unsaved = "save"
    assert page.table.select(lambda row: row.name == "Core latency")
    wait_for_workers()
    [stored] = list_records(window.ctx.workspace, MeasurementRule)
    assert stored.report_name == "WAN availability"
    assert page.rule_editor.target.name == "Core latency" and not rule.dirty


def test_the_mapping_details_ask_before_another_item_is_shown(qtbot, mapping_page, portfolio, messages):  # noqa: F811
    page = mapping_page
    page.select(("target", portfolio["target"]))
    page.details.data_owner.setText("Priya Natarajan")
    assert page.details.dirty and page.details.save_button.isEnabled()
    messages.unsaved = "cancel"
    page.tree.setCurrentItem(page.tree.topLevelItem(0))  # the business unit: no target
    assert page.tree.current_key() == ("target", portfolio["target"])
    assert page.details.data_owner.text() == "Priya Natarajan" and page.details.dirty
    messages.unsaved = "discard"
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    assert page.details.coverage is None and not page.details.dirty
    page.select(("target", portfolio["target"]))
    assert page.details.data_owner.text() == ""
    page.details.data_owner.setText("Priya Natarajan")
    messages.unsaved = "save"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.tree.setCurrentItem(page.tree.topLevelItem(0))
    assert page.tree.current_key() == page.tree.topLevelItem(0).data(0, 256)
    page.select(("target", portfolio["target"]))
    assert page.details.data_owner.text() == "Priya Natarajan" and len(messages) == 3


def test_enter_in_a_field_saves_and_esc_reverts(qtbot, window, contracts, workspace_file):
    from PySide6.QtCore import Qt

    title = contracts.form.editors["title"].widget
    qtbot.keyClick(title, Qt.Key.Key_Escape)
    assert title.text() == "Core network services" and not contracts.form.dirty
    title.setText("Core network, renegotiated")
    with qtbot.waitSignal(contracts.loaded, timeout=5000):
        qtbot.keyClick(title, Qt.Key.Key_Return)
    assert _titles(workspace_file)[CORE] == "Core network, renegotiated" and not contracts.form.dirty


def test_enter_in_a_multi_line_note_is_a_new_line_not_a_save(qtbot, window, messages):
    from PySide6.QtCore import Qt

    page = window.targets
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.name == "Core availability")
    notes = page.form.editors["description"].widget
    qtbot.keyClicks(notes, "first line")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "second")
    assert notes.toPlainText().endswith("first line\nsecond") and page.form.dirty
    assert page.ctx.undo_stack.count() == 0


def test_a_search_jump_or_file_import_cancelled_at_the_prompt_leaves_the_other_page_alone(window, contracts,
                                                                                       messages):
    from sltdesk.services.search import SearchHit

    messages.unsaved = "cancel"
    supplier_id = window.suppliers.table.model.rows()[0].id if window.suppliers.table.model.rows() else 1
    window.open_hit(SearchHit("supplier", supplier_id, "Northwind Networks", ""))
    window.files.import_file()
    assert window.current_page() is contracts and contracts.form.dirty
    assert window.suppliers._select_id is None  # nothing waits to be selected behind the prompt
    assert window.imports.wizard is None
