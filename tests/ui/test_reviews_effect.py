"""The backlog on the Reviews page says whether a done action worked: the demo's firmware upgrade is effective."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from models.workspace import open_workspace
from ui.context import WorkspaceContext
from ui.pages.reviews import ReviewsPage
from ui.workers import wait_for_workers

pytestmark = pytest.mark.slow


@pytest.fixture
def page(raw_demo_file, tmp_path, qtbot, messages):
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    context = WorkspaceContext()
    context.set_workspace(open_workspace(path, user="alice"))
    widget = ReviewsPage(context)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    with qtbot.waitSignal(widget.review_shown, timeout=30000):
        widget.show()
    yield widget
    wait_for_workers()
    context.set_workspace(None)


def test_the_backlog_shows_the_firmware_upgrade_as_effective_with_its_test_in_the_tooltip(page, qtbot):
    with qtbot.waitSignal(page.review_shown, timeout=30000):
        assert page.reviews.select(lambda r: r.supplier == "Stratus Hosting" and r.review.period == "2026-06")
    page.tabs.setCurrentWidget(page.backlog)
    model = page.backlog.table.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Effect")
    rows = model.rows()
    row = next(i for i, item in enumerate(rows) if item.action.ref == "A-1")
    index = model.index(row, column)
    assert model.data(index) == "effective"
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "median 99.88 → 99.976" in tip and "p = 0.0177, n = 5 + 7" in tip
    other = next(i for i, item in enumerate(rows) if item.action.ref == "A-2")  # in progress: nothing to test
    assert model.data(model.index(other, column)) == ""
    page.grab().save("/tmp/wt30_shot.png")
