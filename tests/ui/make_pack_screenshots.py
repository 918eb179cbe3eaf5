"""Write the README's review-pack images: `python -m tests.ui.make_pack_screenshots` (needs pdftoppm).

Builds the demo with its raw data in a temporary folder, writes the Northwind and Stratus packs for 2026-09
and renders three of their pages to docs/screenshots/pack-*.png.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sltdesk.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = (("Northwind Networks", 3, "pack-summary.png"), ("Northwind Networks", 4, "pack-control-charts.png"),
         ("Stratus Hosting", 6, "pack-root-causes.png"))


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="sltdesk-pack-shots-") as folder:
        work = Path(folder)
        demo = work / "demo.sltdesk"
        assert main(["demo", str(demo), "--no-gui"]) == 0
        for supplier, page, name in PAGES:
            pdf = work / f"{supplier}.pdf"
            if not pdf.exists():
                assert main(["pack", "-w", str(demo), "--supplier", supplier, "--period", "2026-09",
                             "--out", str(pdf)]) == 0
            stem = work / name.removesuffix(".png")
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(stem)], check=True)
            shutil.copy(f"{stem}.png", DOCS / name)
            print(f"written {DOCS / name}")


if __name__ == "__main__":
    run()
