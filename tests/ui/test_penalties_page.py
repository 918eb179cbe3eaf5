"""The Penalties page: lines with expandable traces, the what-if panel and the clauses tab (pytest-qt)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adapters"))
from penalty_setup import NORTHWIND_FILE, fake_history, northwind

from models.workspace import open_workspace
from sltdesk.services.audit import recent_audit
from sltdesk.services.clause_templates import clauses_from_file
from sltdesk.services.penalties import add_clauses
from ui import penalty_clauses
from ui.context import WorkspaceContext
from ui.pages import penalties as page_module
from ui.pages.penalties import PenaltiesPage
from ui.workers import wait_for_workers


@pytest.fixture
def ctx(tmp_path, qtbot, monkeypatch):
    path = tmp_path / "nw.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    contract, _ = northwind(ws)
    add_clauses(ws, contract.ref, clauses_from_file(ws, contract.ref, NORTHWIND_FILE))
    ws.close()
    monkeypatch.setattr(page_module, "history_source", lambda: fake_history())
    context = WorkspaceContext()
    context.set_workspace(open_workspace(path, user="alice"))
    yield context
    wait_for_workers()
    context.set_workspace(None)


@pytest.fixture
def page(ctx, qtbot):
    widget = PenaltiesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        widget.show()
    with qtbot.waitSignal(widget.credits_shown, timeout=10000):
        widget.choose("NW-2025-014", "2026-03")
    return widget


def test_each_line_shows_its_amount_and_its_trace_unfolds(page, tmp_path):
    tree = page.tree
    first = tree.topLevelItem(0)
    assert first.text(0) == "SL1 Availability — credit" and first.text(3) == "4,388.58" and first.isExpanded()
    assert tree.trace_texts(0)[1:4] == ["2. charges 48,000.00 × at-risk 12 % = 5,760.00",
                                        "3. at-risk 5,760.00 × allocation 40 % = 2,304.00",
                                        "4. 2 misses in a row (2026-02, 2026-03) × 2 = 4,608.00"]
    assert not tree.topLevelItem(1).isExpanded() and tree.topLevelItem(1).text(3) == "0.00"  # SL2 met
    assert "NW-2025-014 2026-03: GBP 5,760.00 owed under the clauses" in page.summary.text()
    assert "claim by 2026-05-30" in page.summary.text()
    page.grab().save(str(tmp_path / "penalties.png"))


def test_the_what_if_panel_moves_the_credit_without_storing_anything(page, ctx):
    entries = len(recent_audit(ctx.workspace, 1000))
    sl1 = next(r.target_id for r in page.what_if.results if r.target == "SL1 Availability")
    assert page.what_if.result.text() == "Total as measured: GBP 5,760.00"
    page.what_if.set_figure(sl1, "99.97")
    # SL1 met in March: only SL3's 1,440.00 is left, below the at-risk amount
    assert page.what_if.result.text() == "Total GBP 5,760.00 → GBP 1,440.00 (−4,320.00)"
    assert page.what_if.table.item(0, 3).text() == "0.00"
    page.what_if.set_figure(sl1, "99.5")
    assert page.what_if.result.text() == "Total GBP 5,760.00 → GBP 5,760.00 (±0.00)"
    page.what_if.reset_figures()
    assert page.what_if.result.text() == "Total as measured: GBP 5,760.00"
    assert len(recent_audit(ctx.workspace, 1000)) == entries


def test_the_clauses_tab_lists_the_clauses_and_removes_one_audited(page, ctx, qtbot, qtmodeltester, messages):
    panel = page.clauses
    qtmodeltester.check(panel.table.model)
    assert panel.table.model.rowCount() == 9
    assert panel.table.select(lambda v: v.kind == "consecutive-miss multiplier")
    with qtbot.waitSignal(page.credits_shown, timeout=10000):
        panel.remove_selected()
    assert messages[0][0] == "confirm" and panel.table.model.rowCount() == 8
    assert recent_audit(ctx.workspace, 1)[0].entity == "credit_clause"
    assert page.tree.topLevelItem(0).text(3) == "2,304.00"  # no more doubling


def test_a_clause_file_with_a_mistake_is_refused_and_nothing_changes(page, qtbot, monkeypatch):
    broken = json.loads(json.dumps(NORTHWIND_FILE))
    broken["clauses"][1]["parameters"]["percent"] = "140"
    monkeypatch.setattr(penalty_clauses.ClauseFileDialog, "exec", lambda self: 1)
    monkeypatch.setattr(penalty_clauses.QPlainTextEdit, "toPlainText", lambda self: json.dumps(broken))
    page.clauses.open_editor()
    qtbot.waitUntil(lambda: "Nothing was changed" in page.clauses.status.text(), timeout=10000)
    assert "140 % is not a share between 0 and 100 %" in page.clauses.status.text()
    assert page.clauses.table.model.rowCount() == 9
