"""Start-up: a short command loads no heavy library, and the revision check that replaced Alembic on every
open gives Alembic's own answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from models.revisions import current_revisions, head_revisions, known_revisions, revision_graph
from models.workspace import _sqlite_engine, alembic_config, open_workspace
from tests.adapters.old_workspace import first_version_file

HEAVY = ("alembic", "pandas", "polars", "numpy", "matplotlib", "reportlab", "openpyxl", "PySide6")
REPO = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from sltdesk.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
loaded = sorted(name for name in {heavy!r} if name in sys.modules)
print("LOADED " + json.dumps({{"code": code, "loaded": loaded}}), file=sys.stderr)
"""


def _run_cli(*args: str) -> tuple[dict, str]:
    result = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args], capture_output=True,
                            text=True, check=False, cwd=REPO)
    line = next((x for x in result.stderr.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, result.stderr
    return json.loads(line.removeprefix("LOADED ")), result.stdout


def test_list_contracts_loads_no_heavy_library(demo_file):
    probe, out = _run_cli("list", "contracts", "-w", demo_file, "--json")
    assert probe["code"] == 0
    contracts = json.loads(out)
    assert len(contracts) == 10 and {"ref", "supplier", "charges"} <= set(contracts[0])
    assert probe["loaded"] == []


def test_the_probe_sees_a_heavy_import(tmp_path):
    """The guard can fail: a command that upgrades a workspace loads Alembic, and the probe reports it."""
    old = first_version_file(tmp_path / "old.sltdesk")
    probe, _out = _run_cli("list", "contracts", "-w", str(old), "--json")
    assert probe["code"] == 0
    assert "alembic" in probe["loaded"]


def _alembic_script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def test_heads_read_from_the_scripts_are_alembics():
    script = _alembic_script()
    assert head_revisions() == frozenset(script.get_heads())
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    assert revision_graph() == {r.revision: tuple(r._versioned_down_revisions) for r in script.walk_revisions()}


def _script(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / f"{name}.py").write_text(f'"""{name}"""\nrevision = "{revision}"\ndown_revision = {down}  # parent\n'
                                       "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n")


def test_merges_and_branches_give_alembics_heads(tmp_path):
    """A graph with two branches, a merge of two of them and a third branch left open."""
    versions = tmp_path / "versions"
    versions.mkdir()
    _script(versions, "base", "b1", "None")
    _script(versions, "left", "l1", '"b1"')
    _script(versions, "right", "r1", "'b1'")
    _script(versions, "open", "o1", '"b1"')
    _script(versions, "merge", "m1", '("l1", "r1")')
    _script(versions, "after", "m2", "'m1'")
    (versions / "__init__.py").write_text("")
    ours = head_revisions(versions)
    assert ours == {"m2", "o1"}
    alembic = ScriptDirectory(str(tmp_path), version_locations=[str(versions)])
    assert ours == frozenset(alembic.get_heads())
    assert known_revisions(versions) == {r.revision for r in alembic.walk_revisions()}


def test_a_script_whose_revision_cannot_be_read_is_refused(tmp_path):
    (tmp_path / "odd.py").write_text('revision = make_revision()\ndown_revision = None\n')
    with pytest.raises(RuntimeError, match="odd.py does not say its revision"):
        revision_graph(tmp_path)


def _alembics_current(engine) -> frozenset[str]:
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def test_current_revisions_are_alembics(tmp_path, workspace):
    old = _sqlite_engine(first_version_file(tmp_path / "old.sltdesk"))
    empty = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        assert current_revisions(old) == _alembics_current(old) == {"0001"}
        assert current_revisions(empty) == _alembics_current(empty) == frozenset()
        # a new workspace on each backend (SQLite, and PostgreSQL when configured) is at every head
        assert current_revisions(workspace.engine) == _alembics_current(workspace.engine) == head_revisions()
    finally:
        old.dispose()
        empty.dispose()


def test_an_old_workspace_is_still_upgraded_to_every_head(tmp_path):
    ws = open_workspace(first_version_file(tmp_path / "old.sltdesk"))
    try:
        assert ws.backup_path is not None
        assert current_revisions(ws.engine) == head_revisions()
    finally:
        ws.close()

