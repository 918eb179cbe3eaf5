"""The Reconciliation board: owed / issued / outstanding, deadline warnings, status changes audited (pytest-qt)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adapters"))
from penalty_setup import NORTHWIND_FILE, fake_history, northwind  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.services.audit import recent_audit  # noqa: E402
from sltdesk.services.clause_templates import clauses_from_file  # noqa: E402
from sltdesk.services.penalties import add_clauses  # noqa: E402
from ui.context import WorkspaceContext  # noqa: E402
from ui.pages import penalties as penalties_module  # noqa: E402
from ui.pages import reconciliation as module  # noqa: E402
from ui.pages.reconciliation import ReconciliationPage  # noqa: E402
from ui.workers import wait_for_workers  # noqa: E402

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
