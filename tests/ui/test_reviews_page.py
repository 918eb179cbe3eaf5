"""The Reviews page: a review's backlog carried over, notes and actions edited, the pack previewed and exported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.workspace import open_workspace
from sltdesk.services.reviews import review_detail
from tests.adapters.review_setup import small_supplier, two_reviews
from ui.context import WorkspaceContext
from ui.pages.reviews import ReviewsPage
from ui.workers import wait_for_workers


@pytest.fixture
def ctx(tmp_path, qtbot):
    path = tmp_path / "reviews.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    two_reviews(ws, small_supplier(ws, tmp_path))
    ws.close()
    context = WorkspaceContext()
    context.set_workspace(open_workspace(path, user="alice"))
    yield context
    wait_for_workers()
    context.set_workspace(None)


@pytest.fixture
def page(ctx, qtbot, messages):
    widget = ReviewsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    with qtbot.waitSignal(widget.review_shown, timeout=20000):
        widget.show()
    return widget


def _june(page, qtbot):
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        assert page.reviews.select(lambda r: r.review.period == "2026-06")


def test_the_june_review_starts_with_the_open_action_carried_over(page, qtbot, qtmodeltester):
    assert [r.review.period for r in page.reviews.model.rows()] == ["2026-06", "2026-05"]
    qtmodeltester.check(page.reviews.model)
    _june(page, qtbot)
    # the hostile action left open in May, and the action the imports opened on Availability's three misses
    assert "after the 2026-05 review (2 actions carried over)" in page.heading_label.text()
    automatic, item = sorted(page.backlog.table.model.rows(), key=lambda i: not i.action.automatic)
    assert automatic.carried and automatic.action.breaches == ("2026-04", "2026-05", "2026-06")
    assert item.carried and item.action.text.startswith("=HYPERLINK")
    qtmodeltester.check(page.backlog.table.model)
    assert page.agenda.note.toPlainText() == "a < b and </para>"  # shown as text, never as markup
    assert page.agenda.decisions.item(0).text() == "S&P keeps the target (owner: Ann)"


def test_notes_and_actions_are_edited_and_a_new_review_carries_what_is_still_open(page, ctx, qtbot, messages):
    _june(page, qtbot)
    page.agenda.agenda.setCurrentRow(1)
    page.agenda.note.setPlainText("Availability missed three months in a row")
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.agenda.save_note.click()
    page.tabs.setCurrentWidget(page.backlog)
    page.backlog.text.setText("Root-cause the availability misses")
    page.backlog.owner.setText("Bo")
    page.backlog.target.setCurrentIndex(page.backlog.target.findText("SP-1 Availability"))
    page.backlog.breach.setText("2026-06")
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.backlog.add_action()
    rows = page.backlog.table.model.rows()
    assert [(i.action.text, i.target, i.action.breach_period, i.carried) for i in rows][-1] == (
        "Root-cause the availability misses", "SP-1 Availability", "2026-06", False)
    assert page.backlog.table.select(lambda i: i.carried and not i.action.automatic)
    page.backlog.status.setCurrentText("done")
    page.backlog.progress_note.setText("closed at the meeting")
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.backlog.update_action()
    detail = review_detail(ctx.workspace, page.loaded_review.detail.review.id)
    assert detail.note(detail.notes[1].item) == "Availability missed three months in a row"
    assert {i.action.status.value for i in detail.backlog} == {"done", "open"}
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.new_review("S&P Hosting", "2026-07", date(2026, 8, 5))
    shown = page.loaded_review.detail
    assert shown.review.period == "2026-07" and shown.previous_period == "2026-06"
    assert [(i.action.text, i.carried) for i in shown.backlog if not i.action.automatic] == [
        ("Root-cause the availability misses", True)]
    assert [i.carried for i in shown.backlog if i.action.automatic] == [True]  # still open: carried again
    assert [a.name for a in shown.attendees] == ["Ann Lee", "Bo S&P"] and messages == []  # copied from June


def test_the_pack_figures_are_previewed_and_the_pack_exported_and_opened(page, qtbot, tmp_path, monkeypatch):
    _june(page, qtbot)
    page.tabs.setCurrentWidget(page.pack)
    with qtbot.waitSignal(page.pack.shown, timeout=30000):
        page.pack.show_button.click()
    model = page.pack.attainment.model
    ours = next(i for i, c in enumerate(model.columns) if c.header == "Ours")
    assert [(r.target, model.data(model.index(i, ours)), r.rag) for i, r in enumerate(model.rows())] == [
        ("Availability", "99.8843", "red"), ("a < b P1 response", "50.0000", "red")]
    assert page.pack.summary.text().startswith("0 of 2 targets met, 2 missed")
    assert "owed GBP 1,500.00" in page.pack.summary.text()
    opened: list[Path] = []
    monkeypatch.setattr(page.pack, "choose_path", lambda _name: str(tmp_path / "june.pdf"))
    monkeypatch.setattr(page.pack, "open_in_viewer", opened.append)
    with qtbot.waitSignal(page.pack.exported, timeout=30000) as exported:
        page.pack.export_button.click()
    assert page.pack.busy is False and page.pack.progress.value() == 100
    assert opened == [tmp_path / "june.pdf"] and (tmp_path / "june.xlsx").exists()
    assert exported.args[0].pages >= 6 and (tmp_path / "june.pdf").read_bytes().startswith(b"%PDF")
    page.grab().save(str(tmp_path / "reviews-pack.png"))
