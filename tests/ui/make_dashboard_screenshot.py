"""Render the Dashboard on the demo portfolio to docs/screenshots/dashboard.png (offscreen).

Run: .venv/bin/python tests/ui/make_dashboard_screenshot.py [DEMO_FILE] [OUTPUT_DIR] [WIDTHxHEIGHT]
(without DEMO_FILE the demo is built first, ~20 s).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.services.demo import build_demo  # noqa: E402
from sltdesk.wiring import demo_raw_importer  # noqa: E402
from tests.ui.make_screenshots import settle  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def main(demo_file: str | None, out_dir: Path, size: tuple[int, int]) -> Path:
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="sltdesk-shots-"))
    QCoreApplication.setOrganizationName("SLT Desk Screenshots")  # never the user's own settings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    demo = scratch / "demo.sltdesk"
    if demo_file:
        shutil.copy(demo_file, demo)
    else:
        ws = open_workspace(demo, create=True, user="vendor.manager")
        build_demo(ws, raw_importer=demo_raw_importer)
        ws.close()
    window = MainWindow()
    window.resize(*size)
    window.show()
    window.open_location(str(demo))
    window.show_page(0)
    settle(app, window.dashboard, 30.0)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "dashboard.png"
    window.grab().save(str(target))
    window.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return target


if __name__ == "__main__":
    given = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshots"
    w, h = (int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "1600x1000").split("x"))
    print(main(given, out, (w, h)))
