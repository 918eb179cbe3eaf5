"""Render the Services & mapping page on the demo portfolio to docs/screenshots/mapping-*.png (offscreen).

Run: .venv/bin/python tests/ui/make_mapping_screenshots.py [OUTPUT_DIR] [DEMO_WORKSPACE]
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
from ui.main_window import MainWindow  # noqa: E402
from ui.pages.mapping import MappingPage  # noqa: E402
from ui.workers import wait_for_workers  # noqa: E402


def settle(app: QApplication, page, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wait_for_workers(100)
        app.processEvents()
        if not page.loading:
            break
    for _ in range(5):
        app.processEvents()


def main(out_dir: Path, demo: Path | None) -> None:
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="sltdesk-mapping-shots-"))
    QCoreApplication.setOrganizationName("SLT Desk Screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    if demo is None:
        demo = scratch / "demo.sltdesk"
        ws = open_workspace(demo, create=True, user="vendor.manager")
        build_demo(ws)
        ws.close()
    window = MainWindow()
    window.resize(1500, 900)
    window.show()
    window.open_location(str(demo))
    page = next(p for p in window.pages if isinstance(p, MappingPage))
    window.show_page(window.pages.index(page))
    settle(app, page)
    out_dir.mkdir(parents=True, exist_ok=True)
    web = next(t for t in page.data.report if t.name == "Web shop availability")
    page.select(("target", web.target_id))
    settle(app, page)
    window.grab().save(str(out_dir / "mapping-tree.png"))
    page.diagram.render_image(str(out_dir / "mapping-chain.png"))
    delivery = next(t for t in page.data.report if t.name == "Delivery cycle time p95")
    gap = next(c for c in delivery.components if c.status.value == "gap")
    page.select(("component", delivery.target_id, gap.component_id))
    settle(app, page)
    window.grab().save(str(out_dir / "mapping-gap.png"))
    page.diagram.render_image(str(out_dir / "mapping-chain-gap.png"))
    stores = next(t for t in page.data.report if t.name == "Store network availability")
    page.select(("target", stores.target_id))
    page.diagram.render_image(str(out_dir / "mapping-chain-parallel.png"))
    page.tabs.setCurrentIndex(1)
    window.resize(2000, 900)  # the matrix has a column per supplier: show all eight
    settle(app, page)
    page.tabs.grab().save(str(out_dir / "mapping-matrix.png"))
    window.resize(1500, 900)
    page.select(("target", web.target_id))
    page.tabs.setCurrentIndex(2)
    settle(app, page)
    page.tabs.grab().save(str(out_dir / "mapping-details.png"))
    window.close()
    wait_for_workers()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    main(target, Path(sys.argv[2]) if len(sys.argv) > 2 else None)
