"""Render the main window on the demo portfolio to docs/screenshots/*.png (offscreen, 1400x900).

Run: .venv/bin/python tests/ui/make_screenshots.py [OUTPUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.services.demo import build_demo  # noqa: E402
from sltdesk.wiring import demo_raw_importer  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.workers import wait_for_workers  # noqa: E402

SHOTS = {"main-window.png": "Dashboard", "contracts.png": "Contracts", "audit-log.png": "Audit log",
         "reviews.png": "Reviews", "imports.png": "Imports"}


def settle(app: QApplication, page, seconds: float = 5.0) -> None:
    """Let background loads finish and the widgets repaint."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wait_for_workers(100)
        app.processEvents()
        if not page.loading:
            break
    for _ in range(5):
        app.processEvents()


def main(out_dir: Path) -> None:
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="sltdesk-shots-"))
    QCoreApplication.setOrganizationName("SLT Desk Screenshots")  # never the user's own settings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    demo = scratch / "demo.sltdesk"
    ws = open_workspace(demo, create=True, user="vendor.manager")
    build_demo(ws, raw_importer=demo_raw_importer)
    ws.close()
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_location(str(demo))
    out_dir.mkdir(parents=True, exist_ok=True)
    stage_changes(app, window)
    for name, title in SHOTS.items():
        page = next(p for p in window.pages if p.title == title)
        window.show_page(window.pages.index(page))
        settle(app, page)
        prepare(window, page)
        settle(app, page)
        window.grab().save(str(out_dir / name))
        print(out_dir / name)
    window.close()


def stage_changes(app: QApplication, window: MainWindow) -> None:
    """Edit two contracts through the form and undo one edit, so the audit log shows updates."""
    page = window.contracts
    window.show_page(window.pages.index(page))
    settle(app, page)
    edits = (("NW-2025-014", "title", "Managed WAN and SD-WAN"), ("ST-2024-003", "owner", "Aisha Khan"))
    for ref, field, text in edits:
        page.table.select(lambda row, ref=ref: row.ref == ref)
        page.form.editors[field].widget.setText(text)
        page.save()
        settle(app, page)
    window.ctx.undo_stack.undo()
    settle(app, page)


def prepare(window: MainWindow, page) -> None:
    """Put each page in a state worth looking at."""
    if page is window.contracts:
        page.table.view.selectRow(0)
    if page is window.audit_log:
        page.verify()
    if page.title == "Imports":  # the batch with the most to say
        busiest = max(page.data.batches, key=lambda b: len(b.findings))
        page.batches.select(lambda b: b.id == busiest.id)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
