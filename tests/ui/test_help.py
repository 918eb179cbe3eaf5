"""Help: the guide opens offline at the section that explains a figure; the shortcuts list is the window's own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sltdesk.domain.register import MetricKind
from ui.help import figure_link, guide_html, shortcut_rows, show_guide


def test_every_figure_link_points_at_a_section_the_guide_has():
    html = guide_html()
    for metric in MetricKind:
        anchor = figure_link(metric).split('"')[1].removeprefix("guide:")
        assert f'<a name="{anchor}">' in html, metric
    assert figure_link(MetricKind.AVAILABILITY, incomplete=True) == '<a href="guide:complete">What\'s this figure?</a>'
    for anchor in ("credits", "reconciliation", "team", "tables", "import"):
        assert f'<a name="{anchor}">' in html


def test_f1_opens_the_guide_and_a_link_moves_to_its_section(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = show_guide(window)  # the same dialog, brought forward
    assert guide.isVisible() and "SLT Desk — user guide" in guide.windowTitle()
    assert "How a figure is measured" in guide.browser.toPlainText()
    top = guide.browser.verticalScrollBar().value()
    show_guide(window, "guide:credits")
    assert guide.browser.verticalScrollBar().value() > top
    guide.find_box.setText("earn-backs")
    assert guide.find_next()
    guide.close()


def test_the_shortcuts_list_holds_the_menus_keys_and_the_tables(window):
    rows = dict(shortcut_rows(window))
    assert rows["Ctrl+I"] == "Import" and rows["Ctrl+K"] == "Search everything"
    assert rows["Ctrl+N"] == "New record" and rows["F1"] == "User guide"
    assert rows["Ctrl+C"].startswith("Copy the selected row")
    assert rows["Ctrl+1"] == "Dashboard"
    assert len(rows) == len(shortcut_rows(window))  # each key once
