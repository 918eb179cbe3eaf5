"""Python's cyclic garbage collector runs on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a generation's threshold is
crossed, and a background worker (ui/workers.py) allocates a lot. A cycle that holds a Qt object (a closed
dialog and its slots, say) is then destroyed in the worker's thread, which Qt does not allow for widgets: the
process may crash. So the automatic collector is turned off, and a timer on the GUI thread collects instead,
generation by generation as the thresholds say (the approach qutebrowser takes, see its `GarbageCollector`).
Reference counting frees everything that is not in a cycle at once, as before.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    """Collect on the GUI thread every second, as far as `gc.get_threshold()` says is due."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()

    def check(self) -> int:
        """Collect the oldest generation whose count is over its threshold (none: nothing to do); the
        generation collected, or -1."""
        thresholds, counts = gc.get_threshold(), gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1
