"""The GUI's garbage collection: off while the app runs, done on the GUI thread by a timer as thresholds say."""

from __future__ import annotations

import gc

from ui.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_turns_automatic_collection_off_and_collects_what_is_due_on_its_timer(qapp):
    collector = GuiThreadCollector()
    before = gc.get_threshold()
    try:
        collector.start()
        assert not gc.isenabled() and collector.timer.isActive() and collector.timer.interval() == 1000
        gc.collect()
        assert collector.check() == -1  # nothing due just after a full collection
        gc.set_threshold(5, 10, 10)
        for _ in range(50):
            Cycle()
        assert gc.get_count()[0] > 5
        assert collector.check() == 0 and gc.get_count()[0] <= 5  # the youngest generation, on this thread
    finally:
        gc.set_threshold(*before)
        collector.stop()
    assert gc.isenabled() and not collector.timer.isActive()
