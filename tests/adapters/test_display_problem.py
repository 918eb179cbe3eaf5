"""Where Qt finds no display it can use it aborts the process (exit 134); the command says why first, and exits 1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ui.display import display_problem


def found(_name: str) -> str:
    return "libxcb-cursor.so.0"


def missing(_name: str) -> None:
    return None


def without_cursor(name: str) -> str | None:
    return None if name == "xcb-cursor" else f"lib{name}.so"


@pytest.mark.parametrize("environ, library, expected", [
    ({}, found, "no display"),
    ({"QT_QPA_PLATFORM": "offscreen"}, missing, None),
    ({"QT_QPA_PLATFORM": "minimal:enable_fonts"}, missing, None),
    ({"DISPLAY": ":0"}, found, None),
    ({"DISPLAY": ":0"}, without_cursor, "libxcb-cursor"),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, without_cursor, "libxcb-cursor"),
    ({"DISPLAY": ":0"}, missing, None),  # no library found at all (no ldconfig): only Qt can tell
    ({"WAYLAND_DISPLAY": "wayland-0"}, missing, None),  # Qt picks its Wayland plugin: only Qt can tell
    ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, found, "no display"),
    ({"DISPLAY": ""}, found, "no display"),
])
def test_a_window_that_cannot_open_is_named_before_qt_is_asked(environ, library, expected):
    problem = display_problem(environ, platform="linux", find_library=library)
    assert (problem is None) if expected is None else (expected in problem)


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_elsewhere_only_qt_can_tell(platform):
    assert display_problem({}, platform=platform, find_library=missing) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display variables are X11's and Wayland's")
def test_open_without_a_display_says_so_and_exits_1(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ["XDG_STATE_HOME"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-m", "sltdesk", "open", str(tmp_path / "none.sltdesk")], env=environ,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "There is no display to open the window on" in run.stderr and "platform plugin" not in run.stderr
