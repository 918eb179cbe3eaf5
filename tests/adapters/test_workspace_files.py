"""Workspace files: what is refused, what is backed up, and that refused files stay byte-identical."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from old_workspace import first_version_file

from models.workspace import head_revisions, open_workspace, save_copy
from sltdesk.errors import WorkspaceError
from sltdesk.services.audit import verify_audit
from sltdesk.services.demo import build_demo
from sltdesk.services.views import supplier_rows


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _truncated_workspace(folder: Path) -> Path:
    path = folder / "truncated.sltdesk"
    ws = open_workspace(path, create=True)
    build_demo(ws)
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _foreign_sqlite(folder: Path) -> Path:
    path = folder / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("make, message", [
    (lambda d: _write(d / "report.sltdesk", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "looks like a PDF"),
    (lambda d: _write(d / "empty.sltdesk", b""), "is an empty file"),
    (lambda d: _write(d / "notes.sltdesk", b"hello, world\n" * 50), "not an SLT Desk workspace"),
    (lambda d: _write(d / "book.sltdesk", b"PK\x03\x04" + b"\0" * 200), "ZIP archive"),
    (_truncated_workspace, "is truncated"),
    (_foreign_sqlite, "SQLite database but not an SLT Desk workspace"),
])
def test_a_file_that_is_not_a_workspace_is_refused_and_left_byte_identical(tmp_path, make, message):
    path = make(tmp_path)
    before, names = _digest(path), _files(tmp_path)
    with pytest.raises(WorkspaceError, match=message):
        open_workspace(path)
    assert _digest(path) == before
    assert _files(tmp_path) == names  # no -wal, -shm or backup appeared


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_missing_file_and_an_existing_target_give_clear_messages(tmp_path):
    with pytest.raises(WorkspaceError, match="does not exist"):
        open_workspace(tmp_path / "nowhere.sltdesk")
    existing = _write(tmp_path / "x.sltdesk", b"x")
    with pytest.raises(WorkspaceError, match="already exists"):
        open_workspace(existing, create=True)


def test_an_older_workspace_is_backed_up_before_it_is_upgraded(tmp_path):
    path = first_version_file(tmp_path / "old.sltdesk", "INSERT INTO supplier (name, category, criticality, notes) "
                                                        "VALUES ('Northwind', 'network carrier', 'high', '')")

    ws = open_workspace(path)
    assert set(ws.schema_revision().split("+")) == head_revisions()  # every feature line at its head
    assert ws.backup_path is not None and ws.backup_path.name.startswith("old.sltdesk.bak-")
    assert [r.name for r in supplier_rows(ws)] == ["Northwind"]
    ws.close()
    backup = sqlite3.connect(ws.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT name FROM supplier").fetchall() == [("Northwind",)]
    backup.close()


def test_a_workspace_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sltdesk"
    open_workspace(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")  # one row per head; a newer version writes its own
    conn.execute("INSERT INTO alembic_version VALUES ('0999')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(path)
    with pytest.raises(WorkspaceError, match="newer version of SLT Desk"):
        open_workspace(path)
    assert _digest(path) == before


def test_every_connection_uses_foreign_keys_wal_full_sync_and_a_busy_timeout(tmp_path):
    ws = open_workspace(tmp_path / "p.sltdesk", create=True)
    with ws.engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")}
    ws.close()
    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 10000}


def test_a_saved_copy_is_a_complete_workspace_with_an_intact_trail(tmp_path, demo_file):
    ws = open_workspace(demo_file)
    copy = save_copy(ws, tmp_path / "copy.sltdesk")
    ws.close()
    other = open_workspace(copy)
    assert len(supplier_rows(other)) == 8 and verify_audit(other).ok
    other.close()


def test_sltdesk_upgrade_upgrades_an_older_file_after_a_copy_and_then_has_nothing_to_do(tmp_path):
    import io
    import json
    from contextlib import redirect_stdout

    from sltdesk.cli import main

    path = first_version_file(tmp_path / "old.sltdesk")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["upgrade", str(path), "--json"]) == 0
    done = json.loads(out.getvalue())
    assert done["from"] == "0001" and set(done["to"].split("+")) == head_revisions()
    assert done["team"] is False and Path(done["backup"]).name.startswith("old.sltdesk.bak-")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["upgrade", str(path)]) == 0
    assert "at this version's schema already" in out.getvalue()
    ws = open_workspace(path)
    try:
        assert ws.schema_revision() == done["to"]
    finally:
        ws.close()
