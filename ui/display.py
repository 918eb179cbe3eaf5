"""Whether a window can open here, asked before Qt is: where Qt finds no display it cannot use, it aborts the whole
process (exit 134, a paragraph about platform plugins) instead of raising an error the command could explain."""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

_NO_DISPLAY_NEEDED = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")


def display_problem(environ: Mapping[str, str] | None = None, *, platform: str | None = None,
                    find_library: Callable[[str], str | None] = ctypes.util.find_library) -> str | None:
    """Why the desktop application cannot open its window here, in one sentence; None when it can (or when only
    Qt can tell: Windows, macOS, a Wayland session)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen.startswith(_NO_DISPLAY_NEEDED) or (environ.get("WAYLAND_DISPLAY") and not chosen.startswith("xcb")):
        return None
    if not environ.get("DISPLAY"):
        return ("There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set: a server, "
                "or a terminal without the desktop's session). The command-line sub-commands work here; run "
                "`sltdesk open` on the desktop, or with QT_QPA_PLATFORM=offscreen to check that it starts.")
    if find_library("xcb") is not None and find_library("xcb-cursor") is None:  # (no xcb found: no way to tell)
        return ("The window needs the system library libxcb-cursor (Qt 6.5 and later, under X11), which is not "
                "installed: install it (Debian, Ubuntu: sudo apt install libxcb-cursor0; Fedora: sudo dnf install "
                "xcb-util-cursor) and start SLT Desk again. The command-line sub-commands work without it.")
    return None
