"""Ctrl+K searches suppliers, contracts, targets, reviews and actions; Enter opens the record on its page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from models.workspace import open_workspace
from sltdesk.services.reviews import add_action, create_review
from sltdesk.services.search import search


def _with_a_review(workspace_file) -> tuple[int, int]:
    ws = open_workspace(workspace_file)
    try:
        review = create_review(ws, supplier="Northwind Networks", period="2026-09", held_on=date(2026, 10, 8))
        action = add_action(ws, review.id, "Send the change calendar as .ics", owner="Dana Whitfield")
    finally:
        ws.close()
    return review.id, action.id


def test_search_finds_every_kind_by_any_word_best_match_first(workspace_file):
    review_id, action_id = _with_a_review(workspace_file)
    ws = open_workspace(workspace_file)
    try:
        hits = search(ws, "north")
        assert [(h.kind, h.title) for h in hits] == [
            ("supplier", "Northwind Networks"),                  # its name starts with the word
            ("review", "Northwind Networks service review 2026-09"),
            ("contract", "NW-2025-014 — Core network services"),  # the word is in its supplier line
            ("action", "Send the change calendar as .ics")]
        assert [h.kind for h in search(ws, "CORE avail")] == ["target"]  # every word, any case
        assert search(ws, "dana")[0].review_id == review_id and search(ws, "dana")[0].record_id == action_id
        assert search(ws, "ST-2024")[0].title == "ST-2024-003 — Managed hosting"
        assert search(ws, "nothing like this") == [] and search(ws, "   ") == []
    finally:
        ws.close()


def test_ctrl_k_then_enter_opens_the_supplier(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.search_dialog
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.answered, timeout=5000):
        qtbot.keyClicks(dialog.query, "stratus")
    assert dialog.results.count() == 2  # the supplier and its contract
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert window.current_page() is window.suppliers
    qtbot.waitUntil(lambda: getattr(window.suppliers.table.current(), "name", "") == "Stratus Hosting", timeout=5000)


def test_a_search_result_for_an_action_opens_its_review(qtbot, window, workspace_file):
    review_id, _action_id = _with_a_review(workspace_file)
    window.open_search()
    dialog = window.search_dialog
    with qtbot.waitSignal(dialog.answered, timeout=5000):
        dialog.query.setText("calendar")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # one result: Down keeps it current
    dialog.open_current()
    assert window.current_page() is window.reviews
    qtbot.waitUntil(lambda: getattr(getattr(window.reviews.reviews.current(), "review", None), "id", None)
                    == review_id, timeout=5000)
