"""A document's charts drawn in a forked process beside the layout (reports/chart_jobs.py) are the charts drawn
here: the same drawings, whichever process drew them, and the same PDF."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from datetime import UTC, datetime

import pytest
from matplotlib.figure import Figure
from reportlab import rl_config
from reportlab.graphics import renderPDF

import reports.chart_jobs as chart_jobs
from reports import fonts
from reports.chart_jobs import THERE, ChartJobs
from sltdesk.services.forking import fork_is_safe

PARENT = os.getpid()


def _figure(n: int, *, size: tuple[float, float], fail_in_child: bool = False) -> Figure:
    if fail_in_child and os.getpid() != PARENT:
        raise ValueError("not in the child")
    figure = Figure(figsize=size, dpi=100)
    axes = figure.add_subplot()
    axes.plot(range(12), [(i * n) % 7 for i in range(12)], marker="o", label=f"series {n}")
    axes.set_title(f"Chart {n} — 99.95 %")
    axes.legend()
    return figure


def _pdf(drawing) -> bytes:
    """What a drawing puts on a page (in the shipped fonts, registered here whichever process drew it)."""
    fonts.register()
    rl_config.invariant = 1
    return renderPDF.drawToString(drawing)


def _drawn_here(count: int, **kwargs) -> list[bytes]:
    jobs = ChartJobs()
    pending = [jobs.add(_figure, n, size=(4.0 + n, 2.5), **kwargs) for n in range(count)]
    return [_pdf(p.drawing()) for p in pending]


def _drawn_beside(count: int, **kwargs) -> tuple[list[bytes], set[int]]:
    jobs = ChartJobs()
    pending = [jobs.add(_figure, n, size=(4.0 + n, 2.5), **kwargs) for n in range(count)]
    jobs.start()
    assert jobs._process is not None, "a second process was started"
    jobs._process.join(30)  # let it draw all it can take before this one asks for any
    there = {i for i in range(count) if jobs._claims[i] == THERE}
    try:
        return [_pdf(p.drawing()) for p in pending], there
    finally:
        jobs.close()


@pytest.fixture
def needs_fork(monkeypatch):
    """Forking allowed, as it is in the CLI (the test run may hold a Qt application, which forbids it otherwise)."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        pytest.skip("charts are drawn in a second process only on Linux with two cores")
    monkeypatch.setattr(chart_jobs, "fork_is_safe", lambda: True)


@pytest.mark.usefixtures("needs_fork")
def test_charts_drawn_by_the_second_process_are_the_charts_drawn_here():
    beside, there = _drawn_beside(4)
    assert there == {0, 1, 2, 3}  # left alone, it draws all of them, from the last one back
    assert beside == _drawn_here(4)


@pytest.mark.usefixtures("needs_fork")
def test_a_chart_the_second_process_cannot_draw_is_drawn_here():
    beside, there = _drawn_beside(3, fail_in_child=True)
    assert there == {2}  # it took the last one, failed, and stopped
    assert beside == _drawn_here(3)


@pytest.mark.usefixtures("needs_fork")
def test_charts_are_shared_between_the_two_processes_each_drawn_once(monkeypatch):
    jobs = ChartJobs()
    pending = [jobs.add(_figure, n, size=(4.0 + n, 2.5)) for n in range(6)]
    drawn_here: list[int] = []
    real = chart_jobs._drawn

    def counted(job):
        drawn_here.append(job.args[0])
        return real(job)

    monkeypatch.setattr(chart_jobs, "_drawn", counted)
    jobs.start()
    try:
        first = pending[0].drawing()  # at once: the other process is still on its first chart, from the end
        assert first.width == pytest.approx(4.0 * 72)
        drawings = [_pdf(p.drawing()) for p in pending]
    finally:
        jobs.close()
    there = {i for i in range(6) if jobs._claims[i] == THERE}
    assert 0 in drawn_here and not set(drawn_here) & there  # each drawn once, by one of the two
    assert set(drawn_here) | there == set(range(6))
    monkeypatch.undo()
    assert drawings == _drawn_here(6)


def test_with_another_thread_running_nothing_is_forked():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        jobs = ChartJobs()
        pending = [jobs.add(_figure, n, size=(4.0 + n, 2.5)) for n in range(3)]
        jobs.start()
        assert jobs._process is None
        assert [_pdf(p.drawing()) for p in pending] == _drawn_here(3)
    finally:
        stop.set()
        other.join()


def test_a_chart_drawn_at_another_size_than_reserved_is_refused():
    jobs = ChartJobs()
    pending = jobs.add(_figure, 1, size=(4.0, 2.5))
    jobs.jobs[0].kwargs["size"] = (5.0, 2.5)  # the figure would not have the size the layout reserved
    with pytest.raises(RuntimeError, match="drawn 360.0x180.0 points, not 288.0x180.0"):
        pending.drawing()


@pytest.mark.usefixtures("needs_fork")
def test_the_pack_is_the_same_pdf_with_its_charts_drawn_beside_the_layout(raw_demo_file, tmp_path, monkeypatch):
    from models.workspace import open_workspace
    from reports.review_pack import write_pack
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    ws = open_workspace(raw_demo_file, read_only=True)
    try:
        view = build_pack(ws, PackOptions("Northwind Networks", "2026-09", months=12)).view
    finally:
        ws.close()
    started: list[bool] = []
    real_start = ChartJobs.start

    def start(self):
        real_start(self)
        started.append(self._process is not None)

    monkeypatch.setattr(ChartJobs, "start", start)
    generated = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    write_pack(tmp_path / "beside.pdf", view, generated=generated)
    monkeypatch.setattr(chart_jobs, "fork_is_safe", lambda: False)
    write_pack(tmp_path / "here.pdf", view, generated=generated)
    assert started == [True, False]
    digest = [hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in ("beside.pdf", "here.pdf")]
    assert digest[0] == digest[1]


def test_forking_is_safe_only_from_the_main_thread_alone_and_without_a_qt_application(monkeypatch):
    from_another: list[bool] = []
    other = threading.Thread(target=lambda: from_another.append(fork_is_safe()))
    other.start()
    other.join()
    assert from_another == [False]  # a GUI's worker thread (a QThreadPool worker counts once it asks)
    stop = threading.Event()
    running = threading.Thread(target=stop.wait)
    running.start()
    try:
        assert fork_is_safe() is False  # another thread might hold a lock the child would inherit taken
    finally:
        stop.set()
        running.join()

    class Application:
        @staticmethod
        def instance():
            return object()  # an application: Qt runs threads of its own, which `threading` does not count

    monkeypatch.setitem(sys.modules, "PySide6.QtCore", type(sys)("PySide6.QtCore"))
    sys.modules["PySide6.QtCore"].QCoreApplication = Application
    assert fork_is_safe() is False
    Application.instance = staticmethod(lambda: None)
    assert fork_is_safe() is sys.platform.startswith("linux")  # Qt loaded, no application: as without it
