"""The Reconciliation board: owed / issued / outstanding, deadline warnings, status changes audited (pytest-qt)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adapters"))
from penalty_setup import NORTHWIND_FILE, fake_history, northwind

from models.workspace import open_workspace
from sltdesk.services.audit import recent_audit
from sltdesk.services.clause_templates import clauses_from_file
from sltdesk.services.penalties import add_clauses
from ui.context import WorkspaceContext
from ui.pages import penalties as penalties_module
from ui.pages import reconciliation as module
from ui.pages.reconciliation import ReconciliationPage
from ui.workers import wait_for_workers

TODAY = date(2026, 4, 20)


@pytest.fixture
def page(tmp_path, qtbot, monkeypatch):
    path = tmp_path / "nw.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    contract, _ = northwind(ws)
    add_clauses(ws, contract.ref, clauses_from_file(ws, contract.ref, NORTHWIND_FILE))
    ws.close()
    monkeypatch.setattr(module, "history_source", lambda: fake_history())
    for target in (module, penalties_module):
        monkeypatch.setattr(target, "local_today", lambda: TODAY)
    ctx = WorkspaceContext()
    ctx.set_workspace(open_workspace(path, user="alice"))
    widget = ReconciliationPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        widget.show()
    yield widget
    wait_for_workers()
    ctx.set_workspace(None)


def test_the_board_shows_what_is_owed_and_warns_of_a_close_deadline(page, qtmodeltester):
    rows = page.rows.model.rows()
    qtmodeltester.check(page.rows.model)
    assert (page.first.currentText(), page.last.currentText()) == ("2025-10", "2026-03")
    assert [(r.period, str(r.computed), r.status_text) for r in rows] == [
        ("2026-02", "2304.00", "to claim"), ("2026-03", "5760.00", "to claim")]
    assert page.totals.text() == "GBP: owed 8,064.00, issued 0.00, outstanding 8,064.00"
    assert page.alerts.text() == "NW-2025-014 2026-02: claim by 2026-04-29 (9 days left)"
    page.only_money.setChecked(False)
    assert page.rows.model.rowCount() == 6


def test_recording_a_status_is_audited_and_the_board_follows(page, qtbot, tmp_path):
    assert page.rows.select(lambda r: r.period == "2026-03")
    assert "computed GBP 5,760.00" in page.detail.text()
    page.status_choice.setCurrentText("claimed")
    page.status_date.setDate(QDate(2026, 4, 10))
    page.status_note.setText("by e-mail to the account manager")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.record_status()
    row = next(r for r in page.rows.model.rows() if r.period == "2026-03")
    assert row.status_text == "claimed" and row.claim.claimed_on == date(2026, 4, 10)
    assert row.claim.claimed_amount == row.computed and row.claim.note == "by e-mail to the account manager"
    entry = recent_audit(page.ctx.workspace, 1)[0]
    assert (entry.action, entry.entity, entry.entity_id) == ("claim-status", "credit_claim", "NW-2025-014:2026-03")
    assert page.rows.current() is not None and page.rows.current().period == "2026-03"
    page.grab().save(str(tmp_path / "reconciliation.png"))


def test_the_recompute_shows_its_progress_and_cancel_stops_it_leaving_the_board_as_it_was(page, qtbot, monkeypatch):
    import threading

    from ui.workers import Cancelled

    shown, totals = page.board, page.totals.text()
    rows = [(r.period, r.computed) for r in page.rows.model.rows()]
    release, outcome = threading.Event(), []
    real_board, real_history = module.board, fake_history()

    def held_history(*args, **kwargs):  # the measurements load slowly: until the test has pressed Cancel
        release.wait(10)
        return real_history(*args, **kwargs)

    def watched_board(*args, **kwargs):
        try:
            result = real_board(*args, **kwargs)
        except Cancelled:
            outcome.append("cancelled")
            raise
        outcome.append("finished")
        return result

    monkeypatch.setattr(module, "history_source", lambda: held_history)
    monkeypatch.setattr(module, "board", watched_board)
    indicator, reports = page.indicator, []
    shown_progress = indicator.progress
    monkeypatch.setattr(indicator, "progress", lambda p, t: reports.append((p, t)) or shown_progress(p, t))
    page.first.setCurrentText("2025-04")
    page.show_button.click()
    assert indicator.isVisible() and page.loading
    assert indicator.label.text() == "Computing 2025-04 … 2026-03 for every contract with clauses…"
    qtbot.waitUntil(lambda: indicator.cancel_button.isVisible(), timeout=3000)  # after half a second
    assert indicator.bar.isVisible()
    assert indicator.label.text() == "Contract 1 of 1: loading the measurements of NW-2025-014…"
    assert reports == [(0, "Contract 1 of 1: loading the measurements of NW-2025-014…")]
    assert (indicator.bar.maximum(), indicator.bar.value()) == (100, 0)
    with qtbot.waitSignal(page.load_cancelled, timeout=2000):
        qtbot.mouseClick(indicator.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    wait_for_workers()
    qtbot.wait(50)  # the worker's answer (dropped) arrives on the GUI thread
    assert outcome == ["cancelled"]  # stopped at its next report, never finished
    assert not indicator.isVisible() and not page.loading
    assert page.board is shown and page.totals.text() == totals
    assert [(r.period, r.computed) for r in page.rows.model.rows()] == rows
    assert (page.first.currentText(), page.last.currentText()) == ("2025-10", "2026-03")  # the months shown

    release.clear()
    release.set()
    with qtbot.waitSignal(page.loaded, timeout=10000):  # not cancelled: it runs to the end, with progress to 100
        page.show_button.click()
    assert outcome == ["cancelled", "finished"] and page.board is not shown
    assert [p for p, _text in reports] == [0, 0, 33, 66, 100]
    assert reports[3] == (66, "Contract 1 of 1: reconciling the credit notes of NW-2025-014…")



def test_the_board_says_which_figures_came_from_the_stored_results(qtbot, tmp_path, monkeypatch):
    """Read from the stored results, the board says so; with none stored, it says its figures were measured now
    and not stored (a read never writes)."""
    import sqlite3

    from sltdesk.services.result_cache import forget, refresh_results

    path = tmp_path / "nw.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    contract, _ = northwind(ws)
    add_clauses(ws, contract.ref, clauses_from_file(ws, contract.ref, NORTHWIND_FILE))
    refresh_results(ws)
    ws.close()
    forget()  # the app opened afresh: nothing kept in memory
    for target in (module, penalties_module):
        monkeypatch.setattr(target, "local_today", lambda: TODAY)

    def shown(where: Path) -> str:
        ctx = WorkspaceContext()
        ctx.set_workspace(open_workspace(where, user="alice"))
        widget = ReconciliationPage(ctx)
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.loaded, timeout=20000):
            widget.show()
        text = widget.figures.text()
        wait_for_workers()
        ctx.set_workspace(None)
        return text

    stored = shown(path)
    assert stored.startswith("Figures: ") and stored.endswith("read from the stored results.")
    assert int(stored.split()[1]) > 0
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM period_result")
    forget()  # what this process kept in memory, as a new session would start
    measured = shown(path)
    assert "measured now from the raw data (not stored" in measured


def test_the_demo_opened_read_only_renders_the_board_from_its_stored_results(qtbot, tmp_path, raw_demo_file,
                                                                             monkeypatch):
    """chmod a-w on a copy of the demo (and read_only=True, as root may write whatever the mode bits say): the
    board renders every contract's months from the stored results, and the file is not changed by a byte."""
    import hashlib
    import os
    import shutil
    import stat

    from sltdesk.services.result_cache import forget

    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    forget()
    for target in (module, penalties_module):
        monkeypatch.setattr(target, "local_today", lambda: date(2026, 12, 6))
    ctx = WorkspaceContext()
    ctx.set_workspace(open_workspace(path, read_only=True))
    try:
        assert ctx.workspace is not None and ctx.workspace.read_only
        widget = ReconciliationPage(ctx)
        qtbot.addWidget(widget)
        widget.resize(1400, 860)
        with qtbot.waitSignal(widget.loaded, timeout=30000):
            widget.show()
        assert widget.board is not None and len(widget.board.rows) >= 30  # every contract with clauses, 6 months
        assert widget.figures.text().startswith("Figures: ") and "measured now" not in widget.figures.text()
        widget.grab().save(str(tmp_path / "board-read-only.png"))
    finally:
        wait_for_workers()
        ctx.set_workspace(None)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
