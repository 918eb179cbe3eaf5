"""The import wizard on the demo: an identical file stops on the first page; a second export for the same period
is shown on the last page before anything is stored, with the choice to add it beside or to replace (pytest-qt)."""

from __future__ import annotations

import shutil

import pytest

from models.workspace import open_workspace
from sltdesk.services import imports
from sltdesk.services.raw_data import load_tickets
from tests.adapters.test_reimport_period import EVENT_LOG, MARCH, incidents, northwind_export
from ui.context import WorkspaceContext
from ui.import_jobs import contract_choices
from ui.import_wizard import ImportWizard
from ui.workers import wait_for_workers

pytestmark = pytest.mark.slow


@pytest.fixture
def ctx(raw_demo_file, tmp_path, qapp):
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    context = WorkspaceContext()
    context.set_workspace(open_workspace(path, user="tester"))
    yield context
    wait_for_workers()
    context.set_workspace(None)


def open_wizard(qtbot, ctx, path) -> ImportWizard:
    wizard = ImportWizard(ctx, contract_choices(ctx.workspace))
    qtbot.addWidget(wizard)
    first = wizard.file_page
    first.kind.setCurrentIndex(first.kind.findData("tickets"))
    first.contract.setCurrentIndex(next(i for i in range(first.contract.count())
                                        if first.contract.itemData(i).contract.ref == "NW-2025-014"))
    wizard.show()
    first.path.setText(str(path))
    return wizard


def test_an_identical_file_is_refused_on_the_first_page(qtbot, ctx, tmp_path):
    export = northwind_export(tmp_path / "northwind_incidents_2026-03.xlsx", incidents())
    ws = ctx.workspace
    contract = imports.find_contract(ws, "NW-2025-014")
    options = imports.build_options(ws, kind=imports.RecordKind.TICKETS, contract=contract)
    from importers.pipeline import parse_file

    stored = imports.store_import(ws, parse_file(export, options), contract=contract, options=options)
    copy = shutil.copy(export, tmp_path / "the_same_again.xlsx")
    wizard = open_wizard(qtbot, ctx, copy)
    first = wizard.file_page
    qtbot.waitUntil(lambda: first.identical is not None, timeout=10000)
    assert not first.isComplete()  # Next stays disabled
    assert first.error.text() == (
        "This file is in the workspace already: northwind_incidents_2026-03.xlsx (the same SHA-256) was imported "
        f"for this contract as batch {stored.batch_id} on {stored_at(ws, stored.batch_id)} UTC. Choose another "
        "file, or remove that batch on the Imports page first.")
    other = northwind_export(tmp_path / "other.xlsx", incidents()[:50])
    first.path.setText(str(other))  # another file: the message goes, and Next is possible
    qtbot.waitUntil(first.isComplete, timeout=10000)
    assert first.error.text() == ""
    wizard.reject()


def stored_at(ws, batch_id: int) -> str:
    return next(b.imported_at for b in imports.list_batches(ws) if b.id == batch_id)[:16].replace("T", " ")


def test_the_last_page_shows_what_the_period_holds_and_replace_stores_the_file_alone(qtbot, ctx, tmp_path):
    export = northwind_export(tmp_path / "northwind_incidents_2026-03.xlsx", incidents())
    ws = ctx.workspace
    contract = imports.find_contract(ws, "NW-2025-014")
    start, end = (int(t.timestamp()) for t in MARCH)
    tickets = load_tickets(ws, contract.id)
    held = int(((tickets["opened_at"] >= start) & (tickets["opened_at"] < end)).sum())
    event_batch = next(b for b in imports.list_batches(ws) if b.file_name == EVENT_LOG)
    wizard = open_wizard(qtbot, ctx, export)
    for page in (wizard.file_page, wizard.sheet_page, wizard.mapping_page, wizard.findings_page):
        qtbot.waitUntil(page.isComplete, timeout=15000)
        wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(confirm.isComplete, timeout=15000)
    assert not confirm.period_box.isHidden() and confirm.add_beside.isChecked()
    assert confirm.held.text() == (
        f"1 Mar 2026 – 31 Mar 2026 already holds {held:,} tickets from other files; {held:,} of them are not in "
        "this file, and would count beside its records:\n"
        f"• {EVENT_LOG} (batch {event_batch.id}): {held:,} tickets, {held:,} of them not in this file")
    assert confirm.busy.text.text().startswith("Finish stores 400 tickets, in one step")
    confirm.replace.setChecked(True)  # asks again what Finish would do
    qtbot.waitUntil(lambda: confirm.isComplete() and "replacing" in confirm.busy.text.text(), timeout=15000)
    assert confirm.busy.text.text().startswith(
        f"Finish stores 400 tickets, replacing the {held:,} stored for the file's period, in one step")
    wizard.grab().save(str(tmp_path / "confirm.png"))
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        wizard.accept()
    wait_for_workers()
    assert wizard.report.superseded == held
    after = load_tickets(ws, contract.id)
    march = after[(after["opened_at"] >= start) & (after["opened_at"] < end)]
    assert len(march) == 400 and set(march["batch_id"]) == {wizard.report.batch_id}
