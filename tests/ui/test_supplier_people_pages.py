"""Contacts and contingency plans in the GUI: created from a form, undone, and audited."""

from __future__ import annotations

from datetime import date

from models.workspace import open_workspace
from sltdesk.domain.register import ContingencyPlan, SupplierContact
from sltdesk.services.audit import recent_audit
from sltdesk.services.register import list_records
from ui.pages.supplier_people import ContactsPage, ContingencyPlansPage


def _stored(path, kind):
    ws = open_workspace(path)
    try:
        return list_records(ws, kind), recent_audit(ws)
    finally:
        ws.close()


def _open(qtbot, window, kind):
    page = next(p for p in window.pages if isinstance(p, kind))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    return page


def test_a_contact_is_created_from_the_form_and_undone(qtbot, window, workspace_file):
    page = _open(qtbot, window, ContactsPage)
    page.new_record()
    page.form.editors["supplier_id"].set(next(iter(page.data.lookups["suppliers"])))
    page.form.editors["name"].widget.setText("Dana Scully")
    page.form.editors["email"].widget.setText("dana@northwind.example")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    [contact], audit = _stored(workspace_file, SupplierContact)
    assert (contact.name, contact.email) == ("Dana Scully", "dana@northwind.example")
    assert audit[0].entity == "supplier_contact" and audit[0].action == "create"
    assert [r.name for r in page.table.model.rows()] == ["Dana Scully"]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.undo_stack.undo()
    assert _stored(workspace_file, SupplierContact)[0] == []


def test_a_contingency_plan_needs_a_real_date_and_shows_when_its_next_test_is_due(qtbot, window, workspace_file):
    page = _open(qtbot, window, ContingencyPlansPage)
    page.new_record()
    page.form.editors["title"].widget.setText("WAN outage over 2 hours")
    page.form.editors["last_tested"].widget.set_value(None)
    qtbot.keyClicks(page.form.editors["last_tested"].widget.line, "2026-02-30")
    assert not page.save()
    assert page.form.error_text("last_tested") == "'2026-02-30' is not a date: February 2026 has 28 days."
    page.form.editors["last_tested"].widget.line.selectAll()
    qtbot.keyClicks(page.form.editors["last_tested"].widget.line, "2025-01-15")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    [plan], audit = _stored(workspace_file, ContingencyPlan)
    assert (plan.title, plan.last_tested, plan.test_interval_days) == ("WAN outage over 2 hours", date(2025, 1, 15),
                                                                      365)
    assert audit[0].entity == "contingency_plan"
    [row] = page.table.model.rows()
    assert row.due.startswith("2026-01-15")
