"""Hostile and broken files: a clear message within seconds, and the workspace byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services.register import create_record
from tests import importfiles
from tests.importfiles import ticket_rows, tickets_workbook


@pytest.fixture(scope="module")
def workspace_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "w.sltdesk"
    ws = open_workspace(path, create=True)
    supplier = create_record(ws, Supplier(name="Vendor"))
    create_record(ws, Contract(ref="C-1", supplier_id=supplier.id, title="x", start_date=date(2025, 1, 1),
                               end_date=date(2027, 1, 1), currency="GBP", charges=Decimal("1000.00")))
    ws.close()
    return path


def _state(path: Path) -> tuple[str, ...]:
    files = sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name))
    return tuple(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files)


def _truncated(path: Path, base: Path) -> Path:
    data = base.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _renamed_pdf(path: Path, _base: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000)
    return path


CASES = [
    ("billion-laughs.xlsx", importfiles.billion_laughs, "declares a DTD or entities"),
    ("zip-bomb.xlsx", importfiles.zip_bomb, "refused as a zip bomb"),
    ("huge.xlsx", importfiles.huge_dimension, "declares XFD1,048,576"),
    ("far-cell.xlsx", importfiles.far_cell, "stopped abruptly"),
    ("truncated.xlsx", _truncated, "damaged or truncated"),
    ("report.xlsx", _renamed_pdf, "it is a PDF document"),
]


@pytest.mark.parametrize("name, make, message", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_refused_quickly_and_the_workspace_is_unchanged(workspace_file, tmp_path, capsys, name,
                                                                         make, message):
    base = tickets_workbook(tmp_path / "base.xlsx", rows=ticket_rows(3))
    path = make(tmp_path / name, base)
    before = _state(workspace_file)
    started = time.monotonic()
    code = main(["import", "tickets", str(path), "-w", str(workspace_file), "--contract", "C-1"])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err
    assert elapsed < 10
    assert _state(workspace_file) == before


def test_a_good_file_through_the_cli_prints_the_json_document(workspace_file, tmp_path, capsys):
    path = tickets_workbook(tmp_path / "ok.xlsx", rows=ticket_rows(3))
    code = main(["import", "tickets", str(path), "-w", str(workspace_file), "--contract", "C-1", "--json",
                 "--dry-run"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and document["batch_id"] is None and document["dry_run"] is True
    assert {k: document[k] for k in ("kind", "file", "rows_read", "rows_accepted", "rows_rejected")} == {
        "kind": "tickets", "file": "ok.xlsx", "rows_read": 3, "rows_accepted": 3, "rows_rejected": 0}
    assert len(document["sha256"]) == 64 and isinstance(document["findings"], list)
