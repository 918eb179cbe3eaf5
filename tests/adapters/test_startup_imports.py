"""Start-up: a short command loads no heavy library, and the revision check that replaced Alembic on every
open gives Alembic's own answers."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from models.revisions import current_revisions, head_revisions, known_revisions, revision_graph, sqlite_revisions
from models.workspace import _sqlite_engine, alembic_config, open_workspace
from sltdesk.domain.register import Contract
from tests.adapters.old_workspace import first_version_file

HEAVY = ("alembic", "pandas", "polars", "numpy", "matplotlib", "reportlab", "openpyxl", "PySide6")
# What a command listing the register does not need either: it reads with SQLAlchemy Core alone (no ORM, no
# mapped class: models/register_reads.py); every feature's tables, repositories, domain and commands load on
# first use (models.repository.load_features, sltdesk.cli.commands.COMMANDS).
FEATURES = ("sqlalchemy.orm", "models.tables", "models.repository", "models.schema", "models.raw_repository",
            "models.tables_raw", "models.tables_results",
            "models.tables_measurement", "models.tables_penalties", "models.tables_reviews",
            "sltdesk.domain.results", "sltdesk.domain.raw", "sltdesk.cli.commands.data_import",
            "sltdesk.cli.commands.reviews")
REPO = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from sltdesk.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
loaded = sorted(name for name in {heavy!r} if name in sys.modules)
features = sorted(name for name in {features!r} if name in sys.modules)
print("LOADED " + json.dumps({{"code": code, "loaded": loaded, "features": features,
                               "sqlalchemy": "sqlalchemy" in sys.modules}}), file=sys.stderr)
"""


def _run_cli(*args: str) -> tuple[dict, str]:
    probe = _PROBE.format(heavy=HEAVY, features=FEATURES)
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False,
                            cwd=REPO)
    line = next((x for x in result.stderr.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, result.stderr
    return json.loads(line.removeprefix("LOADED ")), result.stdout


def test_list_contracts_loads_no_heavy_library(demo_file):
    probe, out = _run_cli("list", "contracts", "-w", demo_file, "--json")
    assert probe["code"] == 0
    contracts = json.loads(out)
    assert len(contracts) == 10 and {"ref", "supplier", "charges"} <= set(contracts[0])
    assert probe["loaded"] == []
    assert probe["features"] == []
    assert probe["sqlalchemy"] is False  # an up-to-date file opens, and its register is read, on sqlite3 alone


def test_a_feature_command_loads_its_features_on_first_use(raw_demo_file):
    """The other side of the lazy loading: a command about a feature's records gets them (the feature's record
    kinds and repositories register when first asked for)."""
    probe, out = _run_cli("exceptions", "list", "-w", raw_demo_file, "--json")
    assert probe["code"] == 0, out
    exceptions = json.loads(out)
    assert [e["id"] for e in exceptions] == ["FM-1", "FM-2"] and exceptions[0]["status"] == "approved"
    assert {"sqlalchemy.orm", "models.schema", "models.tables_measurement"} <= set(probe["features"])


_KINDS_PROBE = """
import json, sys
from models.workspace import open_workspace
from sltdesk.domain.measurement import ForceMajeure
from sltdesk.domain.register import Contract
ws = open_workspace(sys.argv[1])
try:
    before = "models.tables_measurement" in sys.modules
    with ws.unit_of_work() as uow:
        contracts = len(uow.records.list(Contract))
        exceptions = len(uow.records.list(ForceMajeure))
        results = uow.results is uow.results
        missing = not hasattr(uow, "no_such_repository")
finally:
    ws.close()
print(json.dumps([before, contracts, exceptions, results, missing]))
"""


def test_a_feature_record_kind_and_repository_load_when_first_asked_for(raw_demo_file):
    result = subprocess.run([sys.executable, "-c", _KINDS_PROBE, raw_demo_file], capture_output=True, text=True,
                            check=True, cwd=REPO)
    before, contracts, exceptions, same_repository, missing = json.loads(result.stdout)
    assert before is False  # not loaded by opening the workspace
    assert contracts == 10 and exceptions >= 1  # the demo has force-majeure exceptions
    assert same_repository is True  # one repository per unit of work, made once
    assert missing is True  # an unknown name is still an AttributeError


_THREADS_PROBE = """
import json, sys, threading
from models.workspace import open_workspace
from sltdesk.domain.measurement import ForceMajeure
ws = open_workspace(sys.argv[1])
found, errors = {}, []
start = threading.Barrier(4)
def work(i):
    try:
        start.wait()
        with ws.unit_of_work() as uow:
            found[i] = len(uow.records.list(ForceMajeure)) if i % 2 else len(uow.raw.batches())
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ws.close()
print(json.dumps([[found[i] for i in range(4)], errors]))
"""


def test_threads_first_asking_for_features_at_once_all_get_them(raw_demo_file):
    """The GUI's workers are the first to ask for a feature's records: four at once, half for a record kind and
    half for a repository, each gets them (Python's import lock loads the feature modules once)."""
    result = subprocess.run([sys.executable, "-c", _THREADS_PROBE, raw_demo_file], capture_output=True, text=True,
                            check=True, cwd=REPO)
    found, errors = json.loads(result.stdout)
    assert errors == []
    assert found[1] == found[3] >= 1 and found[0] == found[2] >= 20  # exceptions; import batches


def test_every_command_is_registered_by_the_module_commands_names():
    """COMMANDS (which module a command's parser comes from) says what the modules themselves register."""
    import importlib

    from sltdesk.cli import _Parser, build_parser
    from sltdesk.cli.commands import COMMANDS, MODULES

    registered: dict[str, str] = {}
    for module in MODULES:
        parser = _Parser(prog="sltdesk")
        sub = parser.add_subparsers(dest="command", parser_class=_Parser)
        importlib.import_module(module).register(sub)
        registered.update(dict.fromkeys(sub.choices, module))
    assert registered == {command: modules[0] for command, modules in COMMANDS.items()}
    whole = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(whole) == set(COMMANDS) | {"open"}
    one = build_parser("list")._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(one) == {"open"} | {c for c, m in registered.items() if m == COMMANDS["list"][0]}


def test_import_alone_still_knows_every_kind(demo_file):
    """`import`'s KINDs come from the feature modules: a process that parsed only `import` offers them all."""
    from sltdesk.cli import build_parser
    from sltdesk.cli.commands.import_cmd import HANDLERS

    build_parser()  # every module: every kind
    result = subprocess.run([sys.executable, "-m", "sltdesk", "import", "nonsense", "file.csv", "-w", demo_file],
                            capture_output=True, text=True, check=False, cwd=REPO)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"KIND is one of: {', '.join(sorted(HANDLERS))}.")
    assert {"tickets", "contracts", "questionnaire"} <= set(HANDLERS)


def test_a_misspelt_command_is_still_told_the_whole_list(capsys):
    from sltdesk.cli import main

    assert main(["lsit", "contracts"]) == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'lsit'" in error and "'list'" in error and "'negotiate'" in error


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


def _on_sqlite3(path: Path) -> frozenset[str]:
    """The revisions as a workspace file is checked on opening: a plain sqlite3 connection, no SQLAlchemy."""
    connection = sqlite3.connect(path)
    try:
        return sqlite_revisions(connection)
    finally:
        connection.close()


def test_current_revisions_are_alembics(tmp_path, workspace):
    old = _sqlite_engine(first_version_file(tmp_path / "old.sltdesk"))
    empty = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        assert current_revisions(old) == _alembics_current(old) == {"0001"}
        assert current_revisions(empty) == _alembics_current(empty) == frozenset()
        # a new workspace on each backend (SQLite, and PostgreSQL when configured) is at every head
        assert current_revisions(workspace.engine) == _alembics_current(workspace.engine) == head_revisions()
        assert _on_sqlite3(tmp_path / "old.sltdesk") == {"0001"}
        assert _on_sqlite3(tmp_path / "empty.sqlite") == frozenset()
        if "://" not in workspace.location:
            assert _on_sqlite3(Path(workspace.location)) == head_revisions()
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



def test_threads_using_a_file_opened_afresh_at_once_share_one_engine(demo_file, tmp_path, monkeypatch):
    """The engine is made when first used (an up-to-date file opens without SQLAlchemy): the GUI's threads asking
    for it together get the same one, and closing the workspace closes it."""
    import shutil
    import threading
    import time

    import models.workspace as workspace_module

    path = tmp_path / "copy.sltdesk"
    shutil.copy(demo_file, path)
    made = []
    real = workspace_module._file_engine

    def slow(where):
        time.sleep(0.05)  # what importing SQLAlchemy takes, to let the threads meet
        made.append(real(where))
        return made[-1]

    monkeypatch.setattr(workspace_module, "_file_engine", slow)
    ws = open_workspace(path)
    start = threading.Barrier(4)
    revisions: list[str] = []

    def use() -> None:
        start.wait()
        revisions.append(ws.schema_revision())
        with ws.unit_of_work() as uow:
            uow.records.count(Contract)

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len(set(revisions)) == 1 and len(revisions) == 4
    assert made[0].pool.checkedout() == 0
    ws.close()
    assert made[0].pool.checkedin() == 0  # disposed: no connection left open
