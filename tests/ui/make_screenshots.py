"""Render every page of the main window on the demo portfolio (with its raw data) to docs/screenshots/*.png,
offscreen at 1280x800, the default window size: `make screenshots`.

Run: .venv/bin/python tests/ui/make_screenshots.py [OUTPUT_DIR] [WIDTHxHEIGHT]
Prints, per page, how many rows of its main tables are in view and which columns are cut off.
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

from PySide6.QtCore import QCoreApplication, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.services.demo import build_demo  # noqa: E402
from sltdesk.wiring import demo_raw_importer  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.workers import wait_for_workers  # noqa: E402

SIZE = (1280, 800)


def file_name(title: str) -> str:
    """'Services & mapping' -> 'services-and-mapping.png'."""
    return title.lower().replace("&", "and").replace(" ", "-").replace("--", "-") + ".png"


def settle(app: QApplication, page, seconds: float = 5.0) -> None:
    """Let background loads finish and the widgets repaint."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wait_for_workers(100)
        app.processEvents()
        if not page.loading and getattr(page, "job", None) is None:
            break
    for _ in range(5):
        app.processEvents()


def main(out_dir: Path, size: tuple[int, int] = SIZE) -> None:
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
    window.resize(*size)
    window.show()
    window.open_location(str(demo))
    out_dir.mkdir(parents=True, exist_ok=True)
    stage_changes(app, window)
    for page in window.pages:
        window.show_page(window.pages.index(page))
        settle(app, page, 60.0)
        prepare(window, page)
        settle(app, page, 60.0)
        target = out_dir / file_name(page.title)
        window.grab().save(str(target))
        print(target, "·", measured(page))
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
    if page.title == "Verification":  # Northwind's WAN, its latest month, with the evidence below
        page.contract_choice.setCurrentIndex(max(page.contract_choice.findText("NW-2025-014",
                                                                               Qt.MatchFlag.MatchStartsWith), 0))
        settle(QApplication.instance(), page, 60.0)
        page.grid.setCurrentIndex(page.grid_model.index(0, page.grid_model.columnCount() - 1))
        page.drill_down(page.grid.currentIndex())
    if page.title == "Penalties":  # the README's example: Northwind's April, with a what-if figure typed
        page.choose("NW-2025-014", "2026-04")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (page.computed is None or page.computed.period != "2026-04"
                                               or page.loading):
            wait_for_workers(100)
            QApplication.instance().processEvents()
        sl1 = next(r.target_id for r in page.what_if.results if r.target == "SL1 Availability")
        page.what_if.set_figure(sl1, "99.96")
    if page.title == "Reconciliation":
        page.rows.select(lambda r: r.contract == "NW-2025-014" and r.status_text == "disputed")


def measured(page) -> str:
    """'attention: 14 of 33 rows in view, cut off: Item' for each table the page shows."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    from tests.ui.layout_measure import header_of, is_elided, is_shown, rows_in_view

    parts = []
    for view in page.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView) or not is_shown(view) or view.model() is None \
                or header_of(view) is None or view.model().rowCount() == 0:
            continue
        model = view.model()
        cut = [str(model.headerData(c, Qt.Orientation.Horizontal) or "").replace("\n", " ")
               for c in range(model.columnCount()) if is_elided(view, c)]
        parts.append(f"{type(view).__name__}: {rows_in_view(view)} of {model.rowCount()} rows in view"
                     + (f", cut off: {', '.join(cut)}" if cut else ""))
    return "; ".join(parts) or "no table"


if __name__ == "__main__":  # the guard matters: the demo's import workers start processes (forkserver)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "-" else ROOT / "docs" / "screenshots"
    w, h = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1280x800").split("x"))
    main(out, (w, h))
