"""Render the Penalties and Reconciliation pages on the demo portfolio (with its raw data) to
docs/screenshots/penalties.png and reconciliation.png (offscreen, 1400x860).

Run: .venv/bin/python tests/ui/make_penalty_screenshots.py [DEMO_WORKSPACE] [OUTPUT_DIR]
(without a workspace the demo is built with its raw data first, which takes about 15 seconds)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.services.demo import build_demo  # noqa: E402
from sltdesk.wiring import demo_raw_importer  # noqa: E402
from ui.context import WorkspaceContext  # noqa: E402
from ui.pages.penalties import PenaltiesPage  # noqa: E402
from ui.pages.reconciliation import ReconciliationPage  # noqa: E402
from ui.style import STYLE_SHEET  # noqa: E402
from ui.workers import wait_for_workers  # noqa: E402


def settle(app: QApplication, done, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        wait_for_workers(100)
        app.processEvents()
    for _ in range(5):
        app.processEvents()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sltdesk"
        if len(sys.argv) > 1:
            shutil.copy(sys.argv[1], path)
        else:
            ws = open_workspace(path, create=True, user="demo")
            build_demo(ws, raw_importer=demo_raw_importer)
            ws.close()
        ctx = WorkspaceContext()
        ctx.set_workspace(open_workspace(path, user="demo"))
        page = PenaltiesPage(ctx)
        page.setStyleSheet(STYLE_SHEET)
        page.resize(1400, 860)
        page.show()
        settle(app, lambda: not page.loading)
        page.choose("NW-2025-014", "2026-04")
        settle(app, lambda: page.computed is not None and page.computed.period == "2026-04" and not page.loading)
        sl1 = next(r.target_id for r in page.what_if.results if r.target == "SL1 Availability")
        page.what_if.set_figure(sl1, "99.96")
        app.processEvents()
        page.grab().save(str(out / "penalties.png"))
        board = ReconciliationPage(ctx)
        board.setStyleSheet(STYLE_SHEET)
        board.resize(1400, 860)
        board.show()
        settle(app, lambda: board.board is not None and not board.loading)
        board.rows.select(lambda r: r.contract == "NW-2025-014" and r.status_text == "disputed")
        app.processEvents()
        board.grab().save(str(out / "reconciliation.png"))
        wait_for_workers()
        ctx.set_workspace(None)
    print(f"Wrote {out / 'penalties.png'} and {out / 'reconciliation.png'}")


if __name__ == "__main__":
    main()
