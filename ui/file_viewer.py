"""Opening a written file (a pack, a statement) in the system's viewer — and saying so when none could."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from ui import dialogs


def system_open(path: Path) -> bool:
    """Hand a file or folder to the desktop; False when no program took it (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_file(parent: QWidget | None, path: Path) -> bool:
    """Open `path` in its viewer; when none could, say where the file is and offer to open its folder."""
    if system_open(path):
        return True
    text = (f"{path.name} was written, but no program on this computer could open it (is a PDF viewer "
            f"installed?). It is in {path.parent}.")
    if dialogs.offer_folder(parent, text) and not system_open(path.parent):
        dialogs.warn(parent, f"The folder could not be opened either; the file is {path}.")
    return False
