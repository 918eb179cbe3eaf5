"""The README's "Your first contract": its fenced block is run command by command, from `sltdesk new`, on the
files in tests/data/first_contract/, and the figures are checked against hand calculations.

Hand calculations (March 2026; 2 March is a Monday; Berlin business hours Mon–Fri 08:00–18:00):
- P2 resolution, 480 business minutes: T-1…T-8 take 180 min each (09:00–12:00 or 14:00–17:00 on weekdays);
  T-9 opened Fri 16:00 and resolved Tue 10:00 = 120 + 600 + 120 = 840 (missed); T-10 took 60 min, paused
  Wed 10:00 → Mon 09:00 (480 + 600 + 600 + 60 = 1,740 business minutes), then 360 more = 420 (met);
  T-11 opened Thu 13:00, resolved Fri 13:00 = 300 + 300 = 600 (missed). 9 of 11 = 81.8181… % < 90 %.
- Availability: March in Berlin has 743 hours (the clocks go forward on the 29th); one hour has 80 errors
  in 1,000 requests (8 % > 5 %): 742 / 743 = 99.8654… % < 99.99 % → the first band, 10 %.
- Credits: charges 20,000.00. Cloud table: 10 % = 2,000.00. At risk: 20 % = 4,000.00; P2 allocated 50 % of
  it = 2,000.00. 4,000.00 in all, not above the at-risk amount (the allocations alone are 2,000.00); the
  period cap of 15 % = 3,000.00 cuts both lines in proportion to 1,500.00 each: total 3,000.00.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl

from sltdesk.cli import main
from tests.data.first_contract import make_files
from tests.exact import exactly

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "first_contract"


def readme_commands() -> list[list[str]]:
    """The commands of the fenced block under '## Your first contract', each split as a shell would."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your first contract", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's first-contract section has a ```sh block"
    lines = [line for line in block[1].splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [shlex.split(line) for line in lines]


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def test_the_files_are_what_their_script_writes(tmp_path):
    written = make_files.write_all(tmp_path)
    for path in written:
        shipped = DATA / path.name
        if path.suffix == ".xlsx":  # cell by cell: the file's own timestamps differ
            assert _cells(path) == _cells(shipped)
        else:
            assert path.read_bytes() == shipped.read_bytes(), path.name


def _cells(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def test_the_readme_walk_through_from_an_empty_workspace_to_a_priced_month(tmp_path, monkeypatch):
    commands = readme_commands()
    assert commands[0][:2] == ["sltdesk", "new"] and len(commands) >= 6
    shutil.copytree(DATA, tmp_path / "tests" / "data" / "first_contract")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        assert command[0] == "sltdesk"
        code, out, err = run(command[1:])
        assert code == 0, (command, err or out)
    workspace = commands[0][2]

    code, out, _ = run(["attainment", "-w", workspace, "--contract", "FC-2026-001", "--period", "2026-03", "--json"])
    figures = {f["target"]: f for f in json.loads(out)}
    p2, availability = figures["P2 resolution"], figures["Availability"]
    assert exactly(p2["achieved"], 9, 11) and p2["met"] is False
    assert (p2["counts"]["tickets"], p2["counts"]["met"]) == (11, 9)
    assert float(p2["counts"]["paused_minutes"]) == 1740
    assert exactly(availability["achieved"], 742, 743) and availability["met"] is False
    assert (availability["counts"]["intervals"], availability["counts"]["intervals_bad"]) == (743, 1)
    assert (p2["credit"], availability["credit"]) == ("1500.00", "1500.00")

    code, out, _ = run(["penalties", "-w", workspace, "--contract", "FC-2026-001", "--period", "2026-03", "--json"])
    priced = json.loads(out)
    assert priced["total"] == "3000.00" and priced["complete"] is True
    assert {line["target"]: line["amount"] for line in priced["lines"]} == {"Availability": "1500.00",
                                                                         "P2 resolution": "1500.00"}
    assert [c["limit"] for c in priced["caps_applied"] if c["applied"]] == ["3000.00"]
    assert (tmp_path / "march.pdf").stat().st_size > 10_000
