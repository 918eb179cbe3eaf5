"""Whether this process may fork a helper process (the charts of a pack, the workers of a full refresh).

A fork copies the whole process but only the thread that forks: whatever another thread held at that moment (a
lock of matplotlib, of Qt, of the allocator) stays held in the child for ever. So a helper is forked only on Linux,
from the main thread of a process that runs no other Python thread and no Qt application (Qt's own threads are not
Python's, and `threading` does not count them: a QThreadPool worker is not even a Python thread until something in
it asks for the current thread). Elsewhere the helper is started fresh (spawn) or the work is done in this process.
"""

from __future__ import annotations

import sys
import threading


def fork_is_safe() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    if threading.current_thread() is not threading.main_thread() or threading.active_count() != 1:
        return False
    qt = sys.modules.get("PySide6.QtCore")
    return qt is None or qt.QCoreApplication.instance() is None
