"""Unexpected errors are logged and shown without ending the app; background work reports back."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from sltdesk.errors import InUseError
from ui import errors
from ui.workers import Worker, run_in_background, start


@pytest.fixture
def log_file(tmp_path):
    path = errors.setup_logging(tmp_path / "sltdesk.log")
    yield path
    for handler in list(logging.getLogger("sltdesk").handlers):
        if getattr(handler, "baseFilename", "") == str(path):
            logging.getLogger("sltdesk").removeHandler(handler)
            handler.close()


def test_an_unexpected_error_is_logged_with_its_traceback_and_shown_in_a_sentence(messages, log_file):
    try:
        {}["missing"]
    except KeyError as error:
        errors.report_exception(error)
    kind, text = messages[0]
    assert kind == "error" and text.startswith("Something went wrong (KeyError: 'missing').")
    assert "Traceback" in log_file.read_text() and "KeyError" in log_file.read_text()


def test_a_user_error_is_a_plain_warning_without_traceback(messages, log_file):
    errors.report_exception(InUseError("Supplier 'Stratus' cannot be deleted while contracts refer to it."))
    assert messages == [("warn", "Supplier 'Stratus' cannot be deleted while contracts refer to it.")]
    assert "Traceback" not in log_file.read_text()


def test_uncaught_exceptions_of_any_thread_reach_the_handler_and_the_app_keeps_running(
        qtbot, messages, monkeypatch, log_file):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    errors.install_exception_handler()

    def fail():
        raise RuntimeError("disk on fire")

    thread = threading.Thread(target=fail)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert messages[0][0] == "error" and "RuntimeError: disk on fire" in messages[0][1]


def test_a_failing_background_operation_is_reported_on_the_gui_thread(qtbot, messages, log_file):
    def broken():
        raise ValueError("bad row")

    run_in_background(broken, on_done=lambda _result: None)
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert "ValueError: bad row" in messages[0][1]


def test_a_worker_reports_progress_and_returns_its_result(qtbot):
    def count(limit, *, progress):
        for step in range(limit):
            progress(100 * step // limit, f"step {step}")
        return limit

    worker = Worker(count, 4, progress=True)
    steps = []
    worker.signals.progress.connect(lambda pct, _msg: steps.append(pct))
    with qtbot.waitSignal(worker.signals.finished, timeout=3000) as done:
        start(worker)
    assert done.args == [4]
    qtbot.waitUntil(lambda: len(steps) == 4)
    assert steps == [0, 25, 50, 75]


STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"  # UTC, ISO 8601 with milliseconds


def test_the_log_has_timestamped_lines_for_opening_a_workspace_and_for_each_job(qtbot, log_file, window, messages,
                                                                              workspace_file):
    import re

    from ui.workers import wait_for_workers

    assert window.ctx.workspace.location == str(workspace_file)  # opened by the fixture, after the log was set up

    def broken():
        raise ValueError("bad row")

    run_in_background(broken, on_done=lambda _result: None)
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert wait_for_workers()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    opened = [line for line in lines if "workspace opened" in line]
    assert len(opened) == 1 and re.fullmatch(
        rf"{STAMP} INFO sltdesk\.workspace: workspace opened: {re.escape(str(workspace_file))} as \S+ \(solo\) "
        r"in \d+\.\d\d s", opened[0])
    # the audit head is read in the background once the workspace is open: one line with how long it took
    head = [line for line in lines if "_head_of" in line]
    assert len(head) == 1 and re.fullmatch(rf"{STAMP} INFO sltdesk\.jobs: job ui\.main_window\._head_of done in "
                                           r"\d+\.\d{3} s", head[0])
    failed = [line for line in lines if "broken" in line]
    assert re.fullmatch(rf"{STAMP} WARNING sltdesk\.jobs: job (tests\.ui\.)?test_errors_and_workers\..*broken "
                        r"failed after \d+\.\d{3} s: ValueError: bad row", failed[0])
    assert any(re.match(rf"{STAMP} ERROR sltdesk\.ui: unexpected error", line) for line in lines)  # then shown


def test_a_tagged_job_is_named_after_the_function_it_runs_and_its_failure_is_logged(qtbot, log_file):
    from ui.import_jobs import tagged
    from ui.workers import wait_for_workers

    def parse_rows():
        raise KeyError("Date")

    answers = []
    run_in_background(tagged, "token-1", parse_rows, on_done=answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=3000)
    assert wait_for_workers() and isinstance(answers[0].error, KeyError)  # the page gets it as a value
    text = log_file.read_text(encoding="utf-8")
    assert "sltdesk.jobs: job test_errors_and_workers." in text or "job tests.ui.test_errors_and_workers." in text
    assert "parse_rows failed after " in text and "s: KeyError: 'Date'" in text


def test_an_answer_arriving_after_its_widget_was_deleted_is_dropped_not_shown_on_a_deleted_object(qtbot):
    from functools import partial

    import shiboken6
    from PySide6.QtWidgets import QLabel

    from ui.workers import run_in_background, wait_for_workers

    shown: list[str] = []

    class Box(QLabel):
        def show_answer(self, tag: str, value: str) -> None:
            shown.append(f"{tag}:{value}")
            self.setText(value)

    alive, gone = Box(), Box()
    qtbot.addWidget(alive)
    run_in_background(lambda: "kept", on_done=partial(alive.show_answer, "alive"))
    run_in_background(lambda: "dropped", on_done=partial(gone.show_answer, "gone"))
    shiboken6.delete(gone)  # the window closed before the answer came
    assert wait_for_workers()
    qtbot.waitUntil(lambda: shown == ["alive:kept"], timeout=3000)
    qtbot.wait(50)
    assert shown == ["alive:kept"] and alive.text() == "kept"
