"""Render the refusal of a stale save over the Contracts page to docs/screenshots/stale-save.png (offscreen).

Alice has the contract open and types a new title; Bob, in his own copy of the app, saves a change to the same
contract first; Alice's Save then shows the refusal with Reload and Cancel.

Run: .venv/bin/python tests/ui/make_stale_screenshot.py [OUTPUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QPoint, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.workspace import open_workspace  # noqa: E402
from sltdesk.domain.register import Contract, Supplier  # noqa: E402
from sltdesk.services.register import create_record, list_records, update_record  # noqa: E402
from tests.ui.make_screenshots import settle  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def main(out_dir: Path) -> None:
    app = QApplication.instance() or QApplication([])
    QCoreApplication.setOrganizationName("SLT Desk Screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.sltdesk"
        ws = open_workspace(path, create=True, user="alice")
        northwind = create_record(ws, Supplier("Northwind Networks"))
        create_record(ws, Contract("NW-2025-014", northwind.id, "Core network services", date(2025, 1, 1),
                                   date(2027, 12, 31), "GBP", Decimal("48000.00"), owner="J. Patel"))
        ws.close()
        window = MainWindow()
        window.resize(1200, 760)
        window.show()
        window.open_location(str(path))
        page = window.contracts
        window.show_page(window.pages.index(page))
        settle(app, page)
        page.table.select(lambda row: row.ref == "NW-2025-014")
        page.form.editors["title"].widget.setText("Core network and internet breakout")
        bob = open_workspace(path, user="bob", clock=lambda: datetime(2026, 12, 6, 9, 14, 3, tzinfo=UTC))
        update_record(bob, replace(list_records(bob, Contract)[0], owner="B. Okafor"))
        bob.close()

        def shoot(parent, text: str) -> bool:
            box = dialogs.stale_box(parent, text)
            box.show()
            for _ in range(5):
                app.processEvents()
            shot = window.grab()
            painter = QPainter(shot)
            painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))  # the window behind a modal box
            corner = QPoint((shot.width() - box.width()) // 2, (shot.height() - box.height()) // 3)
            painter.drawPixmap(corner, box.grab())
            painter.end()
            shot.save(str(out_dir / "stale-save.png"))
            box.close()
            return False

        dialogs.offer_reload = shoot
        page.save()
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
