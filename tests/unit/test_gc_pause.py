"""A pack holds off the cyclic collector while it runs, and leaves it as it found it: on in the command line,
off in the GUI (which collects on its own thread, ui/gc_guard.py)."""

from __future__ import annotations

import gc

from sltdesk.services.gc_pause import cycle_collection_held


def test_the_collector_is_off_inside_and_on_again_after():
    gc.enable()  # as the command line has it
    with cycle_collection_held():
        assert not gc.isenabled()
        with cycle_collection_held():  # nested: still off, and the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off_even_after_an_error():
    gc.disable()
    try:
        try:
            with cycle_collection_held():
                raise ValueError("the pack failed")
        except ValueError:
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
