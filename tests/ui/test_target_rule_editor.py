"""The measurement-rule editor under a target's form: validated beside each field, saved undoably, audited,
with a preview of the figure under the rule being edited."""

from __future__ import annotations

from models.workspace import open_workspace
from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.services.audit import recent_audit
from sltdesk.services.register import list_records


def _stored(path):
    ws = open_workspace(path)
    try:
        return list_records(ws, MeasurementRule), recent_audit(ws)
    finally:
        ws.close()


def test_a_rule_is_edited_beside_the_target_validated_saved_undone_and_audited(qtbot, window, workspace_file):
    page = window.targets
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: True)
    editor = page.rule_editor
    assert editor.isEnabled() and "no rule yet" in editor.form.heading.text()
    assert not editor.form.errors["interval_seconds"].isVisibleTo(editor)
    editor.form.editors["source"].set(Source.SAMPLES)
    assert editor.form.form_layout.isRowVisible(list(editor.form.editors).index("interval_seconds"))
    assert not editor.form.form_layout.isRowVisible(list(editor.form.editors).index("pause_states"))
    editor.form.editors["error_limit_percent"].widget.setText("101")
    assert not editor.save()
    assert editor.form.error_text("error_limit_percent").startswith("Error limit percent is a number from 0 to 100")
    qtbot.waitUntil(lambda: editor.preview.text().startswith("Preview: fix the fields first"), timeout=3000)
    editor.form.editors["error_limit_percent"].widget.setText("2.5")
    qtbot.waitUntil(lambda: "No complete month" in editor.preview.text(), timeout=5000)  # no data imported yet
    assert editor.save()
    [rule], audit = _stored(workspace_file)
    assert (rule.source, str(rule.error_limit_percent)) == (Source.SAMPLES, "2.5")
    assert (audit[0].action, audit[0].entity) == ("create", "measurement_rule")
    assert window.ctx.undo_stack.undoText() == "Create measurement rule"
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    editor.form.editors["interval_seconds"].set(60)
    assert editor.form.save_button.isEnabled() and editor.save()
    [rule], audit = _stored(workspace_file)
    assert rule.interval_seconds == 60 and (audit[0].action, audit[0].entity) == ("update", "measurement_rule")
    assert audit[0].before["interval_seconds"] == 300 and audit[0].after["interval_seconds"] == 60
    for _ in range(2):  # the edit, then the creation
        with qtbot.waitSignal(page.loaded, timeout=5000):
            window.ctx.undo_stack.undo()
    assert _stored(workspace_file)[0] == []
    assert "no rule yet" in editor.form.heading.text()
