"""A workspace that may not be written opens read-only; a full disk is a sentence, never "damaged".

Tests run as root here, and root may write a file whatever its mode bits say, so a chmod'ed copy alone
proves nothing: the read-only cases also open with read_only=True, or make os.access answer as it does for
a file on a read-only mount (EROFS) or for another user. The full-disk cases use SQLite's own SQLITE_FULL,
raised for real by PRAGMA max_page_count, and an OSError(ENOSPC) injected into a command.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from old_workspace import first_version_file
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

import models.workspace as workspace_module
from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.register import BusinessUnit
from sltdesk.errors import DiskFullError, ReadOnlyWorkspaceError, WorkspaceError
from sltdesk.services.audit import verify_audit
from sltdesk.services.register import create_record
from sltdesk.services.views import dashboard_view, supplier_rows

REFUSED = "is open read-only (the file or its folder may not be written here); nothing was changed."


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def copy(demo_file, tmp_path) -> Path:
    path = tmp_path / "shared.sltdesk"
    shutil.copyfile(demo_file, path)
    return path


def _no_write_access(monkeypatch, path: Path) -> None:
    """os.access as it answers for a file on a read-only mount (or another user's file and folder)."""
    real = os.access

    def access(target, mode, *args, **kwargs):
        if mode & os.W_OK and Path(target).resolve() in (path.resolve(), path.resolve().parent):
            return False
        return real(target, mode, *args, **kwargs)

    monkeypatch.setattr(workspace_module.os, "access", access)


def test_a_read_only_workspace_shows_its_records_and_refuses_a_change_in_one_sentence(copy, tmp_path):
    before, names = _digest(copy), {p.name for p in tmp_path.iterdir()}
    ws = open_workspace(copy, read_only=True)
    assert ws.read_only
    assert len(supplier_rows(ws)) == 8
    assert dashboard_view(ws, today=date(2026, 3, 1)).counts["contracts"] == 10
    with pytest.raises(ReadOnlyWorkspaceError) as refused:
        create_record(ws, BusinessUnit(name="Finance", description="a change"))
    assert str(refused.value) == f"shared.sltdesk {REFUSED}"
    assert verify_audit(ws).ok
    ws.close()
    assert _digest(copy) == before
    assert {p.name for p in tmp_path.iterdir()} == names  # no -wal, -shm or backup beside it


def test_a_file_the_process_may_not_write_opens_read_only_by_itself(copy, monkeypatch):
    copy.chmod(0o444)  # enough for an ordinary user; root (this sandbox) needs os.access to say so too
    _no_write_access(monkeypatch, copy)
    ws = open_workspace(copy)
    assert ws.read_only and len(supplier_rows(ws)) == 8
    ws.close()


def test_a_writable_file_opens_for_writing(copy):
    ws = open_workspace(copy)
    assert not ws.read_only
    create_record(ws, BusinessUnit(name="Finance", description="a change"))
    ws.close()


def test_a_refused_write_on_open_falls_back_to_read_only(copy, monkeypatch):
    """A mount os.access does not see as read-only: SQLite's refusal on opening decides."""
    def refuse(*_args):
        raise OperationalError("PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError(
            "attempt to write a readonly database"))

    monkeypatch.setattr(workspace_module, "_upgrade_existing_file", refuse)
    ws = open_workspace(copy)
    assert ws.read_only and len(supplier_rows(ws)) == 8
    ws.close()


def test_a_read_only_workspace_that_needs_an_upgrade_says_so_and_stays_untouched(tmp_path):
    path = first_version_file(tmp_path / "old.sltdesk")
    before = _digest(path)
    with pytest.raises(WorkspaceError, match=r"old.sltdesk is read-only here and needs an upgrade \(schema 0001"):
        open_workspace(path, read_only=True)
    assert _digest(path) == before
    assert not list(tmp_path.glob("old.sltdesk.bak-*"))


def test_the_cli_views_exports_and_packs_a_read_only_workspace_and_refuses_an_edit(copy, tmp_path, monkeypatch,
                                                                                 capsys):
    _no_write_access(monkeypatch, copy)
    before = _digest(copy)
    path = str(copy)
    assert main(["info", "-w", path]) == 0
    assert main(["export", "contracts", "-w", path, "--out", str(tmp_path / "register.xlsx")]) == 0
    assert main(["pack", "-w", path, "--supplier", "Northwind Networks", "--period", "2026-06",
                 "--out", str(tmp_path / "pack.pdf")]) == 0
    assert (tmp_path / "register.xlsx").stat().st_size > 0 and (tmp_path / "pack.pdf").stat().st_size > 0
    capsys.readouterr()
    assert main(["actions", "add", "-w", path, "--supplier", "Northwind Networks", "--period", "2026-06",
                 "--text", "Check the spare router"]) == 1
    assert capsys.readouterr().err == f"sltdesk: shared.sltdesk {REFUSED}\n"
    assert _digest(copy) == before


def _full_after_open(engine) -> None:
    """SQLite's real SQLITE_FULL: the file may not grow by a single page."""
    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")


def test_a_full_disk_is_a_sentence_and_the_workspace_stays_intact(copy, monkeypatch):
    ws = open_workspace(copy)
    ws.engine.dispose()
    _full_after_open(ws.engine)
    with pytest.raises(DiskFullError, match=r"^No space left on /\S*; nothing was changed\."):
        for n in range(200):  # enough rows to need a new page
            create_record(ws, BusinessUnit(name=f"Unit {n}", description="x" * 2000))
    ws.close()
    ws = open_workspace(copy)  # opens again, not "damaged", and the chain verifies
    assert verify_audit(ws).ok
    assert not ws.read_only
    ws.close()


def test_the_cli_says_no_space_left_instead_of_an_internal_error(copy, monkeypatch, capsys):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(copy.parent / "pack.pdf"))

    monkeypatch.setattr("sltdesk.cli.commands.workspace.dashboard_view", full, raising=False)
    monkeypatch.setattr("sltdesk.services.views.dashboard_view", full)
    assert main(["info", "-w", str(copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sltdesk: No space left on /") and err.endswith("; nothing was changed. Free some space "
                                                                           "there and try again.\n")
    assert "damaged" not in err


def test_a_disk_io_error_on_a_full_disk_is_not_called_damaged(copy, monkeypatch):
    """On a full disk SQLite may only say "disk I/O error" (its -shm could not grow): the free space decides."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(workspace_module.sqlite3, "connect", connect)
    monkeypatch.setattr(workspace_module.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10, 10, 0))
    with pytest.raises(DiskFullError, match="No space left on"):
        open_workspace(copy)
    monkeypatch.setattr(workspace_module.sqlite3, "connect", real)
    monkeypatch.undo()
    ws = open_workspace(copy)
    assert verify_audit(ws).ok
    ws.close()
