"""The Reviews page shows a review whose text is odd everywhere (an undated action, a 3,000-character word,
CJK, right-to-left text, emoji) without a crash."""

from __future__ import annotations

from models.workspace import open_workspace
from tests.adapters.review_setup import LONG, UNKNOWN, odd_review
from ui.context import WorkspaceContext
from ui.pages.reviews import ReviewsPage
from ui.workers import wait_for_workers


def test_the_reviews_page_shows_odd_text(tmp_path, qtbot, messages):
    path = tmp_path / "odd.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    odd_review(ws, tmp_path)
    ws.close()
    ctx = WorkspaceContext()
    ctx.set_workspace(open_workspace(path, user="alice"))
    try:
        page = ReviewsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1400, 860)
        with qtbot.waitSignal(page.review_shown, timeout=20000):
            page.show()
        texts = [item.action.text for item in page.backlog.table.model.rows()]
        assert LONG in texts and any(UNKNOWN in t and t.startswith("No due date") for t in texts)
        assert page.agenda.note.toPlainText().startswith(LONG)
        assert not page.grab().isNull()
    finally:
        wait_for_workers()
        ctx.set_workspace(None)
