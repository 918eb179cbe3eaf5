"""Two people edit one contract: a save made from the version before the other's change is refused with who and
when, nothing is overwritten, and Reload shows the other's values; an undo over their change is refused too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMessageBox

from models.workspace import open_workspace
from sltdesk.domain.register import Contract
from sltdesk.services.register import list_records, update_record
from tests.conftest import FixedClock
from ui import dialogs

REF = "NW-2025-014"
REFUSED = ("Contract 'NW-2025-014' was changed by bob at 2026-12-06 09:14 UTC after you opened it; reload it to see "
           "the change, then make yours again.")


def _stored(path) -> Contract:
    ws = open_workspace(path)
    try:
        return next(c for c in list_records(ws, Contract) if c.ref == REF)
    finally:
        ws.close()


def _bob_changes(path, **changes) -> Contract:
    """Bob, in his own copy of the app (his own handle on the file), saves a change to the contract."""
    bob = open_workspace(path, user="bob", clock=FixedClock(datetime(2026, 12, 6, 9, 14, tzinfo=UTC)))
    try:
        return update_record(bob, replace(next(c for c in list_records(bob, Contract) if c.ref == REF), **changes))
    finally:
        bob.close()


class Offers(list):
    """The refusals the page offered with Reload; `reload` is the button the user presses (Cancel at first)."""

    reload = False

    def __call__(self, _parent, text: str) -> bool:
        self.append(text)
        return self.reload


@pytest.fixture
def answers(monkeypatch) -> Offers:
    offers = Offers()
    monkeypatch.setattr(dialogs, "offer_reload", offers)
    return offers


def _open_contract(qtbot, window):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.ref == REF)
    return page


def test_a_stale_save_is_refused_cancel_keeps_the_typing_and_reload_shows_the_other_users_values(
        qtbot, window, workspace_file, answers):
    page = _open_contract(qtbot, window)
    assert page.before.version == 1
    _bob_changes(workspace_file, title="Core network (Bob)", owner="B. Bobson")

    page.form.editors["title"].widget.setText("Core network (Alice)")
    assert not page.save()  # Cancel
    assert answers == [REFUSED]
    stored = _stored(workspace_file)
    assert (stored.title, stored.owner, stored.version) == ("Core network (Bob)", "B. Bobson", 2)
    assert page.form.editors["title"].widget.text() == "Core network (Alice)" and page.form.dirty
    assert window.ctx.undo_stack.count() == 0  # nothing stored, nothing to undo

    answers.reload = True
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert not page.save()
    assert answers == [REFUSED, REFUSED]
    assert (page.form.editors["title"].widget.text(), page.form.editors["owner"].widget.text()) == (
        "Core network (Bob)", "B. Bobson")
    assert not page.form.dirty and page.before.version == 2
    page.form.editors["notice_days"].widget.setValue(120)  # now Alice's change goes on top of Bob's
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    stored = _stored(workspace_file)
    assert (stored.title, stored.notice_days, stored.version) == ("Core network (Bob)", 120, 3)


def test_a_list_reloaded_under_unsaved_typing_does_not_turn_a_stale_save_into_an_overwrite(
        qtbot, window, workspace_file, answers):
    page = _open_contract(qtbot, window)
    page.form.editors["title"].widget.setText("Core network (Alice)")
    _bob_changes(workspace_file, title="Core network (Bob)")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.notify_changed("contract")  # the list shows Bob's title now; the form keeps Alice's typing
    assert page.form.editors["title"].widget.text() == "Core network (Alice)"
    assert not page.save()
    assert answers == [REFUSED]
    assert _stored(workspace_file).title == "Core network (Bob)"


def test_undo_applies_to_the_current_version_and_is_refused_after_someone_elses_change(
        qtbot, window, workspace_file, answers, messages):
    page = _open_contract(qtbot, window)
    page.form.editors["title"].widget.setText("Core network (Alice)")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert page.save()
    window.ctx.undo_stack.undo()  # version 2 → 3: Alice's own change undone
    window.ctx.undo_stack.redo()  # 3 → 4
    assert (_stored(workspace_file).title, _stored(workspace_file).version) == ("Core network (Alice)", 4)
    _bob_changes(workspace_file, owner="B. Bobson")  # 4 → 5
    window.ctx.undo_stack.undo()
    assert messages[-1] == ("warn", REFUSED)
    stored = _stored(workspace_file)
    assert (stored.title, stored.owner, stored.version) == ("Core network (Alice)", "B. Bobson", 5)


def test_the_refusal_offers_reload_first_and_cancel(qtbot):
    box = dialogs.stale_box(None, REFUSED)
    qtbot.addWidget(box)
    assert box.text() == REFUSED
    assert [b.text().replace("&", "") for b in box.buttons()] == ["Reload", "Cancel"]
    assert box.defaultButton() is box.reload_button
    assert box.buttonRole(box.reload_button) is QMessageBox.ButtonRole.AcceptRole
