"""The main window on a real workspace: open, edit, undo, audit, verify."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from models.workspace import open_workspace
from sltdesk.domain.register import Contract
from sltdesk.services.audit import audit_head, recent_audit
from sltdesk.services.register import get_record, list_records


def _stored_contract(path, ref: str) -> Contract:
    ws = open_workspace(path)
    try:
        return next(c for c in list_records(ws, Contract) if c.ref == ref)
    finally:
        ws.close()


def _audit(path) -> list:
    ws = open_workspace(path)
    try:
        return recent_audit(ws)
    finally:
        ws.close()


def _open_contract(qtbot, window, ref: str):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.ref == ref)
    assert page.before.ref == ref
    return page


def test_opening_a_workspace_shows_its_counts_name_and_audit_entries(qtbot, window, workspace_file):
    assert window.windowTitle() == "SLT Desk — portfolio.sltdesk"
    assert window.dashboard.tiles["suppliers"].number.text() == "2"
    assert window.dashboard.tiles["contracts"].number.text() == "2"
    assert window.dashboard.tiles["contract targets"].number.text() == "1"
    assert window.path_label.text() == str(workspace_file)
    qtbot.waitUntil(lambda: window.audit_label.text().startswith("Audit trail: 5 entries"))


def test_the_contracts_page_lists_charges_as_grouped_money(qtbot, window):
    page = _open_contract(qtbot, window, "ST-2024-003")
    model = page.table.model
    row = model.find(lambda r: r.ref == "ST-2024-003")
    charges = model.index(row, [c.header for c in model.columns].index("Charges"))
    assert charges.data() == "EUR 125,500.50 /mo"
    assert page.form.editors["charges"].widget.text() == "125,500.50"
    assert page.form.editors["supplier_id"].widget.currentText() == "Stratus Hosting"


def test_editing_a_contract_title_and_saving_stores_it(qtbot, window, workspace_file):
    page = _open_contract(qtbot, window, "NW-2025-014")
    title = page.form.editors["title"].widget
    title.clear()
    qtbot.keyClicks(title, "Core network and internet")
    assert page.form.save_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _stored_contract(workspace_file, "NW-2025-014").title == "Core network and internet"
    assert page.table.current().title == "Core network and internet"
    assert window.ctx.undo_stack.undoText() == "Edit contract NW-2025-014"


def test_undoing_an_edit_restores_the_title_and_the_audit_log_shows_both_updates(qtbot, window, workspace_file):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.form.editors["title"].widget.setText("Core network and internet")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.table.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored_contract(workspace_file, "NW-2025-014").title == "Core network services"
    assert page.form.editors["title"].widget.text() == "Core network services"

    audit = window.audit_log
    with qtbot.waitSignal(audit.loaded, timeout=5000):
        window.show_page(window.pages.index(audit))
    rows = audit.table.model.rows()
    undo, edit = rows[0], rows[1]
    assert (edit.action, edit.entity, undo.action, undo.entity) == ("update", "contract", "update", "contract")
    assert (edit.before["title"], edit.after["title"]) == ("Core network services", "Core network and internet")
    assert (undo.before["title"], undo.after["title"]) == ("Core network and internet", "Core network services")
    change = audit.table.model.index(0, 6).data()
    assert change == "title: Core network and internet → Core network services"


def test_redo_stores_the_edit_again(qtbot, window, workspace_file):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.form.editors["owner"].widget.setText("A. Okafor")
    assert page.save()
    window.ctx.undo_stack.undo()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.files.redo_action.trigger()
    assert _stored_contract(workspace_file, "NW-2025-014").owner == "A. Okafor"
    assert [e.action for e in _audit(workspace_file)[:3]] == ["update", "update", "update"]


def test_an_end_date_before_the_start_date_is_shown_next_to_the_field_and_nothing_is_stored(
        qtbot, window, workspace_file):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.form.editors["end_date"].widget.setDate(QDate(2024, 12, 1))
    assert not page.save()
    assert page.form.error_text("end_date") == "The end date must be after the start date."
    assert page.form.error_text("title") == ""
    assert _stored_contract(workspace_file, "NW-2025-014").end_date == date(2027, 12, 31)
    assert len(_audit(workspace_file)) == 5
    assert window.ctx.undo_stack.count() == 0


def test_charges_that_are_not_a_number_are_refused_before_anything_is_stored(qtbot, window, workspace_file):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.form.editors["charges"].widget.setText("48k")
    assert not page.save()
    assert page.form.error_text("charges") == "'48k' is not a number"
    assert len(_audit(workspace_file)) == 5


def test_verify_chain_reports_ok_with_the_entry_count_and_head(qtbot, window, workspace_file):
    audit = window.audit_log
    with qtbot.waitSignal(audit.loaded, timeout=5000):
        window.show_page(window.pages.index(audit))
    audit.verify_button.click()
    qtbot.waitUntil(lambda: audit.result.text().startswith("OK"), timeout=5000)
    ws = open_workspace(workspace_file)
    head = audit_head(ws).head
    ws.close()
    assert audit.result.text() == f"OK — 5 entries, head {head}"
    assert audit.verify_button.isEnabled()


def test_opening_a_file_that_is_not_a_workspace_keeps_the_current_one_and_says_why(
        window, workspace_file, tmp_path, messages):
    bogus = tmp_path / "notes.sltdesk"
    bogus.write_text("{not a workspace}")
    assert not window.open_location(str(bogus))
    assert messages == [("warn", "notes.sltdesk is not an SLT Desk workspace: it looks like a JSON or text file.")]
    assert window.ctx.workspace.location == str(workspace_file)
    assert window.windowTitle() == "SLT Desk — portfolio.sltdesk"


def test_the_supplier_of_a_contract_cannot_be_deleted_and_the_user_is_told_why(qtbot, window, messages):
    page = window.suppliers
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.name == "Stratus Hosting")
    page.table.view.setFocus()
    qtbot.waitUntil(page.table.view.hasFocus)
    qtbot.keyClick(page.table.view, Qt.Key.Key_Delete)
    assert messages[0][0] == "confirm"
    assert messages[1][0] == "warn" and "cannot be deleted" in messages[1][1]
    assert window.ctx.undo_stack.count() == 0


def test_a_new_supplier_is_created_with_ctrl_n_and_removed_again_by_undo(qtbot, window, workspace_file):
    page = window.suppliers
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.form.heading.text() == "New supplier"
    qtbot.keyClicks(page.form.editors["name"].widget, "Parcelfast Couriers")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    assert page.table.current().name == "Parcelfast Couriers"
    assert page.table.model.rowCount() == 3
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.undo_stack.undo()
    assert page.table.model.rowCount() == 2
    assert [e.action for e in _audit(workspace_file)[:2]] == ["delete", "create"]


def test_deleting_a_target_asks_first_and_undo_brings_it_back_under_its_id(qtbot, window, workspace_file, messages):
    page = window.targets
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.name == "Core availability")
    target_id = page.before.id
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.delete_current()
    assert messages == [("confirm", "Delete contract target Core availability? You can undo this with Ctrl+Z.")]
    assert page.table.model.rowCount() == 0
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.undo_stack.undo()
    assert page.table.model.rowCount() == 1
    ws = open_workspace(workspace_file)
    from sltdesk.domain.register import ContractTarget

    assert get_record(ws, ContractTarget, target_id).name == "Core availability"
    ws.close()


def test_ctrl_f_puts_the_cursor_in_the_filter_box_of_the_current_page(qtbot, window):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    window.files.find_action.trigger()
    assert page.table.filter.hasFocus()
    qtbot.keyClicks(page.table.filter, "hosting")
    assert page.table.proxy.rowCount() == 1
    assert page.table.count.text() == "1 of 2 rows"


def test_a_new_contract_without_charges_asks_for_an_amount_and_stores_nothing(qtbot, window, workspace_file):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    page.new_record()
    assert page.form.heading.text() == "New contract"
    page.form.editors["ref"].widget.setText("PF-2026-001")
    page.form.editors["title"].widget.setText("Payment gateway")
    assert not page.save()
    assert page.form.error_text("charges") == "Enter an amount."
    assert len(_audit(workspace_file)) == 5


def test_arrow_keys_move_through_the_table_and_the_form_follows(qtbot, window):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.table.view.setFocus()
    qtbot.waitUntil(page.table.view.hasFocus)
    first = page.before.ref
    qtbot.keyClick(page.table.view, Qt.Key.Key_Down)
    assert page.before.ref != first
    assert page.form.heading.text() == f"Contract {page.before.ref}"
    assert page.form.editors["ref"].widget.text() == page.before.ref


def test_a_dashboard_alert_opens_its_contract_with_its_targets(qtbot, window):
    contract_id = _stored_contract_id(window, "NW-2025-014")
    with qtbot.waitSignal(window.contracts.loaded, timeout=5000):
        window.dashboard.contract_requested.emit(contract_id)
    assert window.current_page() is window.contracts
    assert window.contracts.before.ref == "NW-2025-014"
    assert window.contracts.targets_heading.text() == "Targets of this contract (1)"
    assert window.contracts.targets.model.rows()[0].name == "Core availability"


def _stored_contract_id(window, ref: str) -> int:
    return _stored_contract(window.ctx.workspace.location, ref).id


def test_revert_discards_the_typing_and_new_records_alike(qtbot, window):
    page = _open_contract(qtbot, window, "NW-2025-014")
    page.form.editors["title"].widget.setText("Something else")
    page.form.revert_button.click()
    assert page.form.editors["title"].widget.text() == "Core network services"
    assert not page.form.save_button.isEnabled()
    page.new_record()
    page.form.revert_button.click()
    assert page.form.heading.text() == "No contract selected"
    assert not page.form.isEnabled()


def test_file_import_opens_the_wizard_from_any_page_and_the_view_menu_shows_titles_as_written(qtbot, window):
    window.show_page(1)  # the suppliers page, far from Imports
    file_menu = window.menuBar().actions()[0].menu()
    import_action = next(a for a in file_menu.actions() if a.text() == "&Import…")
    assert import_action.shortcut().toString() == "Ctrl+I" and import_action.isEnabled()
    import_action.trigger()
    qtbot.waitUntil(lambda: window.imports.wizard is not None and window.imports.wizard.isVisible(), timeout=10000)
    assert window.current_page() is window.imports
    window.imports.wizard.reject()
    view_menu = window.menuBar().actions()[2].menu()
    titles = [a.text() for a in view_menu.actions()]
    assert "Services && mapping" in titles  # shown as "Services & mapping", not "Services _mapping"
    assert all(not a.shortcut().toString().endswith(("10", "11", "12")) for a in view_menu.actions())
