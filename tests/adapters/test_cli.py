"""The `sltdesk` command as a script would use it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from sltdesk.cli import main


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> str:
    target = tmp_path / "demo.sltdesk"
    shutil.copy(demo_file, target)
    return str(target)


def test_the_demo_portfolio_has_the_promised_size(demo_copy, capsys):
    code, out, _ = run("info", "-w", demo_copy, "--json", capsys=capsys)
    info = json.loads(out)
    assert code == 0
    assert info["counts"]["business units"] >= 3 and info["counts"]["services"] >= 5
    assert info["counts"]["suppliers"] >= 8 and info["counts"]["contracts"] >= 10
    assert info["counts"]["contract targets"] >= 25 and info["counts"]["contingency plans"] >= 1


def test_the_demo_is_the_same_for_the_same_seed_and_differs_for_another(tmp_path, capsys):
    charges = []
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        path = str(tmp_path / f"{name}.sltdesk")
        assert run("demo", path, "--seed", seed, "--no-gui", "--register-only", capsys=capsys)[0] == 0
        _, out, _ = run("list", "contracts", "-w", path, "--json", capsys=capsys)
        charges.append([c["charges"] for c in json.loads(out)])
    assert charges[0] == charges[1] != charges[2]


def test_the_demo_refuses_to_overwrite_a_file_without_force(demo_copy, capsys):
    code, _, err = run("demo", demo_copy, "--no-gui", capsys=capsys)
    assert code == 2 and "already exists; use --force" in err


def test_audit_verify_prints_ok_and_then_names_an_edited_entry(demo_copy, capsys):
    code, out, _ = run("audit", "verify", "-w", demo_copy, capsys=capsys)
    conn = sqlite3.connect(demo_copy)
    stored = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]  # demo steps of every feature add
    assert code == 0 and stored >= 73 and out.startswith(f"OK {stored} entries, head ")
    conn.execute("UPDATE audit_entry SET after_json = replace(after_json, '48000.00', '4800.00') "
                 "WHERE entity = 'contract' AND entity_id = '2'")
    conn.commit()
    seq = conn.execute("SELECT seq FROM audit_entry WHERE entity = 'contract' AND entity_id = '2'").fetchone()[0]
    conn.close()
    code, out, _ = run("audit", "verify", "-w", demo_copy, capsys=capsys)
    assert code == 1
    assert out.startswith(f"TAMPERED at entry {seq}: entry {seq} (create contract 2) was edited")


def test_list_contracts_as_json_gives_references_suppliers_and_exact_money(demo_copy, capsys):
    code, out, _ = run("list", "contracts", "-w", demo_copy, "--json", capsys=capsys)
    contracts = {c["ref"]: c for c in json.loads(out)}
    assert code == 0
    northwind = contracts["NW-2025-014"]
    assert northwind["supplier"] == "Northwind Networks" and northwind["currency"] == "GBP"
    assert northwind["charges"] == "48000.00" and northwind["start"] == "2025-01-01"
    assert northwind["end"] == "2027-12-31"


def test_list_targets_gives_contract_metric_and_threshold(demo_copy, capsys):
    _, out, _ = run("list", "targets", "-w", demo_copy, "--json", capsys=capsys)
    sl1 = next(t for t in json.loads(out) if t["name"] == "SL1 Availability")
    assert (sl1["contract"], sl1["metric"], sl1["threshold"]) == ("NW-2025-014", "availability", "99.95")


def test_list_suppliers_prints_a_readable_table(demo_copy, capsys):
    code, out, _ = run("list", "suppliers", "-w", demo_copy, capsys=capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["id", "name", "category", "criticality", "contracts"]
    assert any("Northwind Networks" in line and line.rstrip().endswith("2") for line in lines)


@pytest.mark.parametrize("args, message", [
    (["list", "suppliers"], "Name the workspace with -w FILE"),
    (["list", "invoices", "-w", "x.sltdesk"], "invalid choice: 'invoices'"),
    (["audit", "verify", "-w", "/nonexistent/x.sltdesk"], "does not exist"),
])
def test_user_mistakes_get_one_sentence_and_a_non_zero_exit(args, message, capsys):
    code, out, err = run(*args, capsys=capsys)
    assert code != 0 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_every_sub_command_explains_itself_with_help():
    for args in (["--help"], ["demo", "--help"], ["list", "--help"], ["audit", "verify", "--help"]):
        result = subprocess.run([sys.executable, "-m", "sltdesk", *args], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "usage: sltdesk" in result.stdout


def test_the_demos_raw_vendor_files_are_the_same_for_the_same_seed():
    from sltdesk.services.demo_raw import demo_files

    first, again, other = demo_files(7), demo_files(7), demo_files(8)
    assert [f.frame.equals(g.frame) for f, g in zip(first, again, strict=True)] == [True] * len(first)
    assert not first[0].frame.equals(other[0].frame)
    assert sum(len(f.frame) for f in first) >= 200_000


@pytest.mark.parametrize(("command", "rest"), [
    (("actions", "add"), ("--supplier", "Northwind Networks", "--period", "2026-03", "--text", "x",
                          "--due", "2026-31-12")),
    (("reconcile",), ("--contract", "NW-2025-014", "--period", "2026-03", "--as-of", "31.12.2026")),
])
def test_a_mistyped_date_is_a_usage_error_with_the_expected_shape(demo_copy, capsys, command, rest):
    code, out, err = run(*command, "-w", demo_copy, *rest, capsys=capsys)
    assert code == 2 and out == ""
    assert "is not a date written YYYY-MM-DD (e.g. 2026-12-31)" in err and "fromisoformat" not in err


def test_actions_list_flags_open_actions_past_their_due_date(demo_copy, capsys):
    code, out, _ = run("actions", "list", "-w", demo_copy, "--supplier", "Northwind Networks", "--json",
                       "--as-of", "2026-09-01", capsys=capsys)
    flags = {a["action"]: (a["status"], a["due_on"], a["overdue"]) for a in json.loads(out)}
    assert code == 0
    assert flags["A-5"] == ("open", "2026-08-15", True)  # due before the day: overdue
    assert flags["A-6"] == ("open", "2026-09-01", False)  # due that very day: not yet
    assert flags["A-7"] == ("dropped", "2026-08-31", False)  # no longer open: never overdue
    _, text, _ = run("actions", "list", "-w", demo_copy, "--supplier", "Northwind Networks", "--as-of", "2026-09-01",
                     capsys=capsys)
    assert "A-5    open, OVERDUE" in text and "A-6    open " in text



STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"  # UTC, ISO 8601 with milliseconds


def _log_lines() -> list[str]:
    from sltdesk import logs

    path = logs.folder() / "sltdesk-cli.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_each_command_logs_timestamped_lines_for_its_start_the_workspace_and_its_end(demo_copy, capsys):
    import re

    before = len(_log_lines())
    assert run("list", "contracts", "-w", demo_copy, "--json", capsys=capsys)[0] == 0
    code, _, err = run("list", "contracts", "-w", demo_copy + ".missing", capsys=capsys)
    assert code == 1 and "does not exist" in err
    lines = _log_lines()[before:]
    assert all(re.match(rf"{STAMP} (INFO|WARNING|ERROR) sltdesk\.", line) for line in lines)
    assert lines[0].endswith(f"INFO sltdesk.cli: sltdesk 0.1.0 started: list contracts -w {demo_copy} --json")
    assert re.search(rf"INFO sltdesk\.workspace: workspace opened: {re.escape(demo_copy)} as \S+ \(solo\) in "
                     r"\d+\.\d\d s$", lines[1])
    assert re.search(r"INFO sltdesk\.cli: sltdesk list ended with exit code 0 in \d+\.\d\d s$", lines[2])
    assert lines[3].endswith(f"started: list contracts -w {demo_copy}.missing")
    assert "INFO sltdesk.workspace: workspace " in lines[4] and "not opened" in lines[4]
    assert "INFO sltdesk.cli: refused: " in lines[5] and "does not exist" in lines[5]
    assert re.search(r"INFO sltdesk\.cli: sltdesk list ended with exit code 1 in \d+\.\d\d s$", lines[6])


def test_a_database_password_never_reaches_the_log(capsys):
    run("info", "-w", "postgresql+psycopg://alice:s3cret@127.0.0.1:1/none", capsys=capsys)
    text = "\n".join(_log_lines())
    assert "postgresql+psycopg://alice:***@127.0.0.1:1/none" in text and "s3cret" not in text


def test_an_unexpected_error_is_logged_with_its_traceback_and_named_in_one_sentence(demo_copy, capsys, monkeypatch):
    import sltdesk.cli as cli

    def broken(_args):  # a bug in the command's first step
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_check_period", broken)
    code, _, err = run("list", "contracts", "-w", demo_copy, capsys=capsys)
    assert code == 70
    assert err.startswith("sltdesk: unexpected error (ZeroDivisionError: division by zero); nothing was changed")
    assert "Details are in " in err and "sltdesk-cli.log" in err and "Traceback" not in err
    text = "\n".join(_log_lines())
    assert "ERROR sltdesk.cli: unexpected error\nTraceback (most recent call last):" in text
    assert "ZeroDivisionError: division by zero" in text
