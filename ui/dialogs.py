"""Every modal question the app asks, in one place (tests replace these functions)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

WORKSPACE_FILTER = "SLT Desk workspaces (*.sltdesk);;All files (*)"


def warn(parent: QWidget | None, text: str, *, title: str = "SLT Desk") -> None:
    """A problem the user can act on: one sentence, no traceback."""
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, text: str, *, title: str = "SLT Desk") -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, text: str, *, title: str = "SLT Desk", action: str = "OK") -> bool:
    """Ask before something destructive; True when the user agreed."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


class StaleBox(QMessageBox):
    """A question with a Reload button (`reload_button`)."""

    reload_button: QPushButton


def stale_box(parent: QWidget | None, text: str, *, title: str = "SLT Desk — changed by someone else") -> StaleBox:
    """The question after a refused stale save: Reload (the stored record replaces the typing) or Cancel."""
    box = StaleBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText("Reload shows the record as it is now; Cancel keeps what you typed, unsaved.")
    box.reload_button = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(box.reload_button)
    return box


def offer_reload(parent: QWidget | None, text: str) -> bool:
    """Say that someone else changed the record since it was opened; True when the user chose Reload."""
    box = stale_box(parent, text)
    box.exec()
    return box.clickedButton() is box.reload_button


def ask_unsaved(parent: QWidget | None, text: str) -> str:
    """Leaving a form with unsaved typing: "save", "discard" or "cancel" (stay, the typing kept)."""
    box = QMessageBox(QMessageBox.Icon.Question, "SLT Desk — unsaved changes", text, parent=parent)
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(buttons(answer), "cancel")


def offer_folder(parent: QWidget | None, text: str) -> bool:
    """No program could show a file: say so; True when the user wants its folder opened instead."""
    box = QMessageBox(QMessageBox.Icon.Warning, "SLT Desk — cannot open the file", text, parent=parent)
    folder = box.addButton("Open its folder", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(folder)
    box.exec()
    return box.clickedButton() is folder


def ask_text(parent: QWidget | None, text: str, *, title: str = "SLT Desk", label: str = "") -> str:
    """A line of text the user types (a reason, a note); "" when they cancel."""
    from PySide6.QtWidgets import QInputDialog

    answer, ok = QInputDialog.getText(parent, title, f"{text}\n\n{label}".strip())
    return answer.strip() if ok else ""


def show_error(parent: QWidget | None, text: str, details: str) -> None:
    """An unexpected failure: a short sentence with the traceback under "Show Details…"."""
    box = QMessageBox(QMessageBox.Icon.Critical, "SLT Desk — unexpected error", text, parent=parent)
    box.setDetailedText(details)
    box.exec()


def about(parent: QWidget | None, title: str, html: str) -> None:
    QMessageBox.about(parent, title, html)


def open_path(parent: QWidget | None, *, title: str = "Open workspace", folder: str = "") -> str:
    """A workspace file to open, or "" when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, WORKSPACE_FILTER)
    return path


def save_path(parent: QWidget | None, *, title: str, folder: str = "") -> str:
    """A new workspace file name ending in .sltdesk, or "" when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, folder, WORKSPACE_FILTER)
    if path and not path.lower().endswith(".sltdesk"):
        path += ".sltdesk"
    return path
