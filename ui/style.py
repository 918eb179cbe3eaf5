"""The window's look: a light sidebar, clear headings, tiles with big numbers."""

from PySide6.QtWidgets import QLabel

STYLE_SHEET = """
QListWidget#sidebar {
    background: #f2f4f7; border: none; border-right: 1px solid #d0d5dd;
    padding-top: 12px; font-size: 14px; outline: 0;
}
QListWidget#sidebar::item { padding: 9px 16px; border-radius: 6px; margin: 1px 8px; color: #1d2939; }
QListWidget#sidebar[compact="true"] { font-size: 13px; }
QListWidget#sidebar[compact="true"]::item { padding: 7px 10px; margin: 1px 4px; }
QListWidget#sidebar::item:hover { background: #e4e7ec; }
QListWidget#sidebar::item:selected { background: #1f4e8c; color: white; }
QLabel#pageHeading { font-size: 20px; font-weight: 600; padding: 4px 0 8px 0; }
QLabel#sectionHeading { font-size: 14px; font-weight: 600; padding-top: 4px; }
QLabel#formHeading { font-size: 15px; font-weight: 600; padding-bottom: 6px; }
QLabel#rowCount { color: #667085; }
QFrame#tile { background: white; border: 1px solid #d0d5dd; border-radius: 8px; }
QLabel#tileNumber { font-size: 28px; font-weight: 600; color: #1f4e8c; border: none; }
QLabel#tileCaption { color: #475467; border: none; }
QLabel#auditLabel { color: #475467; padding-right: 8px; }
"""


def section_heading(text: str) -> QLabel:
    """A label styled as a section heading (QLabel#sectionHeading above)."""
    label = QLabel(text)
    label.setObjectName("sectionHeading")
    return label
