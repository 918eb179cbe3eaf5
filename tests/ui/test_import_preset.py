"""The import wizard shows the preset a file was detected as, with the headers that gave it away, and lets the
user choose another (or none); the file is read again with the choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.import_wizard import ImportWizard

EVENT_LOG = Path(__file__).parents[1] / "fixtures" / "presets" / "servicenow_event_log.csv"
TICKETS = "Tickets — one row per ticket (event logs are recognised)"


@pytest.fixture
def page(qtbot, window):
    imports_page = next(p for p in window.pages if p.title == "Imports")
    with qtbot.waitSignal(imports_page.loaded, timeout=5000):
        window.show_page(window.pages.index(imports_page))
    return imports_page


def _mapping_page(qtbot, page) -> ImportWizard:
    page.activateWindow()
    qtbot.keyClick(page.batches.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.wizard is not None and page.wizard.isVisible(), timeout=2000)
    wizard = page.wizard
    qtbot.addWidget(wizard)
    first = wizard.file_page
    first.kind.setCurrentIndex(first.kind.findText(TICKETS))
    first.path.setText(str(EVENT_LOG))
    first.timezone.setCurrentText("UTC")
    qtbot.waitUntil(first.isComplete, timeout=5000)
    wizard.next()
    qtbot.waitUntil(wizard.sheet_page.isComplete, timeout=10000)
    wizard.next()
    qtbot.waitUntil(wizard.mapping_page.isComplete, timeout=10000)
    return wizard


def test_the_detected_preset_is_shown_with_its_reason_and_can_be_changed(qtbot, page):
    wizard = _mapping_page(qtbot, page)
    mapping = wizard.mapping_page
    assert mapping.preset.currentText() == "Detect from the header row — found: ServiceNow incident audit/event log"
    assert mapping.preset_why.text().startswith("Read as ServiceNow incident audit/event log — detected: the header")
    assert "'incident_state', 'sys_updated_at', 'sys_mod_count'" in mapping.preset_why.text()
    assert wizard.latest.parsed.kind.value == "ticket-events"
    assert mapping.mapping_shown()["state"] == "B: incident_state"
    assert wizard.choices.profile_options(wizard.latest.parsed)["preset"] == "servicenow-event-log"  # saved
    mapping.grab().save("/tmp/wt18_preset_detected.png")
    parsed = wizard.latest
    mapping.preset.setCurrentIndex(mapping.preset.findData("none"))
    mapping.preset.activated.emit(mapping.preset.currentIndex())
    qtbot.waitUntil(lambda: mapping.isComplete() and wizard.latest is not parsed, timeout=10000)
    assert wizard.choices.preset == "none" and wizard.latest.parsed.preset == ""
    assert mapping.preset_why.text() == "No preset, as chosen: the columns are suggested from their names."
    assert wizard.latest.parsed.fatal  # offered as tickets and read without the preset: refused as an event log
    assert "it is an event log, one row per ticket update" in mapping.problem.text()
    wizard.reject()
